// Issue 12 tools 1, 4, 6 through real cores against a real relay: canned responses written offline
// sync later; a mention notifies its user and shows in Mentions with unread state; team-chat
// messages are found by local search, and a member removed from a group chat loses them from
// the replica (search, rows and the database files).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuidv7 } from 'uuidv7';
import { startTestRelay, type TestOrg } from '../../../server/testing';
import type { BridgeEvent, ConversationListItem } from '../../../shared/bridge';
import { filesHolding, newCore, settled, signIn, waitFor, type TestCore } from './harness';
import { RelayProxy } from './relayProxy';

let org: TestOrg;
let proxy: RelayProxy;
let alice: TestCore;
let bob: TestCore;
let carol: TestCore;

beforeAll(async () => {
  org = await startTestRelay();
  proxy = new RelayProxy({ host: '127.0.0.1', port: org.relay.port });
  const viaProxy = await proxy.listen();
  [alice, bob, carol] = [newCore(), newCore(), newCore()];
  await signIn(alice, viaProxy, 'alice@test.parley', org.password);
  await signIn(bob, org.relay.httpUrl, 'bob@test.parley', org.password);
  await signIn(carol, org.relay.httpUrl, 'carol@test.parley', org.password);
});
afterAll(async () => {
  for (const c of [alice, bob, carol]) await c.close();
  await proxy.close();
  await org.relay.close();
});


/** Alice's sockets are cut and every frame she sends is dropped until `online()`. */
function offline(): () => void {
  proxy.hooks.up = () => null;
  proxy.cutAll();
  return () => {
    proxy.hooks.up = undefined;
    proxy.cutAll();
  };
}

describe('canned responses in the replica', () => {
  it('written offline, shown at once (pending), synced on reconnect; shared ones of my groups listed after mine', async () => {
    const online = offline();
    await waitFor(async () => (await alice.query('syncStatus', {})).state !== 'online', 'alice offline');
    const id = uuidv7();
    expect((await alice.mutate('createCannedResponse', { id, groupId: null, title: 'Shipping', body: 'Hi {{contact.first_name}}, it ships today.' })).ok).toBe(true);
    expect((await alice.query('cannedResponses', {})).map((r) => r.id)).toContain(id);
    expect((await alice.query('syncStatus', {})).pending).toBeGreaterThan(0);
    // meanwhile an admin shares one with sales (rebased under alice's pending one)
    await org.relay.services.engine.runAs({ userId: org.admin.id, role: 'admin' }, 'createCannedResponse', { id: 'shared-hours', groupId: org.groups.sales.id, title: 'Hours', body: 'We open at 9.' });
    online();
    await settled(alice);
    expect((await org.relay.services.engine.store.rows.get('cannedResponses', id))).toMatchObject({ ownerId: org.alice.id, title: 'Shipping' });
    await waitFor(async () => (await alice.query('cannedResponses', { groupId: org.groups.sales.id })).length === 2, 'both listed');
    expect((await alice.query('cannedResponses', { groupId: org.groups.sales.id })).map((r) => r.title)).toEqual(['Shipping', 'Hours']);
    // bob sees the shared one only; carol (support) neither
    await waitFor(async () => (await bob.query('cannedResponses', {})).length === 1, 'bob has the shared one');
    expect(await carol.query('cannedResponses', {})).toEqual([]);
  });
});

