// Issue 12, the rough edges a new user hit: the SMS limit shown before sending (item 9), a chat
// that already exists opens (10), toasts that hide nothing and can be dismissed (11), list
// previews that follow the payment link and a broadcast picker that says how many (12).
import type { Locator, Page } from 'playwright-core';
import { uuidv7 } from 'uuidv7';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expect as pw } from './pw';
import { bridgeClient, goTo, rowId, startWorld, timeline, type AppUser, type World } from './harness';

let world: World;
let admin: AppUser;
let ben: AppUser;

beforeAll(async () => {
  world = await startWorld();
  await world.relay.simulator.inbound({ groupId: world.org.groups.sales.id, from: '+447700900501', body: 'Can I book for Friday?', contactName: 'Nora Quinn' });
  admin = await world.open(world.org.admin.email);
  ben = await world.open(world.org.bob.email);
});
afterAll(async () => world?.close());

async function box(l: Locator): Promise<{ x: number; y: number; width: number; height: number }> {
  const b = await l.boundingBox();
  if (!b) throw new Error(`${l.toString()} is not on screen`);
  return b;
}
const overlaps = (a: { x: number; y: number; width: number; height: number }, b: typeof a) =>
  a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

async function openNora(page: Page): Promise<string> {
  await goTo(page, /^Team inbox/);
  const row = page.getByRole('option', { name: /Nora Quinn/ });
  await row.click();
  await pw(page.getByRole('heading', { name: 'Nora Quinn', level: 1 })).toBeVisible();
  return rowId(row);
}

