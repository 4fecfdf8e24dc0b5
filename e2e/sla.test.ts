// First-response SLA journey (issue 13 §4) in Chromium: an admin gives Sales a 1 h target (a
// wrong time zone is refused with a sentence first), customers write, each waiting row shows
// the time left (red once overdue), "SLA: most urgent first" brings the closest deadline to the
// top, the assignee is told before a breach, and Reports show the share answered within target.
// Screenshots light and dark (shotPath).
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Conversation } from '../shared/schema';
import { expect as pw } from './pw';
import { eventually, goTo, shotPath, startWorld, type AppUser, type World } from './harness';

const PIA = '+447700900831';
const LEO = '+447700900832';
const NADIA = '+447700900833';
const OMAR = '+447700900834';
const MIN = 60_000;
let world: World;
let admin: AppUser;

const conversationOf = async (phone: string): Promise<Conversation> => {
  const store = world.relay.services.engine.store;
  const contact = (await store.rows.find('contacts', { phone }))[0];
  const c = contact && (await store.rows.find('conversations', { contactId: contact.id, status: 'open' }))[0];
  if (!c) throw new Error(`no conversation for ${phone}`);
  return c;
};

/** Moves a conversation's customer messages back in time, as if they had written `minutes` ago. */
async function backdate(phone: string, minutes: number): Promise<void> {
  const engine = world.relay.services.engine;
  const c = await conversationOf(phone);
  const messages = await engine.store.rows.find('messages', { conversationId: c.id });
  await engine.write((tx) => {
    for (const m of messages) tx.put('messages', { ...m, createdAt: Date.now() - minutes * MIN });
  });
}

/** Moves the group's latest SLA change back in time, as if it had been made `minutes` ago. */
async function backdateSla(groupId: string, minutes: number): Promise<void> {
  const engine = world.relay.services.engine;
  const g = await engine.store.rows.get('groups', groupId);
  if (!g || g.slaHistory.length === 0) throw new Error('no SLA change to move back');
  const last = g.slaHistory.length - 1;
  await engine.write((tx) => {
    tx.put('groups', { ...g, slaHistory: g.slaHistory.map((p, i) => (i === last ? { ...p, until: Date.now() - minutes * MIN } : p)) });
  });
}

async function shootBoth(page: Page, name: string): Promise<void> {
  const themeButton = page.getByRole('button', { name: /^Theme: / });
  const to = async (t: string) => {
    for (let i = 0; i < 3 && !((await themeButton.getAttribute('aria-label')) ?? '').startsWith(`Theme: ${t}`); i++) await themeButton.click();
  };
  await to('light');
  await page.waitForTimeout(300); // fonts and virtualised rows settle before the picture
  await page.screenshot({ path: shotPath(`sla-${name}-light.png`) });
  await to('dark');
  await page.waitForTimeout(300);
  await page.screenshot({ path: shotPath(`sla-${name}-dark.png`) });
  await to('system');
}

const list = (page: Page) => page.getByRole('listbox').first();
const rowNames = async (page: Page) => (await list(page).locator('.inbox-row-name').allTextContents()).map((t) => t.split(',')[0]?.trim() ?? '');

/** Waits until the list shows exactly these contacts, in this order. */
const inOrder = (page: Page, names: string[]) => eventually(async () => JSON.stringify(await rowNames(page)) === JSON.stringify(names), `the list in the order ${names.join(', ')}`);

beforeAll(async () => {
  world = await startWorld();
  admin = await world.open(world.org.admin.email);
}, 120_000);
afterAll(async () => world?.close());

