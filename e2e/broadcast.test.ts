// Journey 9: an admin broadcasts one SMS to several contacts; each copy lands in that
// contact's own conversation; the opted-out contact is skipped and reported.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expect as pw } from './pw';
import { eventually, goTo, startWorld, timeline, type AppUser, type World } from './harness';

let world: World;
let admin: AppUser;
const A = '+447700900701';
const B = '+447700900702';
const C = '+447700900703';
const BODY = 'Our shop is closed on Monday for stocktaking.';

beforeAll(async () => {
  world = await startWorld();
  const groupId = world.org.groups.sales.id;
  await world.relay.simulator.inbound({ groupId, from: A, body: 'Hello', contactName: 'Alma Brook' });
  await world.relay.simulator.inbound({ groupId, from: B, body: 'Hi there', contactName: 'Bruno Dale' });
  await world.relay.simulator.inbound({ groupId, from: C, body: 'STOP', contactName: 'Cora Finch' });
  admin = await world.open(world.org.admin.email);
});
afterAll(async () => world?.close());

describe('Broadcast', () => {
  it('9. one message to three contacts: two sent into their conversations, the opted-out one skipped', async () => {
    const { page } = admin;
    await goTo(page, /^Broadcast/);
    await pw(page.getByRole('heading', { name: 'New broadcast' })).toBeVisible();
    for (const name of ['Alma Brook', 'Bruno Dale', 'Cora Finch']) await page.getByRole('checkbox', { name: `Include ${name}` }).check();
    await page.getByLabel('Message').fill(BODY);
    await page.getByRole('button', { name: 'Send broadcast to 3' }).click();

    await pw(page.getByText(/Done — 2 sent, 1 skipped, 0 failed of 3/)).toBeVisible();
    await eventually(() => world.relay.simulator.sent().filter((s) => s.body === BODY).length === 2, 'two copies at the contacts');
    expect(world.relay.simulator.sent().filter((s) => s.body === BODY).map((s) => s.to).sort()).toEqual([A, B]);

    await goTo(page, /^Team inbox/);
    await page.getByRole('option', { name: /Alma Brook/ }).click();
    await pw(timeline(page).getByText(BODY)).toBeVisible();
  });
});