describe('everyday rough edges', () => {
  it('9. a 10,000-character SMS shows the limit and cannot be sent', async () => {
    const { page } = admin;
    await openNora(page);
    await page.getByRole('radiogroup', { name: 'Channel' }).getByRole('radio', { name: 'SMS' }).click();
    const text = page.getByRole('textbox', { name: 'Message' });
    await text.fill('x'.repeat(10_000));
    await pw(page.getByRole('status').filter({ hasText: 'an SMS can be at most 1,600 characters; this one has 10,000' })).toBeVisible();
    await pw(page.getByRole('button', { name: 'Send', exact: true })).toBeDisabled();
    await text.press('Enter'); // Enter does not send either
    await pw(text).toHaveValue('x'.repeat(10_000));
    expect(await page.getByText(/Too big|expected string/).count()).toBe(0);
    await text.fill('See you Friday');
    await pw(page.getByRole('button', { name: 'Send', exact: true })).toBeEnabled();
    await text.fill('');
  });

  it('11. a toast sits where it hides nothing, and can be dismissed', async () => {
    const { page } = admin;
    await openNora(page);
    // Ben writes to the admin in team chat: the admin, busy in a conversation, gets a toast
    const bridge = await bridgeClient(ben.host);
    const chatId = uuidv7();
    expect((await bridge.call('mutate', 'createChat', { id: chatId, members: [world.org.bob.id, world.org.admin.id] })).ok).toBe(true);
    expect((await bridge.call('mutate', 'sendChatMessage', { id: uuidv7(), chatId, body: 'Can you take the Friday bookings?' })).ok).toBe(true);
    bridge.close();
    const toast = page.locator('.toast').filter({ hasText: 'Can you take the Friday bookings?' });
    await pw(toast).toBeVisible();
    const t = await box(toast);
    for (const what of [page.getByRole('button', { name: 'Send', exact: true }), page.getByRole('textbox', { name: 'Message' }), page.getByRole('log', { name: 'Messages' }), page.getByRole('listbox').first()]) {
      expect(overlaps(t, await box(what)), `the toast covers ${what.toString()}`).toBe(false);
    }
    await toast.getByRole('button', { name: 'Dismiss message' }).click();
    await pw(toast).toHaveCount(0);
  });

  it('10. starting a chat that already exists opens it', async () => {
    const { page } = admin;
    await goTo(page, /^Team chat/);
    await page.getByRole('button', { name: 'New chat' }).click();
    const dialog = page.getByRole('dialog', { name: 'New team chat' });
    await dialog.getByRole('checkbox', { name: world.org.bob.name }).check();
    await dialog.getByRole('button', { name: 'Start chat' }).click();
    await pw(dialog).toHaveCount(0);
    await pw(page.getByText('Can you take the Friday bookings?').first()).toBeVisible();
    expect(await page.getByRole('alert').count()).toBe(0);
  });

  it('12. the list preview shows the payment link once made; the broadcast picker says how many', async () => {
    const { page } = admin;
    const conversationId = await openNora(page);
    const bridge = await bridgeClient(admin.host);
    const checkout = await bridge.call('mutate', 'createCheckout', { id: uuidv7(), conversationId, description: 'Deposit', amount: 2500, currency: 'GBP', messageId: uuidv7() });
    expect(checkout.ok).toBe(true);
    await pw(timeline(page).getByRole('link', { name: /127\.0\.0\.1/ })).toBeVisible();
    // the row shows a made link as "(link)" (rows shorten addresses); before the fix it kept "(link to follow)"
    const row = page.getByRole('option', { name: /Nora Quinn/ });
    await pw(row).toContainText('Deposit: £25.00. Pay here: (link)');
    expect(await row.innerText()).not.toContain('(link to follow)');

    const contacts = Array.from({ length: 55 }, (_, i) => ({ id: uuidv7(), name: `Guest ${String(i + 1).padStart(2, '0')}`, phone: `+4477009006${String(i).padStart(2, '0')}` }));
    expect((await bridge.call('mutate', 'importContacts', { contacts })).ok).toBe(true);
    bridge.close();
    await goTo(page, /^Broadcast/);
    const status = page.getByRole('status').filter({ hasText: /^Showing/ });
    await pw(status).toContainText('Showing 50 of 56 contacts');
    await page.getByRole('button', { name: 'Show 6 more' }).click();
    await pw(status).toContainText('Showing all 56 contacts');
    await pw(page.getByRole('checkbox', { name: 'Include Guest 55' })).toBeVisible();
    await page.getByRole('searchbox', { name: 'Search contacts to add' }).fill('Nora');
    await pw(page.getByRole('status').filter({ hasText: 'matches' })).toContainText('1 contact matches “Nora”.');
  });

  it('15. dense rows (≥ 16 on a 1440×900 window, a comfortable setting), a person glyph for a number, a one-line header', async () => {
    const { page } = admin;
    await world.relay.simulator.inbound({ groupId: world.org.groups.sales.id, from: '+447700900777', body: 'Who is this?' });
    await goTo(page, /^Team inbox/);
    const list = page.getByRole('listbox').first();
    const row = page.getByRole('option', { name: /Nora Quinn/ });
    const rowsThatFit = async () => Math.floor((await box(list)).height / (await box(row)).height);
    expect(await rowsThatFit()).toBeGreaterThanOrEqual(16);
    await page.getByRole('button', { name: /^List rows: compact/ }).click();
    await pw(page.getByRole('button', { name: /^List rows: comfortable/ })).toBeVisible();
    expect((await box(row)).height).toBeGreaterThan(60);
    await page.getByRole('button', { name: /^List rows: comfortable/ }).click();
    expect((await box(row)).height).toBeLessThanOrEqual(52);

    // a contact known only by its number: the person glyph, never "+"
    await page.getByRole('option', { name: /7700 900777|\+447700900777/ }).click();
    const avatar = page.locator('.details .avatar').first();
    await pw(avatar).toBeVisible();
    expect(await avatar.innerText()).toBe('');
    expect(await avatar.locator('svg').count()).toBe(1);
    // the header is one line: the name, channel and team share a baseline
    const head = page.locator('.conv-head');
    expect((await box(head)).height).toBeLessThan(62);
  });
});
