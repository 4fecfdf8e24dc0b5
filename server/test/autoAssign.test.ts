// Automatic assignment over real WebSockets (issue 13 part 2): several users signed in, presence
// online/away from their sockets, capacity, a conversation waiting until someone comes online or
// archives, "not accepting", and a pushed autoAssign refused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Conversation } from '../../shared/schema';
import { startTestRelay, type TestOrg } from '../testing';
import { connectAs } from './helpers';
import type { WsTestClient } from './wsClient';

let org: TestOrg;
let admin: WsTestClient;
let alice: WsTestClient;
let bob: WsTestClient;
beforeAll(async () => {
  org = await startTestRelay({ sync: { presenceThrottleMs: 50 } });
  [admin, alice, bob] = await Promise.all([connectAs(org, 'admin'), connectAs(org, 'alice'), connectAs(org, 'bob')]);
});
afterAll(async () => {
  await Promise.all([admin, alice, bob].map((c) => c.close()));
  await org.relay.close();
});

/** Waits (on pokes, no sleeps) until `pred` holds over what `c` holds. */
async function until(c: WsTestClient, pred: () => boolean): Promise<void> {
  if (pred()) return;
  await c.waitFor('poke', () => pred());
}
/** Waits until the relay's presence says `userId` is `status`. */
async function presenceIs(c: WsTestClient, userId: string, status: 'online' | 'away' | 'offline'): Promise<void> {
  const seen = () => {
    let last: string | undefined;
    for (const f of c.all('presence')) for (const u of f.users) if (u.userId === userId) last = u.status;
    return last === status;
  };
  if (seen()) return;
  await c.waitFor('presence', () => seen());
}

let phone = 200;
/** A new contact writes to sales; resolves with its conversation as the admin's replica holds it. */
async function inbound(): Promise<string> {
  const from = `+447700900${++phone}`;
  await org.relay.simulator.inbound({ groupId: org.groups.sales.id, from, body: `hello from ${from}` });
  let id = '';
  await until(admin, () => {
    const contact = admin.table('contacts').find((k) => k.phone === from);
    id = admin.table('conversations').find((x) => x.contactId === contact?.id)?.id ?? '';
    return id !== '';
  });
  return id;
}
const conv = (id: string): Conversation | undefined => admin.row('conversations', id);
const assigneeOf = async (id: string, who: string | null): Promise<Conversation> => {
  await until(admin, () => (who === null ? conv(id)?.autoAssignWaiting === true : conv(id)?.assignees[0] === who));
  return conv(id) as Conversation;
};

describe('automatic assignment on the relay', () => {
  it('spreads new inbound conversations among members online, with capacity; waits; assigns when someone comes online or archives', async () => {
    // the admin (a sales member too) is not accepting; alice is away
    expect((await admin.mutate('setAccepting', { accepting: false })).status).toBe('ok');
    alice.sendRaw(JSON.stringify({ type: 'presence', status: 'away' }));
    await presenceIs(bob, org.alice.id, 'away');
    expect((await alice.mutate('setAutoAssign', { groupId: org.groups.sales.id, mode: 'online', capacity: 2 })).code).toBe('forbidden');
    expect((await admin.mutate('setAutoAssign', { groupId: org.groups.sales.id, mode: 'online', capacity: 2 })).status).toBe('ok');

    const c1 = await inbound();
    const c2 = await inbound();
    const c3 = await inbound();
    expect((await assigneeOf(c1, org.bob.id)).autoAssignedTo).toBe(org.bob.id);
    await assigneeOf(c2, org.bob.id);
    // bob is full, alice away, the admin not accepting: c3 waits
    expect(await assigneeOf(c3, null)).toMatchObject({ assignees: [], autoAssignWaiting: true });

    // alice comes back: the waiting conversation goes to her
    alice.sendRaw(JSON.stringify({ type: 'presence', status: 'online' }));
    expect((await assigneeOf(c3, org.alice.id)).autoAssignWaiting).toBe(false);
    // alice sees it in her replica as assigned to her, automatically
    await until(alice, () => alice.row('conversations', c3)?.autoAssignedTo === org.alice.id);

    const c4 = await inbound();
    await assigneeOf(c4, org.alice.id);
    const c5 = await inbound();
    await assigneeOf(c5, null);
    // bob archives one: c5 goes to him (capacity freed)
    expect((await bob.mutate('archiveConversation', { conversationId: c1 })).status).toBe('ok');
    await assigneeOf(c5, org.bob.id);
    expect((await org.relay.services.store.rows.get('groups', org.groups.sales.id))?.autoAssignLast).toBe(org.bob.id);
  });

  it('an agent who is offline or turned "not accepting" gets nothing; turning it back on takes the oldest waiting first', async () => {
    await admin.mutate('setAutoAssign', { groupId: org.groups.sales.id, mode: 'online_away', capacity: 3 });
    expect((await alice.mutate('setAccepting', { accepting: false })).status).toBe('ok');
    expect((await bob.mutate('setAccepting', { accepting: false })).status).toBe('ok');
    const older = await inbound();
    const newer = await inbound();
    await assigneeOf(older, null);
    await assigneeOf(newer, null);
    // bob (holding 2 of 3) accepts again: he takes the older one only
    expect((await bob.mutate('setAccepting', { accepting: true })).status).toBe('ok');
    await assigneeOf(older, org.bob.id);
    expect(conv(newer)?.autoAssignWaiting).toBe(true);
    // bob signs out: he is offline, so alice (accepting again) gets the newer one, not him
    await bob.close();
    await presenceIs(admin, org.bob.id, 'offline');
    expect((await alice.mutate('setAccepting', { accepting: true })).status).toBe('ok');
    await assigneeOf(newer, org.alice.id);
  });

  it('clients may not push the decision', async () => {
    const r = await admin.mutate('autoAssign', { conversationId: 'x', candidates: [org.admin.id] });
    expect(r).toMatchObject({ status: 'rejected', code: 'forbidden' });
  });
});
