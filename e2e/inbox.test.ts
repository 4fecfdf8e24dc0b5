// Journeys 1 and 2: replying by SMS from the Team inbox, assigning from Manage conversation.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expect as pw } from './pw';
import { eventually, goTo, startWorld, timeline, type AppUser, type World } from './harness';

const JANE = '+447700900101';
const ORG_NAME = 'Parley Demo';
let world: World;
let alice: AppUser;
let bob: AppUser;

beforeAll(async () => {
  world = await startWorld();
  const { org } = world;
  // startTestRelay names no organisation (seed 'none'): name it, as `parley-relay --org` does
  await world.relay.services.engine.meta.set('orgName', ORG_NAME);
  await world.relay.simulator.inbound({ groupId: org.groups.sales.id, from: JANE, body: 'Hi, can I pay by card?', contactName: 'Jane Cooper' });
  alice = await world.open(org.alice.email);
  bob = await world.open(org.bob.email);
});
afterAll(async () => world?.close());

describe('Team inbox', () => {
  it('the sidebar names the organisation above the signed-in user', async () => {
    const sidebar = alice.page.getByRole('navigation', { name: 'Main' });
    const orgName = sidebar.getByText(ORG_NAME, { exact: true });
    const user = sidebar.getByText('Alice', { exact: true });
    await pw(orgName).toBeVisible();
    await pw(user).toBeVisible();
    expect((await orgName.boundingBox())!.y).toBeLessThan((await user.boundingBox())!.y);
  });

  it('1. an agent replies with a 200-character text: 2 texts counted, 2 texts delivered', async () => {
    const { page } = alice;
    await goTo(page, /^Team inbox/);
    await page.getByRole('option', { name: /Jane Cooper/ }).click();
    await pw(timeline(page).getByText('Hi, can I pay by card?')).toBeVisible();
    const text = ('Thanks Jane, yes you can pay by card. ' + 'We accept Visa, Mastercard and Amex. ').repeat(4).slice(0, 200);
    expect(text).toHaveLength(200);
    const box = page.getByRole('textbox', { name: 'Message' });
    await box.fill(text);
    await pw(page.getByLabel(/^SMS length/)).toContainText('2 texts');
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    await pw(box).toHaveValue('');
    await eventually(() => world.relay.simulator.sent().filter((s) => s.to === JANE).length === 2, 'two SMS parts at the contact');
    const parts = world.relay.simulator.sent().filter((s) => s.to === JANE);
    expect(parts.map((p) => p.channel)).toEqual(['sms', 'sms']);
    expect(parts.map((p) => p.body).join('').replace(/\s+/g, '')).toBe(text.replace(/\s+/g, ''));
  });

  it('2. assigning to self and a colleague puts it in both My inboxes, live', async () => {
    const { page } = alice;
    await page.getByRole('button', { name: 'Manage conversation' }).click();
    const dialog = page.getByRole('dialog', { name: 'Manage conversation' });
    await dialog.getByRole('checkbox', { name: `Assign ${world.org.alice.name}` }).check();
    await dialog.getByRole('checkbox', { name: `Assign ${world.org.bob.name}` }).check();
    await dialog.getByRole('button', { name: 'Save' }).click();
    await pw(dialog).toBeHidden();
    for (const u of [alice, bob]) {
      await goTo(u.page, /^My inbox/);
      await pw(u.page.getByRole('option', { name: /Jane Cooper/ })).toBeVisible();
    }
  });
});
