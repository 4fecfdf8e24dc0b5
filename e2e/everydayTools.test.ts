// Issue 12 tools 2, 3 and 5 through the real app in Chromium: an admin defines a label, labels
// a conversation with L, filters the list by it and saves the filter as a view in the sidebar;
// an agent snoozes a conversation with H (offline, synced later), finds it in Snoozed, and the
// contact's reply brings it back; the agent schedules a reply, edits and cancels scheduled
// ones, the relay sends one at its time, and a refusal at send time shows on the item.
// Screenshots (light and dark) go to $PARLEY_SHOTS or a scratch folder.
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Conversation } from '../shared/schema';
import { expect as pw } from './pw';
import { eventually, goTo, startWorld, timeline, type AppUser, type World } from './harness';

const NADIA = '+447700900821';
const LEO = '+447700900822';
const shots = process.env.PARLEY_SHOTS ?? join(tmpdir(), 'parley-everyday-shots');
let world: World;
let admin: AppUser;
let alice: AppUser;

const conversationOf = async (phone: string): Promise<Conversation> => {
  const store = world.relay.services.engine.store;
  const contact = (await store.rows.find('contacts', { phone }))[0];
  const c = contact && (await store.rows.find('conversations', { contactId: contact.id, status: 'open' }))[0];
  if (!c) throw new Error(`no conversation for ${phone}`);
  return c;
};

/** Light, then dark (the sidebar's theme button cycles system → light → dark), then back. */
async function shootBoth(page: Page, name: string): Promise<void> {
  const themeButton = page.getByRole('button', { name: /^Theme: / });
  const to = async (t: string) => {
    for (let i = 0; i < 3 && !((await themeButton.getAttribute('aria-label')) ?? '').startsWith(`Theme: ${t}`); i++) await themeButton.click();
  };
  await to('light');
  await page.waitForTimeout(300); // virtualised rows and fonts settle
  await page.screenshot({ path: join(shots, `${name}-light.png`) });
  await to('dark');
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(shots, `${name}-dark.png`) });
  await to('system');
}

beforeAll(async () => {
  mkdirSync(shots, { recursive: true });
  world = await startWorld();
  const sales = world.org.groups.sales.id;
  await world.relay.simulator.inbound({ groupId: sales, from: NADIA, body: 'Where is my parcel?', contactName: 'Nadia Rahman' });
  await world.relay.simulator.inbound({ groupId: sales, from: LEO, body: 'Can I change my delivery day?', contactName: 'Leo Grant' });
  const asAdmin = (name: string, args: unknown) => world.relay.services.engine.runAs({ userId: world.org.admin.id, role: 'admin' }, name, args);
  for (const phone of [NADIA, LEO]) {
    const c = await conversationOf(phone);
    await asAdmin('manageConversation', { conversationId: c.id, visibleTo: null, assignees: [world.org.alice.id], baseVisibilityVersion: c.visibilityVersion });
  }
  admin = await world.open(world.org.admin.email);
  alice = await world.open(world.org.alice.email);
}, 120_000);
afterAll(async () => world?.close());

