// Live visibility changes from group membership, conversation deletion, and large pokes in parts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRelay, type TestOrg } from '../testing';
import { SYSTEM_ACTOR } from '../sync/engine';
import { connectAs, salesConversation } from './helpers';
import type { WsTestClient } from './wsClient';

let org: TestOrg;
let admin: WsTestClient;
let alice: WsTestClient;
beforeAll(async () => {
  org = await startTestRelay();
  [admin, alice] = await Promise.all([connectAs(org, 'admin'), connectAs(org, 'alice')]);
});
afterAll(async () => {
  await Promise.all([admin.close(), alice.close()]);
  await org.relay.close();
});

describe('membership and deletion', () => {
  it('joining a group sends its conversations; leaving removes them', async () => {
    const { convId, msgId } = await salesConversation(org, admin, alice);
    const carol = await connectAs(org, 'carol');
    expect(carol.row('conversations', convId)).toBeUndefined();
    expect((await admin.mutate('addMember', { groupId: org.groups.sales.id, userId: org.carol.id })).status).toBe('ok');
    await carol.waitFor('poke', () => carol.row('messages', msgId) !== undefined);
    expect(carol.row('conversations', convId)).toBeDefined();
    expect((await admin.mutate('removeMember', { groupId: org.groups.sales.id, userId: org.carol.id })).status).toBe('ok');
    const p = await carol.waitFor('poke', (f) => f.dels.some((d) => 'scope' in d && d.scope === `conv:${convId}`));
    expect(p.puts.some((x) => x.t === 'messages')).toBe(false);
    expect(carol.row('messages', msgId)).toBeUndefined();
    await carol.close();
  });

  it('deleting a conversation sends a scope delete to those who saw it, live and at catch-up', async () => {
    const { convId } = await salesConversation(org, admin, alice);
    const bob = await connectAs(org, 'bob');
    const carol = await connectAs(org, 'carol');
    const { cookie: bobCookie, clientId: bobClient } = bob;
    await bob.close();
    const carolFrames = carol.frames.length;
    expect((await admin.mutate('deleteConversation', { conversationId: convId })).status).toBe('ok');
    await alice.waitFor('poke', (f) => f.dels.some((d) => 'scope' in d && d.scope === `conv:${convId}`));
    expect(alice.row('conversations', convId)).toBeUndefined();
    const back = await connectAs(org, 'bob', { cookie: bobCookie, clientId: bobClient });
    expect(back.all('poke')[0]?.dels).toContainEqual({ scope: `conv:${convId}` });
    await admin.mutate('markRead', { targetId: 'nothing', at: 1 });
    expect(carol.frames.slice(carolFrames).some((f) => f.type === 'poke' && f.dels.length > 0)).toBe(false);
    await Promise.all([back.close(), carol.close()]);
  });

  it('splits a large catch-up into parts of at most 2,000 rows', async () => {
    const engine = org.relay.services.engine;
    for (let i = 0; i < 2100; i++) await engine.runAs(SYSTEM_ACTOR, 'receiveInbound', { groupId: org.groups.support.id, channel: 'sms', from: '+447700900999', body: `m${i}` });
    const carol = await connectAs(org, 'carol');
    const pokes = carol.all('poke');
    expect(pokes.length).toBeGreaterThan(1);
    expect(pokes.slice(0, -1).every((p) => p.more === true)).toBe(true);
    expect(pokes.every((p) => p.puts.length + p.dels.length <= 2000)).toBe(true);
    expect(carol.table('messages').filter((m) => m.body.startsWith('m')).length).toBeGreaterThanOrEqual(2100);
    await carol.close();
  });
});