describe('@mentions in the replica', () => {
  it('notifies the mentioned user once, lists it unread in Mentions, counts it, and marks it read', async () => {
    await org.relay.simulator.inbound({ groupId: org.groups.sales.id, from: '+447700900711', body: 'Where is my parcel?', contactName: 'Nora Blake' });
    await waitFor(async () => (await alice.query('inbox', { view: 'team' })).items.some((i) => i.kind === 'conversation' && i.contactName === 'Nora Blake'), 'alice has it');
    const conv = (await alice.query('inbox', { view: 'team' })).items.find((i) => i.kind === 'conversation' && i.contactName === 'Nora Blake') as ConversationListItem;
    const events: BridgeEvent[] = [];
    const off = bob.subscribe((e) => events.push(e));
    const note = uuidv7();
    expect((await alice.mutate('addNote', { id: note, conversationId: conv.id, body: '@Bob can you call Nora?', mentions: [org.bob.id] })).ok).toBe(true);
    await waitFor(() => events.some((e) => e.type === 'notify'), 'bob notified');
    off();
    expect(events.filter((e) => e.type === 'notify')).toEqual([
      { type: 'notify', title: 'Alice mentioned you · Nora Blake', body: '@Bob can you call Nora?', target: { kind: 'conversation', id: conv.id, noteId: note } },
    ]);
    const page = await bob.query('mentions', {});
    expect(page).toMatchObject({ total: 1, unread: 1, items: [{ noteId: note, conversationId: conv.id, contactName: 'Nora Blake', authorName: 'Alice', unread: true }] });
    expect((await bob.query('counts', {})).mentions).toBe(1);
    expect((await alice.query('mentions', {})).total).toBe(0);
    expect((await bob.mutate('markMentionsRead', { ids: [page.items[0]?.id ?? ''] })).ok).toBe(true);
    expect((await bob.query('counts', {})).mentions).toBe(0);
    expect((await bob.query('mentions', { unreadOnly: true })).items).toEqual([]);
    await settled(bob);
  });

  it('a mention of someone who may not see the conversation is refused before anything is queued, with the reason', async () => {
    const conv = (await alice.query('inbox', { view: 'team' })).items.find((i) => i.kind === 'conversation') as ConversationListItem;
    const r = await alice.mutate('addNote', { id: uuidv7(), conversationId: conv.id, body: '@Carol', mentions: [org.carol.id] });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.code).toBe('mention_not_visible');
      expect(r.message).toMatch(/^Carol cannot see this conversation/);
    }
  });
});

describe('team chat search and managed membership', () => {
  it('finds chat messages by word prefix; a removed member loses them from search, rows and files', async () => {
    const chatId = uuidv7();
    expect((await alice.mutate('createChat', { id: chatId, members: [org.alice.id, org.bob.id, org.carol.id], title: 'Launch' })).ok).toBe(true);
    const secret = 'the zebrafinch codename stays internal';
    expect((await alice.mutate('sendChatMessage', { id: uuidv7(), chatId, body: secret })).ok).toBe(true);
    await waitFor(async () => (await carol.query('search', { q: 'zebrafin' })).length === 1, 'carol finds it');
    const [hit] = await carol.query('search', { q: 'zebrafin' });
    expect(hit).toMatchObject({ kind: 'chatMessage', targetId: chatId, title: 'Launch' });
    expect(filesHolding(carol.dataDir, 'zebrafinch').length).toBeGreaterThan(0);
    expect((await alice.mutate('removeChatMember', { chatId, userId: org.carol.id })).ok).toBe(true);
    await waitFor(async () => (await carol.query('chat', { id: chatId })) === null, 'chat gone from carol');
    expect(await carol.query('search', { q: 'zebrafin' })).toEqual([]);
    await waitFor(() => filesHolding(carol.dataDir, 'zebrafinch').length === 0, 'scrubbed from carol files', 5000).catch(() => undefined);
    expect(filesHolding(carol.dataDir, 'zebrafinch')).toEqual([]);
    // bob still finds it, and the chat says who may manage it
    await waitFor(async () => (await bob.query('search', { q: 'zebrafin' })).length === 1, 'bob still finds it');
    expect(await bob.query('chat', { id: chatId })).toMatchObject({ canEdit: true, canRemoveMembers: false, canLeave: true, about: null });
  });

  it('"Discuss with…" names the conversation for members who may see it', async () => {
    const conv = (await alice.query('inbox', { view: 'team' })).items.find((i) => i.kind === 'conversation' && i.contactName === 'Nora Blake') as ConversationListItem;
    const chatId = uuidv7();
    expect((await alice.mutate('createChat', { id: chatId, members: [org.alice.id, org.bob.id], title: 'About Nora Blake', conversationId: conv.id })).ok).toBe(true);
    await waitFor(async () => (await bob.query('chat', { id: chatId })) !== null, 'bob has it');
    expect((await bob.query('chat', { id: chatId }))?.about).toEqual({ conversationId: conv.id, title: 'Nora Blake' });
    const r = await alice.mutate('addChatMembers', { chatId, userIds: [org.carol.id] });
    expect(r).toMatchObject({ ok: false, code: 'mention_not_visible' });
  });
});
