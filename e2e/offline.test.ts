// Journey 5: with the relay down an agent writes a note, edits a contact and replies; the
// UI shows them pending; when the relay is back they reach the other agent's window.
// Any active user may edit contacts (shared/permissions.ts); merge, delete, import and
// opt-out stay admin-only, so the agent sees them absent or disabled.
import { afterAll, beforeAll, describe, it } from 'vitest';
import { expect as pw } from './pw';
import { goTo, startWorld, timeline, type AppUser, type World } from './harness';

let world: World;
let alice: AppUser;
let bob: AppUser;

beforeAll(async () => {
  world = await startWorld();
  await world.relay.simulator.inbound({ groupId: world.org.groups.sales.id, from: '+447700900404', body: 'Is my order shipped?', contactName: 'Omar Haddad' });
  alice = await world.open(world.org.alice.email);
  bob = await world.open(world.org.bob.email);
});
afterAll(async () => world?.close());

describe('Offline', () => {
  it('5. an agent\'s note, contact edit and reply made offline show pending, then reach the other agent', async () => {
    for (const u of [alice, bob]) {
      await goTo(u.page, /^Team inbox/);
      await u.page.getByRole('option', { name: /Omar Haddad/ }).click();
      await pw(timeline(u.page).getByText('Is my order shipped?')).toBeVisible();
    }
    const { page } = alice;
    const status = page.getByRole('navigation', { name: 'Main' }).getByRole('status');
    await pw(status).toContainText('Online');
    await world.stopRelay();
    await pw(status).toContainText('Offline');

    // a note
    await page.getByRole('button', { name: 'Note mode' }).click();
    await page.getByRole('textbox', { name: 'Note' }).fill('Customer is a VIP, ship first');
    await page.getByRole('button', { name: 'Add note' }).click();
    await pw(page.getByRole('note', { name: /Internal note/ }).getByLabel('Waiting to sync')).toBeVisible();
    await page.getByRole('button', { name: 'Note mode' }).click();
    // a reply
    await page.getByRole('textbox', { name: 'Message' }).fill('It ships tomorrow morning');
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    await pw(timeline(page).getByText('It ships tomorrow morning')).toBeVisible();
    await pw(timeline(page).getByLabel('Waiting to sync')).toHaveCount(2);
    // a contact edit
    await goTo(page, /^Contacts/);
    await page.getByRole('option', { name: /Omar Haddad/ }).click();
    // admin-only contact actions: absent or disabled for an agent
    await pw(page.getByRole('button', { name: 'Delete contact' })).toHaveCount(0);
    await pw(page.getByRole('button', { name: 'Merge contact' })).toHaveCount(0);
    if (await page.getByRole('button', { name: 'Import contacts from CSV' }).isEnabled()) throw new Error('an agent may not import');
    await page.getByRole('button', { name: /^Edit/ }).click();
    await page.getByLabel('Name').fill('Omar Haddad-Khan');
    await page.getByRole('button', { name: 'Save' }).click();
    await pw(page.getByRole('option', { name: /Omar Haddad-Khan/ })).toBeVisible();
    // note, reply and contact edit (plus any read marks) wait in the outbox
    await pw(status).toContainText(/Offline · ([3-9]|\d\d+) changes waiting/);

    await world.restartRelay();
    await pw(status, 45_000).toContainText('Online');
    await pw(timeline(bob.page).getByText('It ships tomorrow morning'), 30_000).toBeVisible();
    await pw(bob.page.getByRole('note', { name: /Internal note/ }).getByText('Customer is a VIP, ship first')).toBeVisible();
    await pw(bob.page.getByRole('heading', { name: 'Omar Haddad-Khan', level: 1 })).toBeVisible();
  });
});
