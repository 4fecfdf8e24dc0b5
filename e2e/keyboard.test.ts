// Keyboard-only use (UI.md): J/K move, Enter opens, R replies (Enter sends), N notes,
// A manages, ? shows the shortcuts, Ctrl+K searches, U marks unread, Esc closes.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expect as pw } from './pw';
import { eventually, goTo, startWorld, timeline, type AppUser, type World } from './harness';

let world: World;
let alice: AppUser;
const RUTH = '+447700900606';

const focusedLabel = (page: Page) =>
  page.evaluate(() => (globalThis as unknown as { document: { activeElement: { getAttribute(n: string): string | null } | null } }).document.activeElement?.getAttribute('aria-label') ?? null);
const blur = (page: Page) => page.evaluate(() => (globalThis as unknown as { document: { activeElement: { blur?: () => void } | null } }).document.activeElement?.blur?.());

beforeAll(async () => {
  world = await startWorld();
  const sales = world.org.groups.sales.id;
  await world.relay.simulator.inbound({ groupId: sales, from: RUTH, body: 'First question', contactName: 'Ruth Older' });
  await new Promise((r) => setTimeout(r, 20));
  await world.relay.simulator.inbound({ groupId: sales, from: '+447700900607', body: 'Second question', contactName: 'Sam Newer' });
  alice = await world.open(world.org.alice.email);
});
afterAll(async () => world?.close());

describe('Keyboard', () => {
  it('8. an agent works the inbox from the keyboard alone', async () => {
    const { page } = alice;
    await goTo(page, /^Team inbox/);
    await pw(page.getByRole('listbox').first().getByRole('option')).toHaveCount(2);
    await blur(page);
    await page.keyboard.press('j');
    await page.keyboard.press('j');
    await page.keyboard.press('Enter');
    await pw(page.getByRole('heading', { name: 'Ruth Older', level: 1 })).toBeVisible();

    await page.keyboard.press('r');
    await eventually(async () => (await focusedLabel(page)) === 'Message', 'the reply box to take focus');
    await page.keyboard.type('Typed without a mouse');
    await page.keyboard.press('Enter');
    await pw(timeline(page).getByText('Typed without a mouse')).toBeVisible();
    await eventually(() => world.relay.simulator.sent().some((s) => s.to === RUTH && s.body === 'Typed without a mouse'), 'the reply at the contact');

    await blur(page);
    await page.keyboard.press('n');
    await eventually(async () => (await focusedLabel(page)) === 'Note', 'the note box to take focus');
    await blur(page);

    await page.keyboard.press('a');
    await pw(page.getByRole('dialog', { name: 'Manage conversation' })).toBeVisible();
    await page.keyboard.press('Escape');
    await pw(page.getByRole('dialog')).toHaveCount(0);

    await page.keyboard.press('?');
    await pw(page.getByRole('dialog')).toBeVisible();
    await page.keyboard.press('Escape');
    await pw(page.getByRole('dialog')).toHaveCount(0);

    // issue 12 item 8: the search field has the focus, typing goes into it at once
    await page.keyboard.press('Control+k');
    await pw(page.getByRole('dialog')).toBeVisible();
    await pw(page.getByRole('combobox', { name: 'Search contacts and messages' })).toBeFocused();
    await page.keyboard.type('Ruth');
    await pw(page.getByRole('combobox', { name: 'Search contacts and messages' })).toHaveValue('Ruth');
    await page.keyboard.press('Escape');
    await pw(page.getByRole('dialog')).toHaveCount(0);
    // clicking Search in the sidebar does the same
    await page.getByRole('button', { name: /^Search/ }).click();
    await pw(page.getByRole('combobox', { name: 'Search contacts and messages' })).toBeFocused();
    await page.keyboard.press('Escape');
    await pw(page.getByRole('dialog')).toHaveCount(0);

    await pw(page.getByRole('option', { name: /Ruth Older\W+unread/ })).toHaveCount(0); // opened = read
    await page.keyboard.press('u');
    await pw(page.getByRole('option', { name: /Ruth Older\W+unread/ })).toBeVisible();
    expect(await page.getByRole('heading', { name: 'Ruth Older', level: 1 }).count()).toBe(0);
  });
});
