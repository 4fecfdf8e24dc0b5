// Visibility: restricted content reaches exactly the users allowed to see it, live and at catch-up.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuidv7 } from 'uuidv7';
import { startTestRelay, type TestOrg } from '../testing';
import { connectAs, salesConversation, visibilityVersionOf } from './helpers';
import { WsTestClient } from './wsClient';

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

describe('visibility', () => {
  it('restricting sends scope dels to exactly those who lost it, and nothing later', async () => {
    const { convId, msgId } = await salesConversation(org, admin, alice);
    await bob.waitFor('poke', () => bob.row('messages', msgId) !== undefined);
    expect(bob.row('conversations', convId)).toBeDefined();
    const aliceFrames = alice.frames.length;
    const carolFrames = carol.frames.length;

    const r = await admin.mutate('manageConversation', { conversationId: convId, visibleTo: [org.admin.id, org.alice.id], assignees: [org.alice.id], baseVisibilityVersion: await visibilityVersionOf(org, convId) });
    expect(r.status).toBe('ok');
    const lost = await bob.waitFor('poke', (p) => p.dels.some((d) => 'scope' in d && d.scope === `conv:${convId}`));
    expect(lost.puts.some((p) => p.t === 'conversations' && p.r.id === convId)).toBe(false);
    expect(bob.row('conversations', convId)).toBeUndefined();
    expect(bob.row('messages', msgId)).toBeUndefined();
    // alice (and the admin, listed) keep it and get the new row; carol never saw it and gets no scope del
    await alice.waitFor('poke', (p) => p.puts.some((x) => x.t === 'conversations' && x.r.id === convId));
    expect(alice.frames.slice(aliceFrames).some((f) => f.type === 'poke' && f.dels.some((d) => 'scope' in d))).toBe(false);
    expect(carol.frames.slice(carolFrames).some((f) => f.type === 'poke' && f.dels.length > 0)).toBe(false);

    // later content of the conversation never reaches bob
    const bobFrames = bob.frames.length;
    const secret = uuidv7();
    await alice.mutate('addNote', { id: secret, conversationId: convId, body: 'restricted note' });
    await admin.waitFor('poke', (p) => p.puts.some((x) => x.r.id === secret));
    const later = bob.frames.slice(bobFrames).flatMap((f) => (f.type === 'poke' ? f.puts : []));
    expect(later.some((p) => JSON.stringify(p).includes(convId))).toBe(false);

    // widening again: bob gains the whole scope, including the note written meanwhile
    const w = await admin.mutate('manageConversation', { conversationId: convId, visibleTo: null, assignees: [org.alice.id], baseVisibilityVersion: await visibilityVersionOf(org, convId) });
    expect(w.status).toBe('ok');
    await bob.waitFor('poke', (p) => p.puts.some((x) => x.t === 'notes' && x.r.id === secret));
    expect(bob.row('conversations', convId)).toBeDefined();
    expect(bob.row('messages', msgId)).toBeDefined();
  });

  it('catch-up from an old cookie deletes a scope lost while offline and sends one gained', async () => {
    const { convId, msgId } = await salesConversation(org, admin, alice);
    await bob.waitFor('poke', () => bob.row('messages', msgId) !== undefined);
    const cookie = bob.cookie;
    const clientId = bob.clientId;
    const lastMutationId = bob.lastMutationId;
    await bob.close();
    await admin.mutate('manageConversation', { conversationId: convId, visibleTo: [org.alice.id], assignees: [], baseVisibilityVersion: await visibilityVersionOf(org, convId) });
    const second = await salesConversation(org, admin, alice);
    const back = await connectAs(org, 'bob', { clientId, cookie, lastMutationId });
    const poke = back.all('poke')[0];
    expect(poke?.baseCookie).toBe(cookie);
    expect(poke?.dels).toContainEqual({ scope: `conv:${convId}` });
    expect(poke?.puts.some((p) => p.t === 'messages' && p.r.id === second.msgId)).toBe(true);
    expect(poke?.puts.some((p) => p.r.id === msgId)).toBe(false);
    // only what changed since the cookie: users and groups are not resent
    expect(poke?.puts.some((p) => p.t === 'groups')).toBe(false);
    bob = back;
  });

  it('an admin outside "Visible to" receives the metadata row only, live and at catch-up; granting themselves access is recorded (issue 10 item 2)', async () => {
    const { convId, msgId } = await salesConversation(org, admin, alice);
    await admin.waitFor('poke', () => admin.row('messages', msgId) !== undefined);
    const invoiceId = uuidv7();
    expect((await alice.mutate('createInvoice', { id: invoiceId, conversationId: convId, currency: 'GBP', lineItems: [{ description: 'Work', quantity: 1, unitAmount: 1000 }], dueDate: '2026-12-31', send: true, messageId: uuidv7() })).status).toBe('ok');
    await admin.waitFor('poke', () => admin.row('invoices', invoiceId) !== undefined);
    const adminFrames = admin.frames.length;
    expect((await alice.mutate('manageConversation', { conversationId: convId, visibleTo: null, assignees: [org.alice.id], baseVisibilityVersion: 0 })).status).toBe('ok');
    const r = await alice.mutate('manageConversation', { conversationId: convId, visibleTo: [org.alice.id], assignees: [org.alice.id], baseVisibilityVersion: 0 });
    expect(r, r.message).toMatchObject({ status: 'ok' });
    // content lost, metadata kept: the scope is deleted (scrubbed) and its metadata row put back
    const demoted = await admin.waitFor('poke', (p) => p.dels.some((d) => 'scope' in d && d.scope === `conv:${convId}`));
    expect(demoted.puts.filter((p) => JSON.stringify(p).includes(convId)).map((p) => p.t)).toEqual(['conversations']);
    expect(admin.row('messages', msgId)).toBeUndefined();
    expect(admin.row('invoices', invoiceId)).toBeUndefined();
    expect(admin.row('conversations', convId)).toMatchObject({ visibleTo: [org.alice.id], assignees: [org.alice.id], lastPreview: '', metaOnly: { invoiceOutstanding: true } });
    // content written later never reaches the admin; the metadata row follows (activity, invoice flag)
    const secret = 'confidential-' + uuidv7();
    expect((await alice.mutate('addNote', { id: uuidv7(), conversationId: convId, body: secret })).status).toBe('ok');
    await alice.mutate('sendMessage', { id: uuidv7(), conversationId: convId, contactId: alice.row('conversations', convId)?.contactId ?? '', groupId: org.groups.sales.id, channel: 'sms', body: secret });
    await alice.mutate('voidInvoice', { invoiceId });
    await admin.waitFor('poke', () => admin.row('conversations', convId)?.metaOnly?.invoiceOutstanding === false);
    expect(admin.frames.slice(adminFrames).some((f) => JSON.stringify(f).includes(secret))).toBe(false);
    expect(admin.row('conversations', convId)?.lastPreview).toBe('');
    // a full sync (new device) and a catch-up from a cookie send the metadata row only
    const fresh = await connectAs(org, 'admin');
    expect(fresh.row('conversations', convId)).toMatchObject({ lastPreview: '', metaOnly: { invoiceOutstanding: false } });
    expect(fresh.table('messages').some((m) => m.conversationId === convId)).toBe(false);
    expect(fresh.table('notes').some((n) => n.conversationId === convId)).toBe(false);
    expect(fresh.frames.some((f) => JSON.stringify(f).includes(secret))).toBe(false);
    await fresh.close();
    // the admin manages it without content (assignees), and may add themselves: recorded
    const audit = () => org.relay.services.engine.store.all("SELECT actor_id AS \"actorId\", action, target FROM audit_log WHERE target = ? AND action = 'grantSelfAccess'", [convId]);
    expect((await admin.mutate('manageConversation', { conversationId: convId, visibleTo: [org.alice.id], assignees: [], baseVisibilityVersion: await visibilityVersionOf(org, convId) })).status).toBe('ok');
    expect(await audit()).toEqual([]);
    expect((await admin.mutate('addNote', { id: uuidv7(), conversationId: convId, body: 'x' }))).toMatchObject({ status: 'rejected', code: 'forbidden' });
    expect((await admin.mutate('manageConversation', { conversationId: convId, visibleTo: [org.alice.id, org.admin.id], assignees: [], baseVisibilityVersion: await visibilityVersionOf(org, convId) })).status).toBe('ok');
    expect(await audit()).toEqual([{ actorId: org.admin.id, action: 'grantSelfAccess', target: convId }]);
    // mutate() waited for the poke covering it: the whole scope came with it
    expect(admin.table('notes').some((n) => n.conversationId === convId)).toBe(true);
    expect(admin.row('conversations', convId)).toMatchObject({ metaOnly: null });
    expect(admin.row('messages', msgId)).toBeDefined();
  });

  it('team chats are private to their participants: an admin outside receives the metadata row only (issue 10 item 1)', async () => {
    const chatId = uuidv7();
    const adminFrames = admin.frames.length;
    expect((await alice.mutate('createChat', { id: chatId, members: [org.alice.id] })).status === 'ok' || alice.table('chats').some((c) => c.kind === 'self')).toBe(true);
    const self = alice.table('chats').find((c) => c.kind === 'self' && c.members[0] === org.alice.id);
    if (!self) throw new Error('no self chat');
    const secret = 'diary-' + uuidv7();
    expect((await alice.mutate('sendChatMessage', { id: uuidv7(), chatId: self.id, body: secret })).status).toBe('ok');
    expect((await alice.mutate('sendChatMessage', { id: uuidv7(), chatId: self.id, body: 'second' })).status).toBe('ok');
    await admin.waitFor('poke', () => (admin.row('chats', self.id)?.metaOnly?.messageCount ?? 0) >= 2);
    expect(admin.row('chats', self.id)).toMatchObject({ kind: 'self', members: [org.alice.id], lastPreview: '' });
    expect(admin.table('chatMessages').some((m) => m.chatId === self.id)).toBe(false);
    expect(admin.frames.slice(adminFrames).some((f) => JSON.stringify(f).includes(secret))).toBe(false);
    expect(alice.table('chatMessages').some((m) => m.body === secret)).toBe(true);
    // a new device of the admin: the metadata row, never the messages
    const fresh = await connectAs(org, 'admin');
    expect(fresh.row('chats', self.id)?.metaOnly?.messageCount).toBeGreaterThanOrEqual(2);
    expect(fresh.frames.some((f) => JSON.stringify(f).includes(secret))).toBe(false);
    await fresh.close();
    // the admin can write nothing in it, but can delete it
    expect(await admin.mutate('sendChatMessage', { id: uuidv7(), chatId: self.id, body: 'peek' })).toMatchObject({ status: 'rejected', code: 'forbidden' });
    expect((await admin.mutate('deleteChat', { chatId: self.id })).status).toBe('ok');
    await alice.waitFor('poke', () => alice.row('chats', self.id) === undefined);
  });

  it('a Manage save made from an older view is refused as stale, never re-widening a newer restriction (issue 10 item 4)', async () => {
    const { convId, msgId } = await salesConversation(org, admin, alice);
    await bob.waitFor('poke', () => bob.row('messages', msgId) !== undefined);
    // alice (assignee) opens Manage and goes offline with what she saw
    expect((await admin.mutate('manageConversation', { conversationId: convId, visibleTo: null, assignees: [org.alice.id], baseVisibilityVersion: 0 })).status).toBe('ok');
    await alice.waitFor('poke', () => alice.row('conversations', convId)?.assignees.includes(org.alice.id) === true);
    const seen = alice.row('conversations', convId)?.visibilityVersion ?? -1;
    const cookie = alice.cookie;
    const clientId = alice.clientId;
    const lastMutationId = alice.lastMutationId;
    await alice.close();
    // meanwhile the admin restricts it away from bob
    expect((await admin.mutate('manageConversation', { conversationId: convId, visibleTo: [org.admin.id, org.alice.id], assignees: [org.alice.id], baseVisibilityVersion: seen })).status).toBe('ok');
    await bob.waitFor('poke', () => bob.row('conversations', convId) === undefined);
    // alice comes back and her queued save (visible to everyone, from her older view) arrives: refused
    alice = await connectAs(org, 'alice', { clientId, cookie, lastMutationId });
    const stale = await alice.mutate('manageConversation', { conversationId: convId, visibleTo: null, assignees: [org.alice.id, org.bob.id], baseVisibilityVersion: seen });
    expect(stale).toMatchObject({ status: 'rejected', code: 'stale' });
    expect(stale.message).toMatch(/changed since you opened/);
    expect((await org.relay.services.engine.store.rows.get('conversations', convId))?.visibleTo).toEqual([org.admin.id, org.alice.id]);
    expect(bob.row('conversations', convId)).toBeUndefined();
    // a save without the base is invalid; one from the current view goes through
    expect(await alice.mutate('manageConversation', { conversationId: convId, visibleTo: null, assignees: [] })).toMatchObject({ status: 'rejected', code: 'invalid' });
    expect((await alice.mutate('manageConversation', { conversationId: convId, visibleTo: null, assignees: [org.alice.id], baseVisibilityVersion: await visibilityVersionOf(org, convId) })).status).toBe('ok');
  });

  it('an agent made admin while connected receives the metadata rows of what they may not read, never its content', async () => {
    const { convId, msgId } = await salesConversation(org, admin, alice);
    expect((await admin.mutate('manageConversation', { conversationId: convId, visibleTo: [org.alice.id], assignees: [], baseVisibilityVersion: await visibilityVersionOf(org, convId) })).status).toBe('ok');
    const { accessToken } = await org.login('carol@test.parley');
    const c = await WsTestClient.synced(org.relay.wsUrl, accessToken);
    expect(c.row('conversations', convId)).toBeUndefined(); // support only: not even its existence
    expect((await admin.mutate('setUserRole', { userId: org.carol.id, role: 'admin' })).status).toBe('ok');
    await c.waitFor('poke', () => c.row('conversations', convId) !== undefined).catch(() => undefined);
    // live, or after the reset a role change asks for: the metadata row only
    const seen = c.row('conversations', convId) ? c : await connectAs(org, 'carol');
    expect(seen.row('conversations', convId)).toMatchObject({ lastPreview: '', metaOnly: { invoiceOutstanding: false } });
    expect(seen.row('messages', msgId)).toBeUndefined();
    expect((await admin.mutate('setUserRole', { userId: org.carol.id, role: 'agent' })).status).toBe('ok');
    await Promise.all([...new Set([c, seen])].map((x) => x.close()));
  });
});
