// Small helpers for the relay's own tests.
import { uuidv7 } from 'uuidv7';
import type { TestOrg } from '../testing';
import type { ChannelProvider, ProviderRegistry } from '../providers/types';
import type { Engine } from '../sync/engine';
import { WsTestClient, type WsClientOptions } from './wsClient';

export async function connectAs(org: TestOrg, name: 'admin' | 'alice' | 'bob' | 'carol', opts: WsClientOptions = {}): Promise<WsTestClient> {
  const { accessToken } = await org.login(`${name}@test.parley`);
  return WsTestClient.synced(org.relay.wsUrl, accessToken, opts);
}

let nextPhone = 0;

/** A contact (by admin) and a sales conversation with one outbound message (by alice). */
export async function salesConversation(org: TestOrg, admin: WsTestClient, alice: WsTestClient): Promise<{ contactId: string; convId: string; msgId: string }> {
  const contactId = uuidv7();
  const convId = uuidv7();
  const msgId = uuidv7();
  const phone = `+447700900${String(100 + (nextPhone++ % 900))}`;
  const c = await admin.mutate('createContact', { id: contactId, name: 'Test Contact', phone });
  if (c.status !== 'ok') throw new Error(`createContact: ${c.message ?? ''}`);
  const m = await alice.mutate('sendMessage', { id: msgId, contactId, groupId: org.groups.sales.id, newConversationId: convId, channel: 'sms', body: 'hi' });
  if (m.status !== 'ok') throw new Error(`sendMessage: ${m.message ?? ''}`);
  return { contactId, convId, msgId };
}

/** The conversation's visibilityVersion on the relay now: what an up-to-date Manage dialog shows. */
export async function visibilityVersionOf(org: TestOrg, convId: string): Promise<number> {
  return (await org.relay.services.engine.store.rows.get('conversations', convId))?.visibilityVersion ?? 0;
}

/** A registry whose every channel is `channel` (manual payment links, 100 sends a second). */
export function registryOf(channel: ChannelProvider): ProviderRegistry {
  return {
    channelFor: () => channel,
    payments: () => ({ kind: 'manual', createLink: async (req) => ({ url: `https://pay.example/${req.id}`, providerRef: req.id }) }),
    sendRatePerSecond: () => 100,
    webhook: () => undefined,
  };
}

/** Resolves once `check` holds, looked at now and after each commit of any of `engines` (its own commits). */
export function afterCommits(engines: Engine | Engine[], check: () => Promise<boolean>): Promise<void> {
  return new Promise((resolve, reject) => {
    let done = false;
    const look = () => {
      if (done) return;
      check().then((ok) => {
        if (ok && !done) {
          done = true;
          resolve();
        }
      }, reject);
    };
    for (const e of Array.isArray(engines) ? engines : [engines]) e.onCommit(() => look());
    look();
  });
}
