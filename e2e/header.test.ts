// The one-line conversation header at 1440×900 with the details pane open (a laptop's everyday
// view): the contact's name is shown whole; the number and team, then the state flags (restricted,
// snoozed, labels, simulated…) and the assignees give way first, and a flag is dropped whole,
// never shown cut. (A name wider than the whole line still ends in an ellipsis.)
import type { Locator } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bridgeClient, goTo, rowId, shotPath, startWorld, type AppUser, type World } from './harness';
import { expect as pw } from './pw';

let world: World;
let admin: AppUser;
const NAME = 'Maximilian Oyelaran';

beforeAll(async () => {
  world = await startWorld();
  await world.relay.simulator.inbound({ groupId: world.org.groups.sales.id, from: '+447700900431', body: 'Can the delivery come on Friday?', contactName: NAME });
  admin = await world.open(world.org.admin.email);
});
afterAll(async () => world?.close());

/** true when the element's text is cut (ellipsis or clipped); the e2e code has no DOM types */
const cut = (l: Locator) =>
  l.evaluate((e: unknown) => {
    const el = e as { scrollWidth: number; clientWidth: number };
    return el.scrollWidth > el.clientWidth;
  });
/** true when a's box lies inside b's */
const within = async (a: Locator, b: Locator): Promise<boolean> => {
  const [x, y] = [await a.boundingBox(), await b.boundingBox()];
  return !!x && !!y && x.x >= y.x - 0.5 && x.x + x.width <= y.x + y.width + 0.5 && x.y >= y.y - 0.5 && x.y + x.height <= y.y + y.height + 0.5;
};

describe('conversation header', () => {
  it('shows the whole name beside the details pane at 1440 px; flags give way whole (light and dark)', async () => {
    const { page } = admin;
    await goTo(page, /^Team inbox/);
    const row = page.getByRole('option', { name: new RegExp(NAME) });
    const id = await rowId(row);
    // a conversation with everything the header can show: assignees, restricted, snoozed, two labels
    const b = await bridgeClient(admin.host);
    const detail = (await b.call('query', 'conversation', { id })).result as { conversation: { visibilityVersion: number } };
    const users = [world.org.admin.id, world.org.alice.id, world.org.bob.id];
    for (const [m, a] of [
      ['manageConversation', { conversationId: id, visibleTo: users, assignees: users, baseVisibilityVersion: detail.conversation.visibilityVersion }],
      ['createLabel', { id: 'lbl-vip', name: 'VIP customer', color: 'purple' }],
      ['createLabel', { id: 'lbl-del', name: 'Delivery', color: 'blue' }],
      ['labelConversation', { conversationId: id, labelId: 'lbl-vip', applied: true }],
      ['labelConversation', { conversationId: id, labelId: 'lbl-del', applied: true }],
      ['snoozeConversation', { conversationId: id, until: null }],
    ] as const) {
      const r = await b.call('mutate', m, a);
      expect(r.ok, `${m}: ${r.error?.message ?? ''}`).toBe(true);
    }
    b.close();
    await goTo(page, /^Snoozed/);
    await page.getByRole('option', { name: new RegExp(NAME) }).click();
    await pw(page.getByRole('button', { name: 'Hide details' })).toBeVisible(); // the details pane is open
    const head = page.locator('header.conv-head');
    const h1 = head.getByRole('heading', { level: 1, name: NAME });
    await pw(head.getByText('VIP customer')).toHaveCount(1);
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      await pw(page.locator(`html[data-theme="${scheme}"]`)).toHaveCount(1);
      await pw(h1).toBeVisible();
      expect(await cut(h1), 'the name is shown whole').toBe(false);
      // every flag still shown is shown whole, inside the title line
      const flags = head.locator('.conv-flags');
      for (const flag of await flags.locator('> *').all()) {
        // shown in the line (its top inside the flags' line) → shown whole
        const [f, line] = [await flag.boundingBox(), await flags.boundingBox()];
        if (f && line && f.y < line.y + line.height - 1 && f.width > 0) expect(await within(flag, flags), 'a flag is shown whole or not at all').toBe(true);
      }
      await page.screenshot({ path: shotPath(`conversation-header-1440-details-${scheme}.png`) });
    }
    await page.emulateMedia({ colorScheme: 'light' });
  });
});
