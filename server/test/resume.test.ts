// Effects that never finished (the relay stopped while a job ran, its lease left behind) run at
// the next start: the job row was committed with the mutation (the outbox), so nothing rescans.
// (A job stopped inside its provider call is not sent again: effectsRecording.test.ts.)
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { uuidv7 } from 'uuidv7';
import type { ChannelProvider, OutboundMessage } from '../providers/types';
import { SYSTEM_ACTOR } from '../sync/engine';
import { dropTestDatabase, startTestRelay } from '../testing';
import { afterCommits, registryOf } from './helpers';

const dataDir = mkdtempSync(join(tmpdir(), 'parley-resume-'));
afterAll(async () => {
  await dropTestDatabase(dataDir);
  rmSync(dataDir, { recursive: true, force: true, maxRetries: 5 });
});

describe('resume', () => {
  it('sends a message whose job a stopped relay left claimed, once, at the next start', async () => {
    let started: () => void = () => undefined;
    const running = new Promise<void>((r) => (started = r));
    // the provider's lookup never returns: the relay stops in the middle of the job, before its provider call
    const stuck: ChannelProvider = { kind: 'twilio', send: () => new Promise(() => undefined) };
    const stuckRegistry = { ...registryOf(stuck), channelFor: () => (started(), new Promise<ChannelProvider>(() => undefined)) };
    const sent: OutboundMessage[] = [];
    const working: ChannelProvider = { kind: 'twilio', send: async (m) => (sent.push(m), { ok: true, providerMessageId: `SM-${m.messageId}` }) };

    const first = await startTestRelay({ dataDir, providers: stuckRegistry, effects: { leaseMs: 1000 } });
    const engine = first.relay.services.engine;
    await engine.runAs(SYSTEM_ACTOR, 'receiveInbound', { groupId: first.groups.sales.id, channel: 'sms', from: '+447700900444', body: 'hi' });
    const conv = (await engine.store.rows.find('conversations', {}))[0];
    if (!conv) throw new Error('no conversation');
    const id = uuidv7();
    await engine.runAs({ userId: first.alice.id, role: 'agent' }, 'sendMessage', { id, conversationId: conv.id, contactId: conv.contactId, groupId: conv.groupId, channel: 'sms', body: 'left behind' });
    await running;
    const job = await engine.store.get<{ owner: string | null; leaseUntil: number | null }>('SELECT owner, lease_until AS "leaseUntil" FROM jobs WHERE id = ?', [`send:${id}`]);
    expect(job?.owner).toBeTruthy();
    expect(job?.leaseUntil).toBeGreaterThan(Date.now());
    await first.relay.close(); // not graceful: the job stays claimed by a relay that is gone

    const second = await startTestRelay({ dataDir, providers: registryOf(working), effects: { leaseMs: 1000 } });
    const store = second.relay.services.engine.store;
    await afterCommits(second.relay.services.engine, async () => (await store.rows.get('messages', id))?.status === 'sent');
    await second.relay.services.effects.idle();
    expect(sent.map((m) => m.messageId)).toEqual([id]);
    expect(await store.get('SELECT id FROM jobs WHERE id = ?', [`send:${id}`])).toBeUndefined();
    await second.relay.close();
  });
});
