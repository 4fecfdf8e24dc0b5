// Issue 12 tools 1, 4, 6 over a real relay and real sockets: where canned responses, mentions and
// managed group chats go (and never go), live and at catch-up.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuidv7 } from 'uuidv7';
import { startTestRelay, type TestOrg } from '../testing';
import { connectAs, salesConversation } from './helpers';
import type { WsTestClient } from './wsClient';

let org: TestOrg;
let admin: WsTestClient;
let alice: WsTestClient;
let bob: WsTestClient;
let carol: WsTestClient;
beforeAll(async () => {
  org = await startTestRelay();
  [admin, alice, bob, carol] = await Promise.all([connectAs(org, 'admin'), connectAs(org, 'alice'), connectAs(org, 'bob'), connectAs(org, 'carol')]);
});
afterAll(async () => {
  await Promise.all([admin, alice, bob, carol].map((c) => c.close()));
  await org.relay.close();
});

const putsOf = (c: WsTestClient, from: number) => c.frames.slice(from).flatMap((f) => (f.type === 'poke' ? f.puts : []));

describe('canned responses', () => {
  it('a personal one reaches only its owner; a shared one the group (members and admins), never other groups', async () => {
    const from = { bob: bob.frames.length, carol: carol.frames.length };
    const mine = uuidv7();
    expect((await alice.mutate('createCannedResponse', { id: mine, groupId: null, title: 'Mine', body: 'Hi {{contact.first_name}}' })).status).toBe('ok');
    const shared = uuidv7();
    expect((await admin.mutate('createCannedResponse', { id: shared, groupId: org.groups.sales.id, title: 'Hours', body: 'We open at 9' })).status).toBe('ok');
    await alice.waitFor('poke', () => alice.row('cannedResponses', shared) !== undefined);
    await bob.waitFor('poke', () => bob.row('cannedResponses', shared) !== undefined);
    expect(alice.row('cannedResponses', mine)).toBeDefined();
    expect(admin.row('cannedResponses', mine)).toBeUndefined();
    expect(putsOf(bob, from.bob).some((p) => p.r.id === mine)).toBe(false);
    // carol (support only) gets neither
    expect(putsOf(carol, from.carol).some((p) => p.t === 'cannedResponses')).toBe(false);
    // and an agent's attempt at a shared one is refused by the relay with a sentence
    const r = await bob.mutate('createCannedResponse', { id: uuidv7(), groupId: org.groups.sales.id, title: 'x', body: 'y' });
    expect(r).toMatchObject({ status: 'rejected', code: 'forbidden' });
    expect(r.message).toMatch(/Only admins can create shared canned responses/);
  });
});

describe('@mentions', () => {
  it('a mention travels with its conversation: to those who see it, not to others; refused with the reason for someone who may not', async () => {
    const { convId } = await salesConversation(org, admin, alice);
    const restricted = await admin.mutate('manageConversation', { conversationId: convId, visibleTo: [org.alice.id, org.admin.id], assignees: [org.alice.id], baseVisibilityVersion: admin.row('conversations', convId)?.visibilityVersion ?? 0 });
    expect(restricted.status).toBe('ok');
    const bobFrom = bob.frames.length;
    const carolFrom = carol.frames.length;
    // bob may not see it any more: refused by the relay with his name, and nothing reaches him
    const refused = await alice.mutate('addNote', { id: uuidv7(), conversationId: convId, body: '@Bob can you call?', mentions: [org.bob.id] });
    expect(refused).toMatchObject({ status: 'rejected', code: 'mention_not_visible' });
    expect(refused.message).toMatch(/^Bob cannot see this conversation/);
    // the admin may: the mention row reaches the admin (and alice), never bob or carol
    const note = uuidv7();
    expect((await alice.mutate('addNote', { id: note, conversationId: convId, body: '@Admin please look', mentions: [org.admin.id] })).status).toBe('ok');
    await admin.waitFor('poke', () => admin.row('mentions', `${note}:${org.admin.id}`) !== undefined);
    expect(alice.row('mentions', `${note}:${org.admin.id}`)).toMatchObject({ userId: org.admin.id, readAt: null });
    for (const [c, i] of [[bob, bobFrom], [carol, carolFrom]] as const) expect(putsOf(c, i).some((p) => p.t === 'mentions' || p.r.id === note)).toBe(false);
    // read state: only the mentioned user marks it
    expect((await alice.mutate('markMentionsRead', { ids: [`${note}:${org.admin.id}`] })).code).toBe('forbidden');
    expect((await admin.mutate('markMentionsRead', { ids: [`${note}:${org.admin.id}`] })).status).toBe('ok');
    expect(admin.row('mentions', `${note}:${org.admin.id}`)?.readAt).toEqual(expect.any(Number));
  });
});

describe('group chats, managed', () => {
  it('a removed member loses the chat scope live; renames and new messages never reach them', async () => {
    const chatId = uuidv7();
    await alice.mutate('createChat', { id: chatId, members: [org.alice.id, org.bob.id, org.carol.id], title: 'Launch' });
    const msg = uuidv7();
    await bob.mutate('sendChatMessage', { id: msg, chatId, body: 'secret plan' });
    await carol.waitFor('poke', () => carol.row('chatMessages', msg) !== undefined);
    expect((await alice.mutate('removeChatMember', { chatId, userId: org.carol.id })).status).toBe('ok');
    await carol.waitFor('poke', (p) => p.dels.some((d) => 'scope' in d && d.scope === `chat:${chatId}`));
    expect(carol.row('chats', chatId)).toBeUndefined();
    expect(carol.row('chatMessages', msg)).toBeUndefined();
    const from = carol.frames.length;
    await alice.mutate('renameChat', { chatId, title: 'Launch (core team)' });
    const later = uuidv7();
    await alice.mutate('sendChatMessage', { id: later, chatId, body: 'after carol left' });
    await bob.waitFor('poke', () => bob.row('chatMessages', later) !== undefined);
    expect(putsOf(carol, from).some((p) => JSON.stringify(p).includes(chatId))).toBe(false);
    // added back: the whole scope again, history included
    expect((await bob.mutate('addChatMembers', { chatId, userIds: [org.carol.id] })).status).toBe('ok');
    await carol.waitFor('poke', () => carol.row('chatMessages', later) !== undefined);
    expect(carol.row('chats', chatId)).toMatchObject({ title: 'Launch (core team)' });
  });

  it('a member removed while offline loses the chat at catch-up; leaving works the same', async () => {
    const chatId = uuidv7();
    await alice.mutate('createChat', { id: chatId, members: [org.alice.id, org.bob.id, org.carol.id] });
    const msg = uuidv7();
    await alice.mutate('sendChatMessage', { id: msg, chatId, body: 'hello all' });
    await carol.waitFor('poke', () => carol.row('chatMessages', msg) !== undefined);
    const { cookie, clientId, lastMutationId } = carol;
    await carol.close();
    await alice.mutate('removeChatMember', { chatId, userId: org.carol.id });
    carol = await connectAs(org, 'carol', { clientId, cookie, lastMutationId });
    const poke = carol.all('poke')[0];
    expect(poke?.dels).toContainEqual({ scope: `chat:${chatId}` });
    expect(poke?.puts.some((p) => JSON.stringify(p).includes(chatId))).toBe(false);
    // bob leaves: he loses it too
    expect((await bob.mutate('leaveChat', { chatId })).status).toBe('ok');
    expect(bob.row('chats', chatId)).toBeUndefined();
    expect(bob.row('chatMessages', msg)).toBeUndefined();
  });
});
