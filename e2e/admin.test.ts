// Admin screens: an admin adds a person (who then appears in People), saves a Twilio
// account and sees its webhook URL (a bad account SID shows the relay's own message),
// reads an agents' chat they are not in without being able to write in it, and
// broadcasts a WhatsApp template with its blanks filled in.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expect as pw } from './pw';
import { eventually, goTo, startWorld, type AppUser, type World } from './harness';

let world: World;
let admin: AppUser;

beforeAll(async () => {
  world = await startWorld();
  // the test organisation has no WhatsApp templates: give Sales one, approved in two languages
  const sales = world.org.groups.sales;
  const templates = [{ name: 'order_update', language: 'en_GB', body: 'Hi {{1}}, your order {{2}} has shipped.' }, { name: 'order_update', language: 'es', body: 'Hola {{1}}, tu pedido {{2}} ha salido.' }];
  await world.relay.services.engine.write((tx) => tx.put('groups', { ...sales, templates }));
  await world.relay.simulator.inbound({ groupId: sales.id, from: '+447700900811', body: 'Where is my parcel?', contactName: 'Nadia Rahman' });
  await world.relay.simulator.inbound({ groupId: sales.id, from: '+447700900812', body: 'I paid at http://127.0.0.1:41873/pay/invoice/0193abc?t=1 already', contactName: 'Leo Link' });
  admin = await world.open(world.org.admin.email);
});
afterAll(async () => world?.close());

