// Presence journey (issue 13): two agents on the same conversation. Bob sees "Alice is viewing",
// then "Alice is replying…" while she has a draft; Alice's avatar shows her online; when Alice has
// just replied, Bob's send asks "Alice just replied — send anyway?".
import { afterAll, beforeAll, describe, it } from 'vitest';
import { expect as pw } from './pw';
import { eventually, goTo, shotPath, startWorld, type AppUser, type World } from './harness';

let world: World;
let alice: AppUser;
let bob: AppUser;

beforeAll(async () => {
  world = await startWorld();
  await world.relay.simulator.inbound({ groupId: world.org.groups.sales.id, from: '+447700900203', body: 'Is the sofa still available?', contactName: 'Nora Presence' });
  alice = await world.open(world.org.alice.email);
  bob = await world.open(world.org.bob.email);
});
afterAll(async () => world?.close());

describe('Presence', () => {
  it('Bob sees Alice viewing and replying; a reply on top of hers asks first', async () => {
    for (const u of [alice, bob]) {
      await goTo(u.page, /^Team inbox/);
      await u.page.getByRole('option', { name: /Nora Presence/ }).click();
    }
    const bar = bob.page.getByRole('status').filter({ hasText: /Alice/ });
    await pw(bar).toContainText('Alice is viewing');
    await alice.page.getByPlaceholder(/^Reply to/).fill('Yes, it is!');
    await pw(bar).toContainText('Alice is replying…');
    await bob.page.screenshot({ path: shotPath('presence-replying.png') });

    // Alice sends; Bob's reply on top of hers asks first
    await alice.page.getByPlaceholder(/^Reply to/).press('Enter');
    await pw(bob.page.getByRole('log', { name: 'Messages' })).toContainText('Yes, it is!');
    await pw(bar).toContainText('Alice is viewing');
    let asked = '';
    bob.page.once('dialog', (d) => {
      asked = d.message();
      void d.dismiss();
    });
    await bob.page.getByPlaceholder(/^Reply to/).fill('I can hold it for you');
    await bob.page.getByPlaceholder(/^Reply to/).press('Enter');
    await eventually(() => asked === 'Alice just replied — send anyway?', 'the just-replied question');
    // dismissed: the draft is still there, nothing was sent
    await pw(bob.page.getByPlaceholder(/^Reply to/)).toHaveValue('I can hold it for you');
  });
});
