// Journey 4: archive is refused while an invoice is unpaid; once paid it archives; the
// contact writes again and a new conversation opens; the old one can be unarchived.
import type { Page } from 'playwright-core';
import { uuidv7 } from 'uuidv7';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expect as pw } from './pw';
import { bridgeClient, goTo, rowId, startWorld, timeline, type AppUser, type World } from './harness';

const MAYA = '+447700900303';
const actions = (page: Page) => page.getByRole('toolbar', { name: 'Conversation actions' });
let world: World;
let admin: AppUser; // archive: assignees and admins; mark paid: admins only

beforeAll(async () => {
  world = await startWorld();
  await world.relay.simulator.inbound({ groupId: world.org.groups.sales.id, from: MAYA, body: 'Please send me the invoice', contactName: 'Maya Patel' });
  admin = await world.open(world.org.admin.email);
});
afterAll(async () => world?.close());

describe('Archive', () => {
  it('4. unpaid invoice blocks archive; paid archives; a new message opens a new conversation; unarchive', async () => {
    const { page } = admin;
    await goTo(page, /^Team inbox/);
    const row = page.getByRole('option', { name: /Maya Patel/ });
    await row.click();
    const conversationId = await rowId(row);

    // Set-up through the same bridge the page uses: an invoice sent to the contact.
    const bridge = await bridgeClient(admin.host);
    const invoice = await bridge.call('mutate', 'createInvoice', {
      id: uuidv7(), conversationId, currency: 'GBP', dueDate: '2030-01-31', send: true, messageId: uuidv7(),
      lineItems: [{ description: 'Annual service', quantity: 1, unitAmount: 12_000 }],
    });
    bridge.close();
    expect(invoice.ok).toBe(true);
    await pw(page.getByRole('article', { name: /^Invoice .*, Unpaid$/ })).toBeVisible();

    // issue 12 item 13: Archive (and Delete) are unavailable beforehand, with the reason, not refused after the confirm step
    const archive = actions(page).getByRole('button', { name: 'Archive', exact: true });
    await pw(archive).toBeDisabled();
    await pw(archive).toHaveAttribute('aria-describedby', /archive-why/);
    expect(await page.locator(`#${(await archive.getAttribute('aria-describedby')) ?? ''}`).innerText()).toMatch(/unpaid invoice\. Mark it paid or void it before archiving/);
    await pw(actions(page).getByRole('button', { name: 'Delete conversation' })).toBeDisabled();
    // the keyboard path says the same: E opens the dialog with the reason and no way to confirm
    await page.getByRole('heading', { name: 'Maya Patel', level: 1 }).click();
    await page.keyboard.press('e');
    const confirm = page.getByRole('dialog', { name: 'Archive conversation?' });
    await pw(confirm.getByRole('note')).toContainText('unpaid invoice');
    await pw(confirm.getByRole('button', { name: 'Archive', exact: true })).toBeDisabled();
    await page.keyboard.press('Escape');
    await pw(page.getByRole('heading', { name: 'Maya Patel', level: 1 })).toBeVisible();
    expect(await page.getByRole('region', { name: 'Conversation with Maya Patel' }).getByText('Archived', { exact: true }).count()).toBe(0);

    await page.getByRole('button', { name: 'Mark paid' }).click();
    await pw(page.getByRole('article', { name: /^Invoice .*, Paid$/ })).toBeVisible();
    await actions(page).getByRole('button', { name: 'Archive', exact: true }).click();
    await page.getByRole('dialog', { name: 'Archive conversation?' }).getByRole('button', { name: 'Archive', exact: true }).click();
    await pw(page.getByRole('option', { name: /Maya Patel/ })).toHaveCount(0);

    await world.relay.simulator.inbound({ groupId: world.org.groups.sales.id, from: MAYA, body: 'One more question', contactName: 'Maya Patel' });
    const fresh = page.getByRole('option', { name: /Maya Patel/ });
    await pw(fresh).toBeVisible();
    expect(await rowId(fresh)).not.toBe(conversationId);

    await goTo(page, /^Archived/);
    await page.getByRole('option', { name: /Maya Patel/ }).click();
    await pw(timeline(page).getByText('Please send me the invoice')).toBeVisible();
    await actions(page).getByRole('button', { name: 'Unarchive', exact: true }).click();
    await goTo(page, /^Team inbox/);
    await pw(page.getByRole('option', { name: /Maya Patel/ })).toHaveCount(2);
  });
});
