import Stripe from 'stripe';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sendJson, startFakeApi, startHarness, type FakeApi, type Harness } from '../test/helpers';

const WEBHOOK_SECRET = 'whsec_test_secret_1';
let h: Harness;
let api: FakeApi;

beforeEach(async () => {
  h = startHarness();
  api = await startFakeApi();
  (await h.registry.accounts.upsert({
    kind: 'stripe',
    public: { apiHost: '127.0.0.1', apiPort: api.port, apiProtocol: 'http', successUrl: 'https://shop.example.com/thanks' },
    secrets: { secretKey: 'sk_test_abc123', webhookSecret: WEBHOOK_SECRET },
  }));
});
afterEach(async () => {
  await api.close();
  await h.close();
});

const signed = (event: Record<string, unknown>, secret = WEBHOOK_SECRET) => {
  const payload = JSON.stringify({ id: 'evt_1', object: 'event', api_version: '2025-01-01', created: 1, livemode: false, pending_webhooks: 1, request: null, ...event });
  return h.webhook('/webhooks/stripe', { headers: { 'Stripe-Signature': Stripe.webhooks.generateTestHeaderString({ payload, secret }), 'content-type': 'application/json' }, body: payload });
};
const session = (over: Record<string, unknown>) => ({ object: { id: 'cs_test_1', object: 'checkout.session', payment_status: 'paid', client_reference_id: 'invoice-inv-1', metadata: { invoiceId: 'inv-1' }, ...over } });

describe('Stripe payment links', () => {
  it('creates a Checkout Session with our id as reference, metadata and idempotency key', async () => {
    api.reply((_q, res) => sendJson(res, 200, { id: 'cs_test_1', object: 'checkout.session', url: 'https://checkout.stripe.com/c/pay/cs_test_1' }));
    const payments = (await h.registry.payments());
    expect(payments.kind).toBe('stripe');
    const link = await payments.createLink({ kind: 'invoice', id: 'inv-1', description: 'Invoice 0001', currency: 'GBP', amount: 2500, lineItems: [{ description: 'Widget', quantity: 2, unitAmount: 1250 }] });
    expect(link).toEqual({ url: 'https://checkout.stripe.com/c/pay/cs_test_1', providerRef: 'cs_test_1' });
    const q = api.requests[0];
    expect(q?.url.pathname).toBe('/v1/checkout/sessions');
    expect(q?.headers['idempotency-key']).toBe('invoice-inv-1');
    expect(q?.headers.authorization).toBe('Bearer sk_test_abc123');
    expect(q?.form()).toMatchObject({
      mode: 'payment',
      client_reference_id: 'invoice-inv-1',
      'metadata[invoiceId]': 'inv-1',
      'payment_intent_data[metadata][invoiceId]': 'inv-1',
      'line_items[0][quantity]': '2',
      'line_items[0][price_data][currency]': 'gbp',
      'line_items[0][price_data][unit_amount]': '1250',
      'line_items[0][price_data][product_data][name]': 'Widget',
      success_url: 'https://shop.example.com/thanks',
    });
  });

  it('uses the fallback (manual) payments when no Stripe account is configured', async () => {
    await h.registry.accounts.remove((await h.registry.accounts.stripe())?.id ?? '');
    expect((await h.registry.payments()).kind).toBe('manual');
    expect((await h.registry.webhook(['stripe']))).toBeUndefined();
  });
});

describe('Stripe webhooks', () => {
  it('maps completed → paid, expired → expired, charge.refunded → refunded', async () => {
    expect((await signed({ id: 'evt_a', type: 'checkout.session.completed', data: session({}) })).status).toBe(200);
    await signed({ id: 'evt_b', type: 'checkout.session.expired', data: session({ payment_status: 'unpaid', client_reference_id: 'checkout-co-1', metadata: { checkoutId: 'co-1' } }) });
    await signed({ id: 'evt_c', type: 'charge.refunded', data: { object: { id: 'ch_1', object: 'charge', metadata: { invoiceId: 'inv-1' } } } });
    expect(h.sink.payments).toEqual([
      { invoiceId: 'inv-1', providerRef: 'cs_test_1', status: 'paid' },
      { checkoutId: 'co-1', providerRef: 'cs_test_1', status: 'expired' },
      { invoiceId: 'inv-1', status: 'refunded' },
    ]);
  });

  it('finds the invoice of a refunded charge without metadata through its Checkout Session', async () => {
    api.reply((q, res) =>
      q.url.pathname === '/v1/checkout/sessions' && q.url.searchParams.get('payment_intent') === 'pi_9'
        ? sendJson(res, 200, { object: 'list', has_more: false, url: '/v1/checkout/sessions', data: [{ id: 'cs_9', object: 'checkout.session', client_reference_id: 'checkout-co-9', metadata: {} }] })
        : sendJson(res, 404, { error: { message: 'no such thing', type: 'invalid_request_error' } }),
    );
    await signed({ id: 'evt_r', type: 'charge.refunded', data: { object: { id: 'ch_9', object: 'charge', metadata: {}, payment_intent: 'pi_9' } } });
    expect(h.sink.payments).toEqual([{ checkoutId: 'co-9', status: 'refunded' }]);
  });

  it('waits for async payment success when a session completes unpaid', async () => {
    await signed({ id: 'evt_d', type: 'checkout.session.completed', data: session({ payment_status: 'unpaid' }) });
    expect(h.sink.payments).toHaveLength(0);
    await signed({ id: 'evt_e', type: 'checkout.session.async_payment_succeeded', data: session({}) });
    expect(h.sink.payments).toEqual([{ invoiceId: 'inv-1', providerRef: 'cs_test_1', status: 'paid' }]);
  });

  it('handles a replayed event once', async () => {
    await signed({ id: 'evt_same', type: 'checkout.session.completed', data: session({}) });
    expect((await signed({ id: 'evt_same', type: 'checkout.session.completed', data: session({}) })).status).toBe(200);
    expect(h.sink.payments).toHaveLength(1);
  });

  it('answers 403 and records nothing on a bad or missing signature', async () => {
    expect((await signed({ id: 'evt_x', type: 'checkout.session.completed', data: session({}) }, 'whsec_wrong')).status).toBe(403);
    expect((await h.webhook('/webhooks/stripe', { body: '{"id":"evt_y"}' })).status).toBe(403);
    expect(h.sink.payments).toHaveLength(0);
  });
});
