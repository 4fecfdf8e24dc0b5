// Automatic assignment through the core (issue 13 part 2): the admin's setting and an agent's
// "not accepting" are ordinary mutations (optimistic, then the relay's); the relay's decision
// arrives as a poke: My inbox, the directory and the conversation detail (who, automatically).
// Real relay, real WebSockets, real replicas.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRelay, type TestOrg } from '../../../server/testing';
import { newCore, settled, signIn, waitFor, type TestCore } from './harness';

let org: TestOrg;
let admin: TestCore;
let alice: TestCore;
let bob: TestCore;

beforeAll(async () => {
  org = await startTestRelay();
  [admin, alice, bob] = [newCore(), newCore(), newCore()];
  await signIn(admin, org.relay.httpUrl, 'admin@test.parley', org.password);
  await signIn(alice, org.relay.httpUrl, 'alice@test.parley', org.password);
  await signIn(bob, org.relay.httpUrl, 'bob@test.parley', org.password);
  await Promise.all([settled(admin), settled(alice), settled(bob)]);
}, 60_000);
afterAll(async () => {
  await Promise.all([admin.close(), alice.close(), bob.close()]);
  await org.relay.close();
});

const mine = async (c: TestCore) => (await c.query('inbox', { view: 'mine' })).items.map((i) => i.id);

describe('automatic assignment through the core', () => {
  it('settings sync; new conversations land in the assignee\'s My inbox with who assigned them; a waiting one goes to whoever accepts again', async () => {
    // the admin is a sales member too: not accepting, and so is alice for now
    expect((await admin.mutate('setAccepting', { accepting: false })).ok).toBe(true);
    expect((await alice.mutate('setAccepting', { accepting: false })).ok).toBe(true);
    // optimistic: alice's own directory says so at once
    expect((await alice.query('directory', {})).users.find((u) => u.id === org.alice.id)?.accepting).toBe(false);
    expect((await admin.mutate('setAutoAssign', { groupId: org.groups.sales.id, mode: 'online_away', capacity: 2 })).ok).toBe(true);
    // an agent's attempt is refused locally (the same rule as the relay's)
    expect((await bob.mutate('setAutoAssign', { groupId: org.groups.sales.id, mode: 'off', capacity: 2 })).ok).toBe(false);
    await settled(admin);
    await settled(alice);
    await waitFor(async () => (await bob.query('directory', {})).groups.find((g) => g.id === org.groups.sales.id)?.autoAssign === 'online_away', 'setting reached bob');

    for (const n of [1, 2, 3]) await org.relay.simulator.inbound({ groupId: org.groups.sales.id, from: `+44770090050${n}`, body: `Question ${n}`, contactName: `Customer ${n}` });
    await waitFor(async () => (await mine(bob)).length === 2, 'two in bob\'s My inbox');
    const team = async () => (await admin.query('inbox', { view: 'team' })).items;
    await waitFor(async () => (await team()).length === 3, 'three conversations in the admin\'s Team inbox');
    const waiting = (await team()).find((i) => i.kind === 'conversation' && i.assignees.length === 0);
    expect(waiting).toMatchObject({ assignees: [], awaitingAssignment: true });
    const detail = await bob.query('conversation', { id: (await mine(bob))[0] ?? '' });
    expect(detail?.conversation).toMatchObject({ assignees: [org.bob.id], autoAssignedTo: org.bob.id, autoAssignWaiting: false });
    expect(detail?.conversation.autoAssignedAt).toEqual(expect.any(Number));

    // alice accepts again: the waiting conversation is hers
    expect((await alice.mutate('setAccepting', { accepting: true })).ok).toBe(true);
    await waitFor(async () => (await mine(alice)).includes(waiting?.id ?? ''), 'the waiting one in alice\'s My inbox');
    const hers = await alice.query('conversation', { id: waiting?.id ?? '' });
    expect(hers?.conversation).toMatchObject({ assignees: [org.alice.id], autoAssignedTo: org.alice.id });
  });
});
