// Presence through the core: one user's core says what it views and that it replies; another
// user's core (who may read the conversation) sees it via the `presence` query and a `changed`
// event; sign-out of the first makes it offline. Real relay, real WebSockets, real replicas.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRelay, type TestOrg } from '../../../server/testing';
import { newCore, settled, signIn, waitFor, type TestCore } from './harness';

let org: TestOrg;
let alice: TestCore;
let bob: TestCore;
let convId = '';

beforeAll(async () => {
  org = await startTestRelay();
  alice = newCore();
  bob = newCore();
  await signIn(alice, org.relay.httpUrl, 'alice@test.parley', org.password);
  await signIn(bob, org.relay.httpUrl, 'bob@test.parley', org.password);
  await org.relay.simulator.inbound({ groupId: org.groups.sales.id, from: '+447700900402', body: 'Hello?', contactName: 'Robin' });
  await waitFor(async () => (await bob.query('inbox', { view: 'team' })).items.length > 0, 'inbound conversation');
  convId = (await bob.query('inbox', { view: 'team' })).items[0]?.id ?? '';
  await settled(alice);
  await settled(bob);
}, 60_000);
afterAll(async () => {
  await bob.close();
  await org.relay.close();
});

describe('presence through the core', () => {
  it('bob sees alice online, viewing, then replying (the last of a burst wins); away; offline after sign-out', async () => {
    const of = async () => (await bob.query('presence', {})).find((u) => u.userId === org.alice.id);
    await waitFor(async () => (await of())?.status === 'online', 'alice online');
    let events = 0;
    const off = bob.subscribe((e) => {
      if (e.type === 'presence') events++;
    });
    await alice.command('setPresence', { viewing: convId });
    await waitFor(async () => (await of())?.viewing.some((v) => v.conversationId === convId && !v.typing) === true, 'alice viewing');
    for (let i = 0; i < 10; i++) await alice.command('setPresence', { typing: i % 2 === 0 });
    await alice.command('setPresence', { typing: true });
    await waitFor(async () => (await of())?.viewing.some((v) => v.conversationId === convId && v.typing) === true, 'alice replying');
    expect(events).toBeGreaterThan(0);
    // bob's own presence never appears in his list
    expect((await bob.query('presence', {})).some((u) => u.userId === org.bob.id)).toBe(false);
    // away by hand
    await alice.command('setPresence', { status: 'away' });
    await waitFor(async () => (await of())?.status === 'away', 'alice away');
    off();
    await alice.close();
    await waitFor(async () => (await of()) === undefined, 'alice offline');
  });
});
