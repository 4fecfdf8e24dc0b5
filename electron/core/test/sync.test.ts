import { afterEach, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { uuidv7 } from 'uuidv7';
import { startTestRelay, type TestOrg } from '../../../server/testing';
import type { BridgeEvent, ConversationListItem } from '../../../shared/bridge';
import { newCore, settled, signIn, waitFor, type TestCore } from './harness';

let org: TestOrg | null = null;
const cores: TestCore[] = [];
afterEach(async () => {
  for (const c of cores.splice(0)) await c.close();
  await org?.relay.close();
  org = null;
});

async function setup(...emails: string[]) {
  org = await startTestRelay();
  const out: TestCore[] = [];
  for (const e of emails) {
    const c = newCore();
    cores.push(c);
    await signIn(c, org.relay.httpUrl, e, org.password);
    out.push(c);
  }
  return { org, cores: out };
}

describe('core against a real relay', () => {
  it('signs in, syncs the directory, and resumes the session from the secret store', async () => {
    const { org, cores: [admin] } = await setup('admin@test.parley');
    const session = await admin!.query('session', {});
    expect(session).toMatchObject({ userId: org.admin.id, role: 'admin' });
    const dir = await admin!.query('directory', {});
    expect(dir.groups.map((g) => g.name).sort()).toEqual(['Sales', 'Support']);
    await admin!.close();
    const again = newCore(admin!.dataDir);
    cores.push(again);
    await again.start();
    expect(await again.query('session', {})).toMatchObject({ userId: org.admin.id });
    await settled(again);
    expect((await again.query('directory', {})).users.length).toBeGreaterThanOrEqual(5);
  });

  it('inbound message lands in the Team inbox; optimistic reply is pending then confirmed; notes and assignment', async () => {
    const { org, cores: [alice, bob] } = await setup('alice@test.parley', 'bob@test.parley');
    const events: BridgeEvent[] = [];
    alice!.subscribe((e) => events.push(e));
    await org.relay.simulator.inbound({ groupId: org.groups.sales.id, from: '+447700900123', body: 'Hello, is my order ready?', contactName: 'Zoe' });
    await waitFor(async () => (await alice!.query('inbox', { view: 'team' })).total === 1, 'inbound in team inbox');
    const item = (await alice!.query('inbox', { view: 'team', groupId: org.groups.sales.id })).items[0] as ConversationListItem;
    expect(item).toMatchObject({ kind: 'conversation', contactName: 'Zoe', unread: true, pending: false });

    const r = await alice!.mutate('sendMessage', { id: uuidv7(), conversationId: item.id, contactId: item.contactId, groupId: item.groupId, channel: 'sms', body: 'Yes, ready for pickup' });
    expect(r.ok).toBe(true);
    const optimistic = await alice!.query('conversation', { id: item.id });
    expect(optimistic?.messages.at(-1)).toMatchObject({ body: 'Yes, ready for pickup', pending: true });
    await settled(alice!);
    const confirmed = await alice!.query('conversation', { id: item.id });
    expect(confirmed?.messages.at(-1)).toMatchObject({ body: 'Yes, ready for pickup', pending: false });
    expect(events.some((e) => e.type === 'changed' && e.ids.includes(item.id))).toBe(true);

    const bobEvents: BridgeEvent[] = [];
    bob!.subscribe((e) => bobEvents.push(e));
    expect((await alice!.mutate('manageConversation', { conversationId: item.id, visibleTo: null, assignees: [org.bob.id], baseVisibilityVersion: 0 })).ok).toBe(true);
    await settled(alice!);
    await waitFor(async () => (await bob!.query('inbox', { view: 'mine' })).total === 1, 'assigned conversation in bob\'s My inbox');
    await org.relay.simulator.inbound({ groupId: org.groups.sales.id, from: '+447700900123', body: 'Thanks!' });
    await waitFor(() => bobEvents.some((e) => e.type === 'notify' && e.target.id === item.id), 'notification for bob');
    expect(events.some((e) => e.type === 'notify')).toBe(false);
    // a fresh replica of bob's (initial sync) brings the same messages without notifying
    const bob2 = newCore();
    cores.push(bob2);
    const bob2Events: BridgeEvent[] = [];
    bob2.subscribe((e) => bob2Events.push(e));
    await signIn(bob2, org.relay.httpUrl, 'bob@test.parley', org.password);
    expect((await bob2.query('inbox', { view: 'mine' })).total).toBe(1);
    expect(bob2Events.some((e) => e.type === 'notify')).toBe(false);
    expect(bob2Events.some((e) => e.type === 'sync' && e.status.state === 'online')).toBe(true);
    // initial-sync changes arrive coalesced, by the time the core says it is online
    expect(bob2Events.some((e) => e.type === 'changed' && e.tables.includes('conversations'))).toBe(true);
  });

  it('a mutation the relay refuses disappears and leaves a failure until dismissed', async () => {
    const { cores: [admin, alice] } = await setup('admin@test.parley', 'alice@test.parley');
    // refused locally: agents may not delete contacts; nothing is queued
    const contactId = uuidv7();
    expect((await admin!.mutate('createContact', { id: contactId, name: 'Yan', phone: '+447700900555' })).ok).toBe(true);
    await settled(admin!);
    await waitFor(async () => (await alice!.query('contact', { id: contactId })) !== null, 'contact reaches alice');
    expect(await alice!.mutate('deleteContact', { id: contactId })).toMatchObject({ ok: false, code: 'forbidden' });
    expect((await alice!.query('syncStatus', {})).pending).toBe(0);
    // refused by the relay: alice edits offline while the admin deletes the contact
    await alice!.impl.current!.sync.stop();
    expect((await admin!.mutate('deleteContact', { id: contactId })).ok).toBe(true);
    await settled(admin!);
    const r = await alice!.mutate('updateContact', { id: contactId, notes: 'called back' });
    expect(r.ok).toBe(true);
    expect((await alice!.query('contact', { id: contactId }))?.contact.notes).toBe('called back');
    expect((await alice!.query('syncStatus', {})).pending).toBe(1);
    alice!.impl.current!.sync.start();
    await settled(alice!);
    expect(await alice!.query('contact', { id: contactId })).toBeNull();
    const failures = await alice!.query('failures', {});
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatchObject({ name: 'updateContact', targetId: contactId, mutationId: r.ok ? r.mutationId : -1 });
    await alice!.command('dismissFailure', { id: failures[0]!.id });
    expect(await alice!.query('failures', {})).toHaveLength(0);
  });

  it('rebase: two clients edit the same contact concurrently and converge', async () => {
    const { cores: [admin, alice] } = await setup('admin@test.parley', 'alice@test.parley');
    const id = uuidv7();
    await admin!.mutate('createContact', { id, name: 'Xavi', phone: '+447700900556' });
    await settled(admin!);
    await waitFor(async () => (await alice!.query('contact', { id })) !== null, 'contact reaches alice');
    await alice!.impl.current!.sync.stop();
    await alice!.mutate('updateContact', { id, notes: 'from alice' });
    await admin!.mutate('updateContact', { id, name: 'Xavier' });
    await settled(admin!);
    alice!.impl.current!.sync.start();
    await settled(alice!);
    await waitFor(async () => (await admin!.query('contact', { id }))?.contact.notes === 'from alice', 'admin sees alice\'s note');
    const a = (await alice!.query('contact', { id }))!.contact;
    const b = (await admin!.query('contact', { id }))!.contact;
    expect(a).toEqual(b);
    expect(a).toMatchObject({ name: 'Xavier', notes: 'from alice' });
  });

  it('uploads an attachment, sends it in a team chat, the other member is notified and can fetch the bytes', async () => {
    const { org, cores: [alice, bob] } = await setup('alice@test.parley', 'bob@test.parley');
    const bytes = Buffer.from('%PDF-1.4 pretend pdf');
    const ref = await alice!.command('uploadAttachment', { name: 'quote.pdf', mime: 'application/pdf', dataBase64: bytes.toString('base64') });
    expect(ref).toMatchObject({ name: 'quote.pdf', mime: 'application/pdf', size: bytes.length });
    const events: BridgeEvent[] = [];
    bob!.subscribe((e) => events.push(e));
    const chatId = uuidv7();
    await alice!.mutate('createChat', { id: chatId, members: [org.alice.id, org.bob.id] });
    await alice!.mutate('sendChatMessage', { id: uuidv7(), chatId, body: 'the quote', attachments: [ref] });
    await waitFor(() => events.some((e) => e.type === 'notify' && e.target.kind === 'chat' && e.target.id === chatId), 'chat notification');
    const got = await bob!.command('attachmentData', { id: ref.id });
    expect(Buffer.from(got.dataBase64, 'base64').equals(bytes)).toBe(true);
    expect(got.mime).toContain('application/pdf');
    const carol = newCore();
    cores.push(carol);
    await signIn(carol, org.relay.httpUrl, 'carol@test.parley', org.password);
    await expect(carol.command('attachmentData', { id: ref.id })).rejects.toMatchObject({ bridgeError: true });
  });

  it('a deactivated user is signed out and the replica deleted', async () => {
    const { org, cores: [alice] } = await setup('alice@test.parley');
    const path = alice!.impl.replicaPath(org.alice.id);
    const events: BridgeEvent[] = [];
    alice!.subscribe((e) => events.push(e));
    await org.relay.admin.deactivateUser(org.alice.id);
    await waitFor(() => events.some((e) => e.type === 'session' && e.session === null), 'session lost');
    expect(existsSync(path)).toBe(false);
    expect(await alice!.query('syncStatus', {})).toMatchObject({ state: 'signedOut', error: 'your account has been deactivated' });
  });

  it('an expired session keeps the replica and its outbox for the next sign-in', async () => {
    org = await startTestRelay({ accessTokenTtlSeconds: 30 }); // under a minute: every connect refreshes
    const alice = newCore();
    cores.push(alice);
    await signIn(alice, org.relay.httpUrl, 'alice@test.parley', org.password);
    await alice.impl.current!.sync.stop();
    const id = uuidv7();
    expect((await alice.mutate('createContact', { id, name: 'Kept Offline', phone: '+447700900777' })).ok).toBe(true);
    // the refresh token is revoked elsewhere (e.g. signed out by an admin)
    const rt = await alice.impl.sessions.refreshToken();
    await fetch(`${org.relay.httpUrl}/auth/logout`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ refreshToken: rt }) });
    const events: BridgeEvent[] = [];
    alice.subscribe((e) => events.push(e));
    alice.impl.current!.sync.start();
    await waitFor(() => events.some((e) => e.type === 'session' && e.session === null), 'session lost');
    expect(existsSync(alice.impl.replicaPath(org.alice.id))).toBe(true);
    await signIn(alice, org.relay.httpUrl, 'alice@test.parley', org.password);
    expect((await org.relay.services.engine.store.rows.get('contacts', id))?.name).toBe('Kept Offline');
  });

  it('sign-out deletes the replica and the stored token', async () => {
    const { cores: [alice] } = await setup('alice@test.parley');
    const session = await alice!.query('session', {});
    const path = alice!.impl.replicaPath(session!.userId);
    expect(existsSync(path)).toBe(true);
    await alice!.command('signOut', {});
    expect(existsSync(path)).toBe(false);
    expect(await alice!.query('session', {})).toBeNull();
    expect((await alice!.query('syncStatus', {})).state).toBe('signedOut');
    await expect(alice!.query('inbox', { view: 'team' })).rejects.toMatchObject({ code: 'signed_out' });
  });
});