describe('Everyday tools', () => {
  it('labels: an admin defines one, labels with L, filters the list by it and saves the filter as a view', async () => {
    const { page } = admin;
    await goTo(page, /^Teams and people/);
    await page.getByLabel('New label name').fill('VIP');
    await page.getByRole('radiogroup', { name: 'Colour of the new label' }).getByRole('radio', { name: 'purple' }).click();
    await page.getByRole('button', { name: 'Add label' }).click();
    await pw(page.getByLabel('Name of label VIP')).toBeVisible();
    await page.getByLabel('New label name').fill('vip');
    await page.getByRole('button', { name: 'Add label' }).click();
    await pw(page.getByRole('alert').filter({ hasText: 'There is already a label named "VIP".' }).first()).toBeVisible();
    await page.getByLabel('New label name').fill('Billing');
    await page.getByRole('button', { name: 'Add label' }).click();
    await pw(page.getByLabel('Name of label Billing')).toBeVisible();

    await goTo(page, /^Team inbox/);
    await page.getByRole('option', { name: /Nadia Rahman/ }).click();
    await pw(timeline(page).getByText('Where is my parcel?')).toBeVisible();
    await timeline(page).focus();
    await page.keyboard.press('l');
    const dialog = page.getByRole('dialog', { name: 'Labels' });
    await dialog.getByLabel('Filter labels').fill('vi');
    await page.keyboard.press('Enter'); // toggles the first match
    await pw(dialog.getByRole('checkbox', { name: 'VIP' })).toBeVisible();
    await eventually(async () => dialog.getByRole('checkbox', { name: 'VIP' }).isChecked(), 'VIP checked');
    await page.keyboard.press('Escape');
    await pw(page.getByRole('banner').getByTitle('Label: VIP').or(page.locator('.conv-head').getByTitle('Label: VIP')).first()).toBeVisible();
    await eventually(async () => (await conversationOf(NADIA)).labels.length === 1, 'the relay has the label');

    const filters = page.getByRole('toolbar', { name: 'Filters' });
    await filters.getByLabel('Label').selectOption({ label: 'VIP' });
    await pw(page.getByRole('option', { name: /Leo Grant/ })).toHaveCount(0);
    await pw(page.getByRole('option', { name: /Nadia Rahman/ })).toBeVisible();
    await filters.getByLabel('Assignee').selectOption({ label: 'Unassigned' });
    await pw(page.getByText('No conversation matches these filters')).toBeVisible();
    await filters.getByLabel('Assignee').selectOption({ label: 'Anyone' });
    await filters.getByLabel('Group').selectOption({ label: 'Support' });
    await pw(page.getByText('No conversation matches these filters')).toBeVisible();
    await filters.getByLabel('Group').selectOption({ label: 'Sales' });
    await pw(page.getByRole('option', { name: /Nadia Rahman/ })).toBeVisible();
    await filters.getByLabel('Status').selectOption({ label: 'Archived' });
    await pw(page.getByRole('heading', { name: 'Archived', level: 1 })).toBeVisible();
    await pw(page.getByRole('option', { name: /Nadia Rahman/ })).toHaveCount(0);
    await filters.getByLabel('Status').selectOption({ label: 'Open' });
    await pw(page.getByRole('option', { name: /Nadia Rahman/ })).toBeVisible();
    await filters.getByRole('button', { name: 'Save view' }).click();
    const save = page.getByRole('dialog', { name: 'Save as a view' });
    await save.getByLabel('Name').fill('VIPs');
    await save.getByRole('button', { name: 'Save view' }).click();
    const views = page.getByRole('group', { name: 'Views' });
    await pw(views.getByRole('button', { name: /^VIPs/ })).toBeVisible();
    await pw(views.getByRole('button', { name: /^VIPs\s*1 conversation$/ })).toBeVisible(); // read already: its size, muted
    await pw(page.getByRole('heading', { name: 'VIPs', level: 1 })).toBeVisible();
    await shootBoth(page, 'labels-saved-view');

    // another view, then the saved one again: its filters come back
    await goTo(page, /^Team inbox/);
    await pw(page.getByRole('option', { name: /Leo Grant/ })).toBeVisible();
    await views.getByRole('button', { name: /^VIPs/ }).click();
    await pw(page.getByRole('option', { name: /Leo Grant/ })).toHaveCount(0);
    await pw(page.getByRole('option', { name: /Nadia Rahman/ })).toBeVisible();
  }, 120_000);

  it('snooze: H snoozes offline until the contact replies; it waits in Snoozed and their reply brings it back', async () => {
    const { page } = alice;
    await goTo(page, /^My inbox/);
    await page.getByRole('option', { name: /Leo Grant/ }).click();
    await pw(timeline(page).getByText('Can I change my delivery day?')).toBeVisible();

    await world.stopRelay(); // offline: the snooze is queued
    await timeline(page).focus();
    await page.keyboard.press('h');
    const dialog = page.getByRole('dialog', { name: 'Snooze Leo Grant' });
    // a time in the past is refused with a sentence
    await dialog.getByLabel('Pick a date and time').fill('2020-01-01T09:00');
    await dialog.getByRole('button', { name: 'Snooze', exact: true }).click();
    await pw(dialog.getByRole('alert')).toContainText('Choose a time in the future.');
    await dialog.getByRole('button', { name: /Until the contact replies/ }).click();
    await pw(page.getByRole('option', { name: /Leo Grant/ })).toHaveCount(0);
    await goTo(page, /^Snoozed/);
    const row = page.getByRole('option', { name: /Leo Grant/ });
    await pw(row).toContainText('until reply');
    await pw(page.getByText(/1 change waiting|changes waiting/).first()).toBeVisible();

    await world.restartRelay();
    await eventually(async () => (await conversationOf(LEO)).snoozedBy === world.org.alice.id, 'the relay has the snooze', 30_000);
    await row.click();
    await pw(page.locator('.conv-head .snooze-line')).toContainText('until they reply');
    await shootBoth(page, 'snoozed-agent');

    await goTo(page, /^My inbox/);
    await pw(page.getByRole('option', { name: /Leo Grant/ })).toHaveCount(0);
    await world.relay.simulator.inbound({ groupId: world.org.groups.sales.id, from: LEO, body: 'Hello? Any news?', contactName: 'Leo Grant' });
    await pw(page.getByRole('option', { name: /Leo Grant.*unread/ })).toBeVisible();
    await goTo(page, /^Snoozed/);
    await pw(page.getByText('Nothing snoozed')).toBeVisible();
  }, 120_000);

  it('send later: schedule, edit and cancel; the relay sends at its time; a refusal at send time shows on the item', async () => {
    const { page } = alice;
    await goTo(page, /^My inbox/);
    await page.getByRole('option', { name: /Nadia Rahman/ }).click();
    const box = page.getByLabel('Message', { exact: true });
    await box.fill('Your parcel leaves our depot tomorrow.');
    await page.getByRole('button', { name: 'Send later' }).click();
    await page.getByRole('dialog', { name: 'Send later' }).getByRole('button', { name: /Tomorrow morning/ }).click();
    const scheduled = page.getByRole('region', { name: 'Scheduled replies' });
    await pw(scheduled.getByText('Your parcel leaves our depot tomorrow.')).toBeVisible();
    await pw(scheduled).toContainText('Sends Tomorrow 09:00');
    await pw(box).toHaveValue('');

    // a second one with the keyboard (Ctrl+Shift+Enter), then cancelled
    await box.fill('Ignore this one');
    await box.press('Control+Shift+Enter');
    await page.getByRole('dialog', { name: 'Send later' }).getByRole('button', { name: /Next week/ }).click();
    await pw(scheduled.getByText('Ignore this one')).toBeVisible();
    await scheduled.locator('.msg', { hasText: 'Ignore this one' }).getByRole('button', { name: 'Cancel scheduled message' }).click();
    await pw(scheduled.getByText('Ignore this one')).toHaveCount(0);

    // edit the first
    await scheduled.getByRole('button', { name: 'Edit scheduled message' }).click();
    await scheduled.getByLabel('Scheduled message').fill('Your parcel leaves our depot tomorrow morning.');
    await scheduled.getByRole('button', { name: 'Save' }).click();
    await pw(scheduled.getByText('Your parcel leaves our depot tomorrow morning.')).toBeVisible();
    await shootBoth(page, 'scheduled');

    // its time comes (the relay's clock is moved instead of waiting until tomorrow): the relay sends it
    const store = world.relay.services.engine.store;
    const msg = async () => (await store.rows.find('messages', { conversationId: (await conversationOf(NADIA)).id })).find((m) => m.body === 'Your parcel leaves our depot tomorrow morning.');
    await eventually(async () => (await msg())?.status === 'scheduled', 'the relay has the scheduled reply');
    const scheduledReply = (await msg())!;
    await world.relay.services.engine.write((tx) => tx.put('messages', { ...scheduledReply, scheduledAt: Date.now() - 1000 }));
    await pw(scheduled).toHaveCount(0);
    await pw(timeline(page).getByText('Your parcel leaves our depot tomorrow morning.')).toBeVisible();
    await eventually(() => world.relay.simulator.sent().some((t) => t.body === 'Your parcel leaves our depot tomorrow morning.'), 'sent by the relay');

    // one more, and the contact opts out before its time: refused then, shown on the item
    await box.fill('A reminder about your parcel');
    await page.getByRole('button', { name: 'Send later' }).click();
    await page.getByRole('dialog', { name: 'Send later' }).getByRole('button', { name: /Next week/ }).click();
    await pw(scheduled.getByText('A reminder about your parcel')).toBeVisible();
    await world.relay.simulator.inbound({ groupId: world.org.groups.sales.id, from: NADIA, body: 'STOP', contactName: 'Nadia Rahman' });
    const reminder = async () => (await store.rows.find('messages', { conversationId: (await conversationOf(NADIA)).id })).find((m) => m.body === 'A reminder about your parcel');
    await eventually(async () => (await reminder())?.status === 'scheduled', 'the relay has the reminder');
    const scheduledReminder = (await reminder())!;
    await world.relay.services.engine.write((tx) => tx.put('messages', { ...scheduledReminder, scheduledAt: Date.now() - 1000 }));
    await pw(timeline(page).getByText('Not sent: Nadia Rahman has opted out of SMS', { exact: false }).first()).toBeVisible();
    expect(world.relay.simulator.sent().some((t) => t.body === 'A reminder about your parcel')).toBe(false);
  }, 120_000);
});
