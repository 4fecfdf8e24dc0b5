// Automatic assignment journey (issue 13 part 2): the admin turns it on for Sales (members online,
// capacity 4) and is not accepting herself; Alice and Bob are signed in. Ten customers write:
// the relay spreads them by round robin, four each, and two wait. Alice archives one: the oldest
// waiting conversation becomes hers. Bob's timeline says "Assigned to you automatically".
// Screenshots, light and dark: the settings, the admin's Team inbox, Bob's conversation, Alice's My inbox.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { expect as pw } from './pw';
import { eventually, goTo, shotPath, startWorld, timeline, type AppUser, type World } from './harness';

let world: World;
let admin: AppUser;
let alice: AppUser;
let bob: AppUser;

beforeAll(async () => {
  world = await startWorld();
  admin = await world.open(world.org.admin.email);
  alice = await world.open(world.org.alice.email);
  bob = await world.open(world.org.bob.email, { colorScheme: 'dark' });
});
afterAll(async () => world?.close());

const customers = Array.from({ length: 10 }, (_, i) => ({ name: `Customer ${String(i + 1).padStart(2, '0')}`, phone: `+4477009006${String(i + 10)}` }));
const store = () => world.relay.services.engine.store;
const assigneeOf = async (phone: string): Promise<string | null | undefined> => {
  const contact = (await store().rows.find('contacts', { phone }))[0];
  const c = contact && (await store().rows.find('conversations', { contactId: contact.id }))[0];
  return c ? (c.assignees[0] ?? null) : undefined;
};
const myInbox = (page: Page) => page.getByRole('listbox');

async function shoot(page: Page, name: string, theme: 'light' | 'dark'): Promise<void> {
  const themeButton = page.getByRole('button', { name: /^Theme: / });
  for (let i = 0; i < 3 && !((await themeButton.getAttribute('aria-label')) ?? '').startsWith(`Theme: ${theme}`); i++) await themeButton.click();
  await page.screenshot({ path: shotPath(`${name}-${theme}.png`) });
}

describe('Automatic assignment', () => {
  it('spreads 10 inbound conversations by round robin with capacity; a waiting one goes to whoever frees up', async () => {
    const { page } = admin;
    await goTo(page, /^Teams and people/);
    const row = page.getByRole('row', { name: /^Sales/ }).filter({ has: page.getByLabel('Automatic assignment in Sales') });
    await row.getByLabel('Automatic assignment in Sales').selectOption({ label: 'Members online' });
    await row.getByLabel('Capacity in Sales').fill('4');
    await row.getByRole('button', { name: 'Save automatic assignment of Sales' }).click();
    await eventually(async () => (await store().rows.get('groups', world.org.groups.sales.id))?.autoAssign === 'online', 'the setting on the relay');
    // the admin, a Sales member too, stops accepting new conversations
    const accepting = page.getByRole('switch', { name: 'Accepting new conversations' });
    await accepting.click();
    await pw(page.getByRole('switch', { name: 'Not accepting conversations' })).toHaveAttribute('aria-checked', 'false');
    await eventually(async () => (await store().rows.get('users', world.org.admin.id))?.accepting === false, 'not accepting on the relay');
    await page.getByRole('heading', { name: 'Automatic assignment' }).scrollIntoViewIfNeeded();
    await shoot(page, 'auto-assign-settings', 'light');
    await shoot(page, 'auto-assign-settings', 'dark');
    // alice and bob see the switch on
    for (const u of [alice, bob]) await pw(u.page.getByRole('switch', { name: 'Accepting new conversations' })).toHaveAttribute('aria-checked', 'true');

    for (const c of customers) await world.relay.simulator.inbound({ groupId: world.org.groups.sales.id, from: c.phone, body: `Hello, this is ${c.name}`, contactName: c.name });
    const assignees = (): Promise<(string | null | undefined)[]> => Promise.all(customers.map((c) => assigneeOf(c.phone)));
    await eventually(async () => (await assignees()).filter(Boolean).length === 8, 'eight assigned');
    // round robin in arrival order (alice before bob in the ring), four each; the last two wait
    const a = world.org.alice.id;
    const b = world.org.bob.id;
    expect(await assignees()).toEqual([a, b, a, b, a, b, a, b, null, null]);

    // the admin's Team inbox shows the two that wait
    await goTo(page, /^Team inbox/);
    await pw(myInbox(page).getByRole('option', { name: /waiting for automatic assignment/ })).toHaveCount(2);
    await shoot(page, 'auto-assign-team-inbox', 'light');
    await shoot(page, 'auto-assign-team-inbox', 'dark');

    await goTo(alice.page, /^My inbox/);
    await goTo(bob.page, /^My inbox/);
    await pw(myInbox(alice.page).getByRole('option')).toHaveCount(4);
    await pw(myInbox(bob.page).getByRole('option')).toHaveCount(4);

    // Bob's timeline says how it came to him
    await myInbox(bob.page).getByRole('option', { name: /Customer 02/ }).click();
    await pw(timeline(bob.page).locator('[data-activity="assigned"]').filter({ hasText: 'Assigned to you automatically' })).toBeVisible();
    await shoot(bob.page, 'auto-assign-timeline', 'dark');
    await shoot(bob.page, 'auto-assign-timeline', 'light');

    // Alice archives one: the oldest waiting conversation (Customer 09) becomes hers
    await myInbox(alice.page).getByRole('option', { name: /Customer 01/ }).click();
    await alice.page.getByRole('toolbar', { name: 'Conversation actions' }).getByRole('button', { name: 'Archive', exact: true }).click();
    await alice.page.getByRole('dialog', { name: 'Archive conversation?' }).getByRole('button', { name: 'Archive', exact: true }).click();
    await pw(myInbox(alice.page).getByRole('option', { name: /Customer 09/ })).toBeVisible();
    expect(await assigneeOf(customers[8]?.phone ?? '')).toBe(a);
    expect(await assigneeOf(customers[9]?.phone ?? '')).toBeNull();
    await pw(myInbox(alice.page).getByRole('option')).toHaveCount(4);
    await shoot(alice.page, 'auto-assign-my-inbox', 'light');
    await shoot(alice.page, 'auto-assign-my-inbox', 'dark');
  });
});
