// Visibility: restricted content reaches exactly the users allowed to see it, live and at catch-up.
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

describe('visibility', () => {
  it('restricting sends scope dels to exactly those who lost it, and nothing later', async () => {
    const { convId, msgId } = await salesConversation(org, admin, alice);
    await bob.waitFor('poke', () => bob.row('messages', msgId) !== undefined);
    expect(bob.row('conversations', convId)).toBeDefined();
    const aliceFrames = alice.frames.length;
    const carolFrames = carol.frames.length;

    const r = await admin.mutate('manageConversation', { conversationId: convId, visibleTo: [org.alice.id], assignees: [org.alice.id] });
    expect(r.status).toBe('ok');
    const lost = await bob.waitFor('poke', (p) => p.dels.some((d) => 'scope' in d && d.scope === `conv:${convId}`));
    expect(lost.puts.some((p) => p.t === 'conversations' && p.r.id === convId)).toBe(false);
    expect(bob.row('conversations', convId)).toBeUndefined();
    expect(bob.row('messages', msgId)).toBeUndefined();
    // alice keeps it and gets the new row; carol never saw it and gets no scope del
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
    const w = await admin.mutate('manageConversation', { conversationId: convId, visibleTo: null, assignees: [org.alice.id] });
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
    await admin.mutate('manageConversation', { conversationId: convId, visibleTo: [org.alice.id], assignees: [] });
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
});
