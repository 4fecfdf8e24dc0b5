// Issue 10 "Trust" in the app: the Channels screen says which channels are simulated and a
// channel with no provider refuses to send with a sentence; templates are managed by admins;
// the manual payment page shows the team's instructions; expired links are renewed and
// partial refunds shown on the card; CSV import previews every line and overwrites nothing
// silently; agents opt a contact out of SMS.
import { uuidv7 } from 'uuidv7';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expect as pw } from './pw';
import { bridgeClient, eventually, goTo, rowId, startWorld, type AppUser, type World } from './harness';

const OLIVE = '+447700900951';
let world: World;
let admin: AppUser;
let alice: AppUser;

beforeAll(async () => {
  world = await startWorld();
  await world.relay.simulator.inbound({ groupId: world.org.groups.sales.id, from: OLIVE, body: 'Can you send me the bill?', contactName: 'Olive Grant' });
  admin = await world.open(world.org.admin.email);
  alice = await world.open(world.org.alice.email);
});
afterAll(async () => world?.close());

const channelRow = (u: AppUser, team: string, channel: string) => u.page.getByRole('article', { name: `Team ${team}` }).getByLabel(`${team} ${channel}`, { exact: true });

describe('Trust: channels, payments and contacts', () => {
  it('13. the Channels screen says what is simulated; a channel with no provider refuses to send, with the reason', async () => {
    const { page } = admin;
    await goTo(page, /^Channels and payments/);
    await pw(page.getByText('Simulated (nothing reaches a real phone): Sales SMS, Sales WhatsApp, Support SMS, Support WhatsApp.')).toBeVisible();
    // controlled by the synced row: the click runs a mutation, the box follows the replica
    await channelRow(admin, 'Sales', 'SMS').getByRole('checkbox', { name: 'Use the simulator' }).click();
    await pw(channelRow(admin, 'Sales', 'SMS')).toContainText('No provider — sends are refused');
    await pw(page.getByText('No provider, sends refused: Sales SMS.')).toBeVisible();

    const a = alice.page;
    await goTo(a, /^Team inbox/);
    await a.getByRole('option', { name: /Olive Grant/ }).click();
    await pw(a.getByText('No SMS provider', { exact: true })).toBeVisible();
    await a.getByRole('textbox', { name: 'Message' }).fill('Here it comes');
    await a.getByRole('button', { name: 'Send', exact: true }).click();
    await pw(a.getByText('No SMS provider is set up for Sales. An admin can add one in Channels and payments.').first()).toBeVisible();
    expect(world.relay.simulator.sent().some((s) => s.to === OLIVE)).toBe(false);

    await channelRow(admin, 'Sales', 'SMS').getByRole('checkbox', { name: 'Use the simulator' }).click();
    await pw(a.getByText('Simulated', { exact: true })).toBeVisible();
  });

  it('11. admins add templates (a refusal is a sentence); fetching without a WhatsApp account says why', async () => {
    const { page } = admin;
    const sales = page.getByRole('article', { name: 'Team Sales' });
    await sales.getByRole('button', { name: 'Add template' }).click();
    const d = page.getByRole('dialog', { name: 'Add a template to Sales' });
    await d.getByLabel('Name (as approved)').fill('payment_link');
    await d.getByLabel('Language').fill('en_GB');
    await d.getByLabel('Text, with numbered blanks').fill('Hello, {{1}}. Pay here: {{3}}');
    await d.getByRole('checkbox', { name: /For payment links/ }).check();
    await d.getByRole('button', { name: 'Save template' }).click();
    await pw(d.getByRole('alert')).toContainText('The blanks of "payment_link" must be numbered {{1}}, {{2}}, … without gaps.');
    await d.getByLabel('Text, with numbered blanks').fill('Hello, {{1}}. Pay here: {{2}}');
    await d.getByRole('button', { name: 'Save template' }).click();
    await pw(d).toBeHidden();
    await pw(sales.getByRole('listitem', { name: 'Template payment_link (en_GB)' })).toContainText('Payment links');
    await sales.getByRole('button', { name: 'Fetch approved templates' }).click();
    await pw(sales.getByRole('alert')).toContainText('Sales has no WhatsApp provider account: add a Twilio or WhatsApp Cloud API account for it first.');
    await eventually(async () => (await world.relay.services.engine.store.rows.get('groups', world.org.groups.sales.id))?.templates.some((t) => t.forPayments) === true, 'the relay');
  });

  it('8, 9, 10. the pay page shows the instructions; an expired link is renewed; a partial refund shows on the card', async () => {
    const { page } = admin;
    const sales = page.getByRole('article', { name: 'Team Sales' });
    await sales.getByLabel('Payment instructions').fill('Bank transfer to Sales Ltd, sort code 12-34-56, account 12345678.');
    await sales.getByRole('button', { name: 'Save instructions' }).click();
    await goTo(page, /^Team inbox/);
    const row = page.getByRole('option', { name: /Olive Grant/ });
    await row.click();
    const conversationId = await rowId(row);
    const bridge = await bridgeClient(admin.host);
    const invoiceId = uuidv7();
    const created = await bridge.call('mutate', 'createInvoice', {
      id: invoiceId, conversationId, currency: 'GBP', dueDate: '2030-01-31', send: true, messageId: uuidv7(), lineItems: [{ description: 'Boiler service', quantity: 1, unitAmount: 8_000 }],
    });
    bridge.close();
    expect(created.ok).toBe(true);
    const card = page.getByRole('article', { name: /^Invoice .*, Unpaid$/ });
    await pw(card).toBeVisible();
    const store = world.relay.services.engine.store;
    await eventually(async () => !!(await store.rows.get('invoices', invoiceId))?.paymentUrl, 'the relay');
    const html = await (await fetch((await store.rows.get('invoices', invoiceId))?.paymentUrl ?? '')).text();
    expect(html).toContain('Bank transfer to Sales Ltd, sort code 12-34-56, account 12345678.');
    expect(html).not.toContain('<form');

    // the provider reports the link expired: the card offers a new one
    await world.relay.services.engine.runAs({ userId: 'system', role: 'admin' }, 'setPaymentStatus', { invoiceId, status: 'expired' });
    const expired = page.getByRole('article', { name: /^Invoice .*, Link expired$/ });
    await pw(expired).toContainText('The payment link expired before it was paid.');
    const before = (await store.rows.find('messages', { paymentRef: `invoice:${invoiceId}` })).length;
    await expired.getByRole('button', { name: 'Send a new link' }).click();
    await pw(page.getByRole('article', { name: /^Invoice .*, Unpaid$/ })).toBeVisible();
    await eventually(async () => (await store.rows.find('messages', { paymentRef: `invoice:${invoiceId}` })).filter((m) => m.status !== 'queued').length === before + 1, 'the relay');

    // paid, then a partial refund: still paid, the refunded amount on the card
    await page.getByRole('button', { name: 'Mark paid' }).click();
    await world.relay.services.engine.runAs({ userId: 'system', role: 'admin' }, 'setPaymentStatus', { invoiceId, status: 'refunded', refundedAmount: 1_000, fullRefund: false });
    await pw(page.getByRole('article', { name: /^Invoice .*, Paid$/ })).toContainText('£10.00 refunded · £70.00 kept');
  });

  it('14. CSV import previews every line, overwrites nothing silently and reports every line', async () => {
    const { page } = admin;
    await goTo(page, /^Contacts/);
    await page.getByRole('button', { name: 'Import contacts from CSV' }).click();
    const d = page.getByRole('dialog', { name: 'Import contacts' });
    await d.getByLabel('Or paste CSV').fill(['name,phone,email', `Dup Of Olive,${OLIVE},dup@example.com`, 'Pia New,+447700900952,', 'Bad Number,12,'].join('\n'));
    await d.getByRole('button', { name: 'Preview' }).click();
    const table = d.getByRole('table', { name: 'Import preview' });
    await pw(table).toContainText('Matches Olive Grant — differs in name (Olive Grant → Dup Of Olive), email (none → dup@example.com)');
    await pw(table).toContainText('New contact');
    await pw(table).toContainText('Invalid:');
    await d.getByLabel('Line 2: Dup Of Olive').selectOption('skip');
    await d.getByRole('button', { name: 'Import 1 line' }).click();
    const result = d.getByRole('table', { name: 'Import result' });
    await pw(result).toContainText(`skipped: ${OLIVE} already belongs to Olive Grant`);
    await pw(result).toContainText('Created');
    await pw(result).toContainText('Invalid');
    await d.getByRole('button', { name: 'Done' }).click();
    await eventually(async () => (await world.relay.services.engine.store.rows.find('contacts', { phone: '+447700900952' })).length === 1, 'the relay');
    expect((await world.relay.services.engine.store.rows.find('contacts', { phone: OLIVE }))[0]?.name).toBe('Olive Grant');
  });

  it('14. an agent opts a contact out of SMS at its request, and cannot opt it back in', async () => {
    const a = alice.page;
    await goTo(a, /^Contacts/);
    await a.getByRole('listbox', { name: 'Contacts' }).getByRole('option', { name: /Olive Grant/ }).click();
    const box = a.getByRole('checkbox', { name: /Opted out of SMS/ });
    await box.click();
    await pw(box).toBeDisabled();
    expect(await box.isChecked()).toBe(true);
    await pw(a.getByText('Only an admin can opt them back in — or the contact, by texting START.')).toBeVisible();
    await eventually(async () => (await world.relay.services.engine.store.rows.find('contacts', { phone: OLIVE }))[0]?.optedOut === true, 'the relay');
  });
});
