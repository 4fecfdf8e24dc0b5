// End to end through the real relay: Meta WhatsApp inbound and statuses, and a Stripe payment
// link whose webhook marks the invoice paid.
import { createHmac } from 'node:crypto';
import Stripe from 'stripe';
import { uuidv7 } from 'uuidv7';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestRelay, type TestOrg } from '../../testing';
import { sendJson, startFakeApi, type FakeApi } from './helpers';

const PHONE_ID = '555000111';
const APP_SECRET = 'relay-meta-app-secret';
const CONTACT_WA = '14155552671';

let org: TestOrg;
let api: FakeApi;
let adminToken: string;

const put = async (body: unknown) => {
  const res = await fetch(`${org.relay.httpUrl}/admin/providers`, { method: 'PUT', headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  expect(res.status).toBe(200);
  return ((await res.json()) as { id: string }).id;
};
const store = () => org.relay.services.engine.store.rows;
async function until<T>(f: () => T | undefined | Promise<T | undefined>, what: string): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const v = await f();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

beforeEach(async () => {
  org = await startTestRelay();
  api = await startFakeApi();
  adminToken = (await org.login(org.admin.email)).accessToken;
});
afterEach(async () => {
  await api.close();
  await org.relay.close();
});

describe('Meta WhatsApp through the relay', () => {
  it('stores signed inbound messages once and keeps read over a late delivered', async () => {
    const id = await put({ kind: 'whatsapp-cloud', groupId: org.groups.support.id, channel: 'whatsapp', public: { phoneNumberId: PHONE_ID, number: '+15005550006', graphBaseUrl: api.url }, secrets: { accessToken: 'EAAG-relay-token', appSecret: APP_SECRET, verifyToken: 'verify-relay-1' } });
    const post = (value: Record<string, unknown>, secret = APP_SECRET) => {
      const body = JSON.stringify({ object: 'whatsapp_business_account', entry: [{ id: 'W', changes: [{ field: 'messages', value: { messaging_product: 'whatsapp', metadata: { phone_number_id: PHONE_ID }, ...value } }] }] });
      return fetch(`${org.relay.httpUrl}/webhooks/whatsapp/${id}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-hub-signature-256': 'sha256=' + createHmac('sha256', secret).update(body).digest('hex') }, body });
    };
    const hello = { contacts: [{ wa_id: CONTACT_WA, profile: { name: 'Zoe' } }], messages: [{ from: CONTACT_WA, id: 'wamid.IN1', timestamp: '1', type: 'text', text: { body: 'Hello support' } }] };
    expect((await post(hello)).status).toBe(200);
    expect((await post(hello)).status).toBe(200);
    expect((await post({ messages: [{ from: CONTACT_WA, id: 'wamid.IN2', timestamp: '1', type: 'text', text: { body: 'forged' } }] }, 'not-the-secret')).status).toBe(403);
    expect((await store().find('messages', { providerMessageId: 'wamid.IN1' }))).toHaveLength(1);
    expect((await store().find('messages', { providerMessageId: 'wamid.IN2' }))).toHaveLength(0);
    const contact = (await store().find('contacts', { phone: `+${CONTACT_WA}` }))[0];
    expect(contact?.name).toBe('Zoe');

    api.reply((_q, res) => sendJson(res, 200, { messaging_product: 'whatsapp', messages: [{ id: 'wamid.OUT1' }] }));
    const msgId = uuidv7();
    await org.relay.services.engine.runAs({ userId: org.carol.id, role: 'agent' }, 'sendMessage', { id: msgId, contactId: contact?.id, groupId: org.groups.support.id, channel: 'whatsapp', body: 'How can we help?' });
    await until(async () => ((await store().get('messages', msgId))?.status === 'sent' ? true : undefined), 'the WhatsApp send');
    expect(api.requests[0]?.json()).toMatchObject({ messaging_product: 'whatsapp', to: CONTACT_WA, type: 'text', text: { body: 'How can we help?' } });

    const status = (s: string) => ({ statuses: [{ id: 'wamid.OUT1', status: s, timestamp: '2', recipient_id: CONTACT_WA, biz_opaque_callback_data: msgId }] });
    await post(status('read'));
    await post(status('delivered'));
    expect((await store().get('messages', msgId))?.status).toBe('read');
  });
});

describe('Stripe through the relay', () => {
  it('creates the invoice payment link on Stripe and marks the invoice paid from the signed webhook', async () => {
    await put({ kind: 'stripe', public: { apiHost: '127.0.0.1', apiPort: api.port, apiProtocol: 'http' }, secrets: { secretKey: 'sk_test_relay', webhookSecret: 'whsec_relay' } });
    api.reply((_q, res) => sendJson(res, 200, { id: 'cs_relay_1', object: 'checkout.session', url: 'https://checkout.stripe.com/c/pay/cs_relay_1' }));
    // a conversation to hang the invoice on
    await org.relay.simulator.inbound({ groupId: org.groups.sales.id, from: '+14155552671', body: 'Can I pay by card?' });
    const conv = (await store().find('conversations', { groupId: org.groups.sales.id }))[0];
    const invoiceId = uuidv7();
    await org.relay.services.engine.runAs({ userId: org.alice.id, role: 'agent' }, 'createInvoice', {
      id: invoiceId, conversationId: conv?.id, currency: 'USD', lineItems: [{ description: 'Repair', quantity: 1, unitAmount: 4900 }], dueDate: '2030-01-31', send: true, messageId: uuidv7(),
    });
    const inv = await until(async () => {
      const i = (await store().get('invoices', invoiceId));
      return i?.paymentUrl ? i : undefined;
    }, 'the payment link');
    // the contact gets the relay's link to the session (it renews the session once expired)
    expect(inv.paymentUrl).toMatch(new RegExp(`^${org.relay.httpUrl}/pay/l/i\\.${invoiceId}\\.[\\w-]{22}$`));
    expect(inv.providerRef).toBe('cs_relay_1');
    expect(api.requests[0]?.form()).toMatchObject({ client_reference_id: `invoice-${invoiceId}`, 'line_items[0][price_data][unit_amount]': '4900' });

    const payload = JSON.stringify({ id: 'evt_relay_1', object: 'event', type: 'checkout.session.completed', data: { object: { id: 'cs_relay_1', object: 'checkout.session', payment_status: 'paid', client_reference_id: `invoice-${invoiceId}`, metadata: { invoiceId } } } });
    const send = (secret: string) => fetch(`${org.relay.httpUrl}/webhooks/stripe`, { method: 'POST', headers: { 'content-type': 'application/json', 'stripe-signature': Stripe.webhooks.generateTestHeaderString({ payload, secret }) }, body: payload });
    expect((await send('whsec_forged')).status).toBe(403);
    expect((await store().get('invoices', invoiceId))?.status).not.toBe('paid');
    expect((await send('whsec_relay')).status).toBe(200);
    expect((await store().get('invoices', invoiceId))?.status).toBe('paid');
  });
});