describe('first-response SLA', () => {
  it('admin sets a 1 h target; waiting rows show time left; the SLA sort brings the most urgent first', async () => {
    const page = admin.page;
    await goTo(page, /^Teams and people/);
    const form = page.getByRole('form', { name: 'Response target of Sales' });
    await form.getByLabel('First-response target', { exact: true }).check();
    await form.getByLabel('First-response target of Sales').fill('1');
    await form.getByLabel('Unit of the target of Sales').selectOption('hours');
    await form.getByLabel(/Count business hours only/).check();
    await form.getByLabel('Time zone').fill('Mars/Olympus_Mons');
    await form.getByRole('button', { name: 'Save' }).click();
    await pw(form.getByRole('alert')).toContainText('"Mars/Olympus_Mons" is not a time zone: use a name like Europe/London or America/New_York.');
    await shootBoth(page, 'settings-refused');
    // around the clock, so the journey passes at any hour
    await form.getByLabel(/Count business hours only/).uncheck();
    await form.getByRole('button', { name: 'Save' }).click();
    await pw(page.getByText('Saved the response target of Sales')).toBeVisible();
    await eventually(async () => (await world.relay.services.engine.store.rows.get('groups', world.org.groups.sales.id))?.slaFirstResponseMinutes === 60, 'the target on the relay');
    // reports judge a conversation by the target in force when it arrived: the back-dated
    // customers below wrote while it was already set, as if an admin had set it two hours ago
    await backdateSla(world.org.groups.sales.id, 120);

    // customers write: Pia and Leo a while ago (back-dated), Nadia now; Omar to Support, which has no target
    const sales = world.org.groups.sales.id;
    await world.relay.simulator.inbound({ groupId: sales, from: PIA, body: 'My order arrived damaged, what now?', contactName: 'Pia Novak' });
    await world.relay.simulator.inbound({ groupId: sales, from: LEO, body: 'Can I change my delivery day?', contactName: 'Leo Grant' });
    await backdate(PIA, 75);
    await backdate(LEO, 50);
    const leo = await conversationOf(LEO);
    await world.relay.services.engine.runAs({ userId: world.org.admin.id, role: 'admin' }, 'manageConversation', { conversationId: leo.id, visibleTo: null, assignees: [world.org.admin.id], baseVisibilityVersion: leo.visibilityVersion });
    await world.relay.simulator.inbound({ groupId: sales, from: NADIA, body: 'Where is my parcel?', contactName: 'Nadia Rahman' });
    await world.relay.simulator.inbound({ groupId: world.org.groups.support.id, from: OMAR, body: 'How do I reset my password?', contactName: 'Omar Haddad' });

    await goTo(page, /^Team inbox/);
    const row = (name: string) => list(page).getByRole('option', { name: new RegExp(`^${name}`) });
    await pw(row('Nadia Rahman').locator('.sla-pill')).toContainText(/^(59|60)m left$|^1h 00m left$/);
    await pw(row('Leo Grant').locator('.sla-pill')).toContainText(/^(9|10)m left$/);
    await pw(row('Pia Novak').locator('.sla-pill')).toContainText(/^Overdue 1[45]m$/);
    await pw(row('Pia Novak').locator('.sla-pill')).toHaveAttribute('class', /\bdanger\b/);
    await pw(row('Omar Haddad').locator('.sla-pill')).toHaveCount(0);
    // the assignee is told before the breach (an in-app toast while the window is visible)
    await pw(page.getByText(/^Reply to Leo Grant soon: First-response target: \d+m left\.$/), 45_000).toBeVisible();

    // newest activity first, then most urgent first
    await inOrder(page, ['Omar Haddad', 'Nadia Rahman', 'Leo Grant', 'Pia Novak']);
    await page.getByRole('toolbar', { name: 'Filters' }).getByRole('button', { name: 'SLA: most urgent first' }).click();
    await inOrder(page, ['Pia Novak', 'Leo Grant', 'Nadia Rahman', 'Omar Haddad']);
    await shootBoth(page, 'inbox');

    // a reply ends the wait: the row loses its pill and goes after the waiting ones
    await row('Pia Novak').click();
    await page.getByRole('textbox', { name: 'Message' }).fill('Sorry about that: we are sending a new one today.');
    await page.keyboard.press('Enter');
    await pw(row('Pia Novak').locator('.sla-pill')).toHaveCount(0);
    await inOrder(page, ['Leo Grant', 'Nadia Rahman', 'Pia Novak', 'Omar Haddad']);

    // Reports: answered within target (Pia answered late: missed; Leo and Nadia still running)
    await goTo(page, /^Reports/);
    const card = page.getByRole('article', { name: 'Answered within target' });
    await pw(card.getByRole('group', { name: 'Within target', exact: true }).locator('.kpi-value')).toContainText('0%');
    await pw(card.getByRole('group', { name: 'Missed', exact: true }).locator('.kpi-value')).toContainText('1');
    await pw(card.getByRole('group', { name: 'Still running', exact: true }).locator('.kpi-value')).toContainText('2');
    await card.scrollIntoViewIfNeeded();
    await shootBoth(page, 'reports');
    expect(await card.getByRole('table', { name: 'Answered within target by team' }).getByRole('row').count()).toBe(2);
  }, 240_000);
});