describe('Administration', () => {
  it('an admin adds a person, who appears in People', async () => {
    const { page } = admin;
    await goTo(page, /^Teams and people/);
    await page.getByRole('button', { name: 'Add person' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add a person' });
    await dialog.getByLabel('Name').fill('Priya Shah');
    await dialog.getByLabel('Email').fill('priya@test.parley');
    await dialog.getByLabel('Initial password').fill('short');
    await dialog.getByRole('button', { name: 'Add person' }).click();
    await pw(dialog.getByText('at least 8 characters', { exact: false }).last()).toBeVisible();
    await dialog.getByLabel('Initial password').fill('a-long-enough-password');
    await dialog.getByRole('checkbox', { name: 'Sales' }).check();
    await dialog.getByRole('button', { name: 'Add person' }).click();
    await pw(dialog).toBeHidden();
    await pw(page.getByRole('checkbox', { name: 'Priya Shah in Sales' })).toBeVisible();
    expect(await page.getByRole('checkbox', { name: 'Priya Shah in Sales' }).isChecked()).toBe(true);
  });

  it('an admin saves a Twilio account and sees its webhook URL; a bad SID shows the relay’s message', async () => {
    const { page } = admin;
    await goTo(page, /^Channels and payments/);
    await pw(page.getByText('No provider accounts yet')).toBeVisible();
    await page.getByRole('button', { name: 'Add account' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add a provider account' });
    await dialog.getByLabel('Provider').selectOption({ label: 'Twilio SMS' });
    await dialog.getByLabel('Team').selectOption({ label: 'Sales' });
    // blank required fields are refused here
    await dialog.getByRole('button', { name: 'Save account' }).click();
    await pw(dialog.getByText('Enter the account sid.')).toBeVisible();
    await dialog.getByLabel('Account SID').fill('XX123');
    await dialog.getByLabel('Sending number').fill('+1 415 555 2671');
    await dialog.getByLabel('Auth token').fill('a-secret-auth-token');
    await dialog.getByRole('button', { name: 'Save account' }).click();
    await pw(dialog.getByRole('alert')).toContainText('An account SID starts with AC.');
    await dialog.getByLabel('Account SID').fill('AC0123456789abcdef0123456789abcdef');
    await dialog.getByRole('button', { name: 'Save account' }).click();
    await pw(dialog).toBeHidden();
    const card = page.getByRole('article', { name: 'Twilio SMS for Sales' });
    await pw(card).toContainText('authToken: set');
    await pw(card.locator('code').first()).toContainText(world.org.relay.httpUrl.replace(/\/+$/, ''));
    await pw(card.getByRole('button', { name: /^Copy / }).first()).toBeVisible();
    expect(await card.innerText()).not.toContain('a-secret-auth-token');

    // edit with secrets left blank keeps them
    await card.getByRole('button', { name: /^Edit/ }).click();
    const edit = page.getByRole('dialog', { name: /^Edit Twilio SMS/ });
    await edit.getByLabel('Sends per second').fill('3');
    await edit.getByRole('button', { name: 'Save account' }).click();
    await pw(edit).toBeHidden();
    await pw(card).toContainText('3 sends per second');
    await pw(card).toContainText('authToken: set');

    // remove, with confirmation
    await card.getByRole('button', { name: /^Remove/ }).click();
    await page.getByRole('dialog', { name: 'Remove provider account?' }).getByRole('button', { name: 'Remove account' }).click();
    await pw(page.getByText('No provider accounts yet')).toBeVisible();
  });

  it('an admin sees that a chat they are not in exists, never its messages (issue 10 item 1)', async () => {
    // Setup only: the chat is made at the relay as Alice (journey 6 covers chats made in the app).
    const chatId = '01936f1e-0000-7000-8000-00000000c4a7';
    const asAlice = { userId: world.org.alice.id, role: 'agent' as const };
    await world.relay.services.engine.runAs(asAlice, 'createChat', { id: chatId, members: [world.org.alice.id, world.org.bob.id] });
    await world.relay.services.engine.runAs(asAlice, 'sendChatMessage', { id: '01936f1e-0000-7000-8000-00000000c4a8', chatId, body: 'Lunch at one?' });
    expect(await world.relay.services.engine.store.rows.find('chatMessages', { chatId })).toHaveLength(1);
    const { page } = admin;
    await goTo(page, /^Team chat/);
    const row = page.getByRole('option', { name: /Private chat between (Alice and Bob|Bob and Alice)/ });
    await pw(row, 30_000).toBeVisible();
    await pw(row).toContainText('private to its participants');
    await pw(row).toContainText('1 message');
    await row.click();
    await pw(page.getByRole('note').filter({ hasText: 'This chat is private to its participants' })).toBeVisible();
    await pw(page.getByText('Lunch at one?')).toHaveCount(0);
    await pw(page.getByRole('textbox', { name: 'Message' })).toHaveCount(0);
    await pw(page.getByRole('button', { name: 'Delete chat' })).toBeVisible();
  });

  it('a WhatsApp broadcast fills the blanks of the template in the chosen language and sends the filled text', async () => {
    const { page } = admin;
    await goTo(page, /^Broadcast/);
    await pw(page.getByRole('heading', { name: 'New broadcast' })).toBeVisible();
    await page.getByLabel('Channel').selectOption('whatsapp');
    await page.getByRole('checkbox', { name: 'Include Nadia Rahman' }).check();
    await page.getByLabel('Template', { exact: true }).selectOption({ label: 'order_update (en_GB)' });
    await pw(page.getByLabel('Template preview')).toContainText('has shipped');
    await page.getByLabel('Template', { exact: true }).selectOption({ label: 'order_update (es)' });
    await page.getByLabel('Template value 1').fill('Nadia');
    await page.getByRole('button', { name: 'Send broadcast to 1' }).click();
    await pw(page.getByRole('alert')).toContainText('Fill in blank {{2}}');
    await page.getByLabel('Template value 2').fill('#4471');
    await pw(page.getByLabel('Template preview')).toContainText('Hola Nadia, tu pedido #4471 ha salido.');
    await page.getByRole('button', { name: 'Send broadcast to 1' }).click();
    const filled = 'Hola Nadia, tu pedido #4471 ha salido.';
    await eventually(() => world.relay.simulator.sent().some((m) => m.body === filled), 'the filled template at the provider');
    expect(world.relay.simulator.sent().some((m) => m.body.includes('{{'))).toBe(false);
  });

  it('URLs read as a short token in previews and as a host-named link in the timeline', async () => {
    const { page } = admin;
    await goTo(page, /^Team inbox/);
    const row = page.getByRole('option', { name: /Leo Link/ });
    await pw(row).toContainText('I paid at (link) already');
    expect(await row.innerText()).not.toContain('/pay/invoice');
    await row.click();
    const link = page.getByRole('log', { name: 'Messages' }).getByRole('link', { name: /127\.0\.0\.1:41873/ });
    await pw(link).toBeVisible();
    expect(await link.getAttribute('href')).toBe('http://127.0.0.1:41873/pay/invoice/0193abc?t=1');
    expect(await link.getAttribute('target')).toBe('_blank');
    expect((await link.innerText()).trim()).toBe('127.0.0.1:41873');
  });

  it('offline, admin commands say so in plain words', async () => {
    const { page } = admin;
    await world.stopRelay();
    await pw(page.getByRole('navigation', { name: 'Main' }).getByRole('status')).toContainText('Offline');
    await goTo(page, /^Teams and people/);
    await page.getByRole('button', { name: 'Add person' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add a person' });
    await dialog.getByLabel('Name').fill('Tom Offline');
    await dialog.getByLabel('Email').fill('tom@test.parley');
    await dialog.getByLabel('Initial password').fill('a-long-enough-password');
    await dialog.getByRole('button', { name: 'Add person' }).click();
    await pw(dialog.getByRole('alert')).toContainText('offline');
    await page.keyboard.press('Escape');
    await goTo(page, /^Channels and payments/);
    await page.getByRole('button', { name: 'Refresh' }).click();
    await pw(page.getByRole('alert').first()).toContainText('offline');
  });
});
