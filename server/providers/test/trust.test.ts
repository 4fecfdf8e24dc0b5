// Issue 10 "Trust" through the real relay: templates fetched from local servers speaking Meta's
// Graph API and Twilio's Content API; refunds, expired Stripe links and "Send a new link"; no
// silent simulator (a group's channels follow its provider accounts).
import Stripe from 'stripe';
import { uuidv7 } from 'uuidv7';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestRelay, type TestOrg } from '../../testing';
import { sendJson, startFakeApi, type FakeApi } from './helpers';

let org: TestOrg;
let api: FakeApi;
let adminToken: string;

const store = () => org.relay.services.engine.store.rows;
const call = async (method: string, path: string, body?: unknown, token = adminToken) => {
  const res = await fetch(`${org.relay.httpUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (res.status === 204 ? null : await res.json()) as Record<string, unknown> };
};
async function until<T>(f: () => T | undefined | Promise<T | undefined>, what: string): Promise<T> {
  for (let i = 0; i < 400; i++) {
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

describe('item 11: WhatsApp templates managed and fetched', () => {
  it('admins list, add, edit and remove a group\'s templates over HTTP; agents may not', async () => {
    const g = org.groups.sales.id;
    const t = { name: 'order_ready', language: 'en_GB', body: 'Your order {{1}} is ready', providerId: 'HX0001' };
    expect((await call('PUT', `/admin/groups/${g}/templates`, { template: t }, (await org.login(org.alice.email)).accessToken)).status).toBe(403);
    expect((await call('PUT', `/admin/groups/${g}/templates`, { template: t })).body).toEqual({ templates: [t] });
    const dup = await call('PUT', `/admin/groups/${g}/templates`, { template: t });
    expect(dup.status).toBe(409);
    expect(JSON.stringify(dup.body)).toContain('Sales already has a template named \\"order_ready\\" in en_GB.');
    await call('PUT', `/admin/groups/${g}/templates`, { previousName: 'order_ready', template: { ...t, body: 'Order {{1}} is ready at {{2}}' } });
    expect((await call('GET', `/admin/groups/${g}/templates`)).body).toEqual({ templates: [{ ...t, body: 'Order {{1}} is ready at {{2}}' }] });
    // the same name in Spanish: the name alone no longer says which one to remove
    const es = { ...t, language: 'es', body: 'Tu pedido {{1}} está listo', providerId: 'HX0002' };
    expect((await call('PUT', `/admin/groups/${g}/templates`, { template: es })).status).toBe(200);
    const ambiguous = await call('DELETE', `/admin/groups/${g}/templates/order_ready`);
    expect(ambiguous.status).toBe(400);
    expect(JSON.stringify(ambiguous.body)).toContain('Sales has \\"order_ready\\" in several languages (en_GB, es): say which one.');
    expect((await call('DELETE', `/admin/groups/${g}/templates/order_ready/es`)).body).toEqual({ templates: [{ ...t, body: 'Order {{1}} is ready at {{2}}' }] });
    expect((await call('DELETE', `/admin/groups/${g}/templates/order_ready`)).body).toEqual({ templates: [] });
    expect((await store().get('groups', g))?.templates).toEqual([]);
  });

  it('fetches approved templates from Meta\'s Graph API (message_templates, paged)', async () => {
    const g = org.groups.support.id;
    expect((await call('POST', `/admin/groups/${g}/templates/fetch`)).status).toBe(409); // no WhatsApp account yet
    await call('PUT', '/admin/providers', {
      kind: 'whatsapp-cloud', groupId: g, channel: 'whatsapp',
      public: { phoneNumberId: '555000111', number: '+15005550006', businessAccountId: '1029384756', graphBaseUrl: api.url },
      secrets: { accessToken: 'EAAG-meta-token', appSecret: 'meta-app-secret', verifyToken: 'verify-token-1' },
    });
    api.reply(
      (_q, res) =>
        sendJson(res, 200, {
          data: [
            { name: 'appointment_reminder', language: 'en_US', status: 'APPROVED', category: 'UTILITY', id: '1', components: [{ type: 'HEADER', format: 'TEXT', text: 'Reminder' }, { type: 'BODY', text: 'Hi {{1}}, see you on {{2}}.' }] },
            { name: 'named_params', language: 'en_US', status: 'APPROVED', id: '2', components: [{ type: 'BODY', text: 'Hi {{first_name}}' }] },
          ],
          paging: { cursors: { before: 'a', after: 'b' }, next: `${api.url}/v21.0/1029384756/message_templates?after=b` },
        }),
      (_q, res) => sendJson(res, 200, { data: [{ name: 'payment_due', language: 'en_GB', status: 'APPROVED', id: '3', components: [{ type: 'BODY', text: 'Your bill: {{1}}. Pay: {{2}}' }] }], paging: { cursors: { before: 'b', after: 'c' } } }),
    );
    const r = await call('POST', `/admin/groups/${g}/templates/fetch`);
    expect(r.status).toBe(200);
    expect(r.body.fetched).toEqual(['appointment_reminder (en_US)', 'payment_due (en_GB)']);
    expect(api.requests[0]?.url.pathname).toBe('/v21.0/1029384756/message_templates');
    expect(api.requests[0]?.url.searchParams.get('status')).toBe('APPROVED');
    expect(api.requests[0]?.headers.authorization).toBe('Bearer EAAG-meta-token');
    expect(api.requests[1]?.url.searchParams.get('after')).toBe('b');
    expect((await store().get('groups', g))?.templates).toEqual([
      { name: 'appointment_reminder', language: 'en_US', body: 'Hi {{1}}, see you on {{2}}.' },
      { name: 'payment_due', language: 'en_GB', body: 'Your bill: {{1}}. Pay: {{2}}' },
    ]);
  });

  it('fetches approved templates from Twilio\'s Content API (ContentAndApprovals), the ContentSid as provider id', async () => {
    const g = org.groups.sales.id;
    await call('PUT', '/admin/providers', {
      kind: 'twilio', groupId: g, channel: 'whatsapp', public: { accountSid: 'AC0123456789abcdef', number: '+15005550006', apiBaseUrl: api.url }, secrets: { authToken: 'twilio-auth-token' },
    });
    api.reply((_q, res) =>
      sendJson(res, 200, {
        contents: [
          { sid: 'HXaaa', friendly_name: 'order_update', language: 'en', types: { 'twilio/text': { body: 'Order {{1}} has shipped' } }, approval_requests: { name: 'order_update', category: 'UTILITY', status: 'approved' } },
          { sid: 'HXbbb', friendly_name: 'promo', language: 'en', types: { 'twilio/text': { body: 'Sale!' } }, approval_requests: { name: 'promo', status: 'rejected' } },
        ],
        meta: { page: 0, page_size: 100, next_page_url: null, key: 'contents' },
      }),
    );
    const r = await call('POST', `/admin/groups/${g}/templates/fetch`);
    expect(r.body.fetched).toEqual(['order_update (en)']);
    expect(api.requests[0]?.url.pathname).toBe('/v1/ContentAndApprovals');
    expect(api.requests[0]?.headers.authorization).toBe(`Basic ${Buffer.from('AC0123456789abcdef:twilio-auth-token').toString('base64')}`);
    expect((await store().get('groups', g))?.templates).toEqual([{ name: 'order_update', language: 'en', body: 'Order {{1}} has shipped', providerId: 'HXaaa' }]);
  });
});

describe('item 13: a group\'s channels follow its provider accounts', () => {
  it('adding an account records the provider; removing it leaves the channel with none, and sends are refused', async () => {
    const g = org.groups.sales.id;
    expect((await store().get('groups', g))?.channelProviders).toEqual({ sms: 'simulator', whatsapp: 'simulator' });
    const saved = await call('PUT', '/admin/providers', { kind: 'twilio', groupId: g, channel: 'sms', public: { accountSid: 'AC0123456789abcdef', number: '+15005550006', apiBaseUrl: api.url }, secrets: { authToken: 'twilio-auth-token' } });
    expect((await store().get('groups', g))?.channelProviders.sms).toBe('twilio');
    expect((await call('DELETE', `/admin/providers/${String(saved.body.id)}`)).status).toBe(204);
    expect((await store().get('groups', g))?.channelProviders).toEqual({ sms: null, whatsapp: 'simulator' });
    await org.relay.simulator.inbound({ groupId: g, from: '+14155552671', body: 'Hello?' });
    const contact = (await store().find('contacts', { phone: '+14155552671' }))[0];
    await expect(
      org.relay.services.engine.runAs({ userId: org.alice.id, role: 'agent' }, 'sendMessage', { id: uuidv7(), contactId: contact?.id, groupId: g, channel: 'sms', body: 'Hi' }),
    ).rejects.toThrow('No SMS provider is set up for Sales. An admin can add one in Channels and payments.');
    expect(org.relay.simulator.sent()).toEqual([]);
  });

  it('a message queued before the provider went away fails with the reason instead of reaching the simulator', async () => {
    const g = org.groups.sales.id;
    await org.relay.simulator.inbound({ groupId: g, from: '+14155552671', body: 'Hello?' });
    const contact = (await store().find('contacts', { phone: '+14155552671' }))[0];
    // the relay's record says Twilio, but no account exists (removed by the CLI while it ran)
    await org.relay.services.engine.runAs({ userId: 'system', role: 'admin' }, 'setChannelProvider', { groupId: g, channel: 'sms', provider: 'twilio' });
    const id = uuidv7();
    await org.relay.services.engine.runAs({ userId: org.alice.id, role: 'agent' }, 'sendMessage', { id, contactId: contact?.id, groupId: g, channel: 'sms', body: 'Hi' });
    const m = await until(async () => ((await store().get('messages', id))?.status === 'failed' ? (await store().get('messages', id)) : undefined), 'the failed send');
    expect(m.failureReason).toBe('No SMS provider is set up for Sales. An admin can add one in Channels and payments.');
    expect((await store().get('groups', g))?.channelProviders.sms).toBeNull();
    expect(org.relay.simulator.sent()).toEqual([]);
  });
});

describe('items 9 and 10: expired Stripe links and refunds', () => {
  const stripeEvent = (id: string, type: string, object: Record<string, unknown>) => {
    const payload = JSON.stringify({ id, object: 'event', type, data: { object } });
    return fetch(`${org.relay.httpUrl}/webhooks/stripe`, { method: 'POST', headers: { 'content-type': 'application/json', 'stripe-signature': Stripe.webhooks.generateTestHeaderString({ payload, secret: 'whsec_relay' }) }, body: payload });
  };
  const sentInvoice = async () => {
    await call('PUT', '/admin/providers', { kind: 'stripe', public: { apiHost: '127.0.0.1', apiPort: api.port, apiProtocol: 'http' }, secrets: { secretKey: 'sk_test_relay', webhookSecret: 'whsec_relay' } });
    let n = 0;
    api.reply((_q, res) => {
      n++;
      sendJson(res, 200, { id: `cs_relay_${n}`, object: 'checkout.session', url: `https://checkout.stripe.com/c/pay/cs_relay_${n}` });
    });
    await org.relay.simulator.inbound({ groupId: org.groups.sales.id, from: '+14155552671', body: 'Can I pay by card?' });
    const conv = (await store().find('conversations', { groupId: org.groups.sales.id }))[0];
    const invoiceId = uuidv7();
    const messageId = uuidv7();
    await org.relay.services.engine.runAs({ userId: org.alice.id, role: 'agent' }, 'createInvoice', {
      id: invoiceId, conversationId: conv?.id, currency: 'USD', lineItems: [{ description: 'Repair', quantity: 1, unitAmount: 4900 }], dueDate: '2030-01-31', send: true, messageId,
    });
    await until(async () => (await store().get('invoices', invoiceId))?.paymentUrl ?? undefined, 'the payment link');
    return { invoiceId, messageId };
  };

  it('an expired session flags the link; "Send a new link" makes a new session and a new message, the old one stays with its old link', async () => {
    const { invoiceId, messageId } = await sentInvoice();
    expect((await store().get('invoices', invoiceId))).toMatchObject({ status: 'sent', providerRef: 'cs_relay_1', linkExpired: false });
    // an older session's expiry is not this link's
    await stripeEvent('evt_x0', 'checkout.session.expired', { id: 'cs_old', object: 'checkout.session', metadata: { invoiceId } });
    expect((await store().get('invoices', invoiceId))?.linkExpired).toBe(false);
    await stripeEvent('evt_x1', 'checkout.session.expired', { id: 'cs_relay_1', object: 'checkout.session', metadata: { invoiceId } });
    expect((await store().get('invoices', invoiceId))).toMatchObject({ status: 'sent', linkExpired: true });
    const renewal = uuidv7();
    await org.relay.services.engine.runAs({ userId: org.bob.id, role: 'agent' }, 'renewPaymentLink', { invoiceId, messageId: renewal });
    const inv = await until(async () => ((await store().get('invoices', invoiceId))?.paymentUrl ? (await store().get('invoices', invoiceId)) : undefined), 'the new link');
    expect(inv).toMatchObject({ providerRef: 'cs_relay_2', linkExpired: false, status: 'sent' });
    expect(api.requests[1]?.headers['idempotency-key']).toBe(`invoice-${invoiceId}-2`);
    // both messages carry the relay's link to the invoice, which leads to the current session
    expect((await store().get('messages', renewal))?.body).toContain(`${org.relay.httpUrl}/pay/l/i.${invoiceId}.`);
    expect((await store().get('messages', messageId))?.body).toContain(String(inv.paymentUrl));
    await expect(org.relay.services.engine.runAs({ userId: org.bob.id, role: 'agent' }, 'renewPaymentLink', { invoiceId, messageId: uuidv7() })).rejects.toThrow(/has not expired/);
  });

  it('a partial refund keeps the invoice paid and records the amount; a full refund voids it', async () => {
    const { invoiceId } = await sentInvoice();
    await stripeEvent('evt_p', 'checkout.session.completed', { id: 'cs_relay_1', object: 'checkout.session', payment_status: 'paid', metadata: { invoiceId } });
    expect((await store().get('invoices', invoiceId))?.status).toBe('paid');
    await stripeEvent('evt_r1', 'charge.refunded', { id: 'ch_1', object: 'charge', amount: 4900, amount_refunded: 1000, refunded: false, metadata: { invoiceId } });
    expect((await store().get('invoices', invoiceId))).toMatchObject({ status: 'paid', refundedAmount: 1000 });
    await stripeEvent('evt_r2', 'charge.refunded', { id: 'ch_1', object: 'charge', amount: 4900, amount_refunded: 4900, refunded: true, metadata: { invoiceId } });
    expect((await store().get('invoices', invoiceId))).toMatchObject({ status: 'void', refundedAmount: 4900 });
  });
});
