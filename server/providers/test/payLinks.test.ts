// Issue 10 item 9, second half: the contact's payment link is the relay's (`/pay/l/<token>`);
// opening it goes to the open Stripe Checkout Session, or makes a new one when it has expired.
// Against the local server speaking Stripe's API (startFakeApi), through the real relay.
import type { ServerResponse } from 'node:http';
import Stripe from 'stripe';
import { uuidv7 } from 'uuidv7';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RowOf } from '../../../shared/schema';
import { payLinkToken } from '../../http/payLinks';
import { startTestRelay, type TestOrg } from '../../testing';
import { sendJson, startFakeApi, type FakeApi } from './helpers';

let org: TestOrg;
let api: FakeApi;
let adminToken: string;
/** what the fake Stripe says of each session when the relay asks */
let sessionStatus: Map<string, 'open' | 'complete' | 'expired'>;
/** when set, session creations wait for it before Stripe answers */
let holdCreate: Promise<void> | null;
let created: number;

const store = () => org.relay.services.store.rows;
const sessionUrl = (id: string) => `https://checkout.stripe.com/c/pay/${id}`;
const creates = () => api.requests.filter((q) => q.method === 'POST' && q.url.pathname === '/v1/checkout/sessions');
const reads = (id: string) => api.requests.filter((q) => q.method === 'GET' && q.url.pathname === `/v1/checkout/sessions/${id}`);
const open = (url: string) => fetch(url, { redirect: 'manual' });

async function until<T>(f: () => T | undefined | Promise<T | undefined>, what: string): Promise<T> {
  for (let i = 0; i < 800; i++) {
    const v = await f();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

function fakeStripe(q: { method: string; url: URL }, res: ServerResponse): void {
  if (q.method === 'POST' && q.url.pathname === '/v1/checkout/sessions') {
    const id = `cs_relay_${++created}`;
    sessionStatus.set(id, 'open');
    const answer = () => sendJson(res, 200, { id, object: 'checkout.session', status: 'open', url: sessionUrl(id) });
    if (holdCreate) void holdCreate.then(answer);
    else answer();
    return;
  }
  const m = /^\/v1\/checkout\/sessions\/([\w-]+)$/.exec(q.url.pathname);
  const status = m ? sessionStatus.get(m[1] as string) : undefined;
  if (m && status) return sendJson(res, 200, { id: m[1], object: 'checkout.session', status, url: status === 'open' ? sessionUrl(m[1] as string) : null });
  sendJson(res, 404, { error: { message: 'No such checkout.session', type: 'invalid_request_error' } });
}

beforeEach(async () => {
  org = await startTestRelay();
  api = await startFakeApi();
  sessionStatus = new Map();
  holdCreate = null;
  created = 0;
  api.reply(fakeStripe);
  adminToken = (await org.login(org.admin.email)).accessToken;
});
afterEach(async () => {
  await api.close();
  await org.relay.close();
});

async function withStripe(): Promise<void> {
  const res = await fetch(`${org.relay.httpUrl}/admin/providers`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ kind: 'stripe', public: { apiHost: '127.0.0.1', apiPort: api.port, apiProtocol: 'http' }, secrets: { secretKey: 'sk_test_relay', webhookSecret: 'whsec_relay' } }),
  });
  expect(res.status).toBe(200);
}

/** An invoice sent to a contact by SMS; resolves once its link is in the message. */
async function sentInvoice(): Promise<{ invoiceId: string; messageId: string; link: string }> {
  await org.relay.simulator.inbound({ groupId: org.groups.sales.id, from: '+14155552671', body: 'Can I pay by card?' });
  const conv = await until(async () => (await store().find('conversations', { groupId: org.groups.sales.id }))[0], 'the conversation');
  const invoiceId = uuidv7();
  const messageId = uuidv7();
  await org.relay.services.engine.runAs({ userId: org.alice.id, role: 'agent' }, 'createInvoice', {
    id: invoiceId, conversationId: conv.id, currency: 'USD', lineItems: [{ description: 'Repair', quantity: 1, unitAmount: 4900 }], dueDate: '2030-01-31', send: true, messageId,
  });
  const link = await until(async () => (await store().get('invoices', invoiceId))?.paymentUrl ?? undefined, 'the payment link');
  await until(async () => ((await store().get('messages', messageId))?.status === 'sent' ? true : undefined), 'the message sent');
  return { invoiceId, messageId, link };
}

const stripeEvent = (id: string, type: string, object: Record<string, unknown>) => {
  const payload = JSON.stringify({ id, object: 'event', type, data: { object } });
  return fetch(`${org.relay.httpUrl}/webhooks/stripe`, { method: 'POST', headers: { 'content-type': 'application/json', 'stripe-signature': Stripe.webhooks.generateTestHeaderString({ payload, secret: 'whsec_relay' }) }, body: payload });
};

describe('the relay\'s payment link', () => {
  it('the message carries the relay\'s link, never Stripe\'s; an open session is a redirect to Stripe', async () => {
    await withStripe();
    const { messageId, link } = await sentInvoice();
    expect(link.startsWith(`${org.relay.httpUrl}/pay/l/`)).toBe(true);
    const body = (await store().get('messages', messageId))?.body ?? '';
    expect(body).toContain(`Pay here: ${link}`);
    expect(body).not.toContain('checkout.stripe.com');
    expect(org.relay.simulator.sent().find((t) => t.messageId === messageId)?.body).toContain(link);
    const res = await open(link);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(sessionUrl('cs_relay_1'));
    expect(creates()).toHaveLength(1);
  });

  it('opening a link whose session expired makes one new session, marks the old link expired, and redirects to the new one', async () => {
    await withStripe();
    const { invoiceId, link } = await sentInvoice();
    const seen: { linkExpired: boolean; providerRef: string | null }[] = [];
    org.relay.services.engine.onCommit((c) => {
      const i = [...c.changes.puts.values()].find((p) => p.t === 'invoices' && p.id === invoiceId)?.row as RowOf<'invoices'> | undefined;
      if (i) seen.push({ linkExpired: i.linkExpired, providerRef: i.providerRef });
    });
    sessionStatus.set('cs_relay_1', 'expired'); // Stripe says so; its webhook has not come (yet)
    const res = await open(link);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(sessionUrl('cs_relay_2'));
    expect(creates()).toHaveLength(2);
    expect(creates()[1]?.headers['idempotency-key']).toBe(`invoice-${invoiceId}-after-cs_relay_1`);
    // the replica sees the old link expired, then the new one
    expect(seen).toContainEqual({ linkExpired: true, providerRef: 'cs_relay_1' });
    expect((await store().get('invoices', invoiceId))).toMatchObject({ status: 'sent', linkExpired: false, providerRef: 'cs_relay_2', paymentUrl: link });
    // the same link now leads to the new session, without another renewal
    const again = await open(link);
    expect(again.headers.get('location')).toBe(sessionUrl('cs_relay_2'));
    expect(creates()).toHaveLength(2);
  });

  it('after Stripe\'s expiry webhook, opening the link renews without asking Stripe about the old session', async () => {
    await withStripe();
    const { invoiceId, link } = await sentInvoice();
    await stripeEvent('evt_x1', 'checkout.session.expired', { id: 'cs_relay_1', object: 'checkout.session', metadata: { invoiceId } });
    expect((await store().get('invoices', invoiceId))?.linkExpired).toBe(true);
    const res = await open(link);
    expect(res.headers.get('location')).toBe(sessionUrl('cs_relay_2'));
    expect(reads('cs_relay_1')).toHaveLength(0);
    expect((await store().get('invoices', invoiceId))).toMatchObject({ linkExpired: false, providerRef: 'cs_relay_2' });
  });

  it('a session Stripe does not know (other keys) counts as expired; Stripe unreachable is a 502 page and no renewal', async () => {
    await withStripe();
    const { invoiceId, link } = await sentInvoice();
    sessionStatus.delete('cs_relay_1');
    const res = await open(link);
    expect(res.headers.get('location')).toBe(sessionUrl('cs_relay_2'));
    expect((await store().get('invoices', invoiceId))?.providerRef).toBe('cs_relay_2');
    api.reply((_q, r) => sendJson(r, 500, { error: { message: 'Stripe is down', type: 'api_error' } }));
    const down = await open(link);
    expect(down.status).toBe(502);
    expect(await down.text()).toContain('The payment page could not be reached');
    expect((await store().get('invoices', invoiceId))).toMatchObject({ providerRef: 'cs_relay_2', linkExpired: false });
  });

  it('two opens at once make one new session, and both go to it', async () => {
    await withStripe();
    const { link } = await sentInvoice();
    sessionStatus.set('cs_relay_1', 'expired');
    let release = () => undefined as void;
    holdCreate = new Promise<void>((r) => (release = r));
    const both = Promise.all([open(link), open(link)]);
    // Stripe answers the new session only once both opens have found the old one expired
    await until(() => (reads('cs_relay_1').length === 2 ? true : undefined), 'both opens reading the session');
    release();
    const [a, b] = await both;
    expect([a.status, b.status]).toEqual([303, 303]);
    expect(a.headers.get('location')).toBe(sessionUrl('cs_relay_2'));
    expect(b.headers.get('location')).toBe(sessionUrl('cs_relay_2'));
    expect(creates()).toHaveLength(2); // the first link and one renewal
  });

  it('a link opened many times while Stripe keeps saying expired makes at most one new session a minute', async () => {
    await withStripe();
    const { link } = await sentInvoice();
    sessionStatus.set('cs_relay_1', 'expired');
    const first = await open(link);
    expect(first.headers.get('location')).toBe(sessionUrl('cs_relay_2'));
    sessionStatus.set('cs_relay_2', 'expired');
    const rest = await Promise.all(Array.from({ length: 20 }, () => open(link)));
    expect(creates()).toHaveLength(2);
    for (const r of rest) {
      expect(r.status).toBe(503);
      expect(r.headers.get('retry-after')).toBe('30');
      expect(await r.text()).toContain('Your payment page is being prepared');
    }
  });

  it('a paid invoice shows "This invoice is paid"; a voided one "This invoice was cancelled"; neither reaches Stripe', async () => {
    await withStripe();
    const paid = await sentInvoice();
    await stripeEvent('evt_p', 'checkout.session.completed', { id: 'cs_relay_1', object: 'checkout.session', payment_status: 'paid', metadata: { invoiceId: paid.invoiceId } });
    const p = await open(paid.link);
    expect(p.status).toBe(200);
    expect(p.headers.get('content-security-policy')).toContain("default-src 'none'");
    const paidPage = await p.text();
    expect(paidPage).toContain('This invoice is paid');
    expect(paidPage).not.toContain('<script');

    const voided = await sentInvoice();
    await org.relay.services.engine.runAs({ userId: org.alice.id, role: 'agent' }, 'voidInvoice', { invoiceId: voided.invoiceId });
    const v = await open(voided.link);
    expect(v.status).toBe(410);
    expect(await v.text()).toContain('This invoice was cancelled');
    expect(api.requests.filter((q) => q.method === 'GET')).toHaveLength(0);
    expect(creates()).toHaveLength(2);
  });

  it('an unknown or altered token is a 404 page', async () => {
    await withStripe();
    const { link } = await sentInvoice();
    for (const bad of [`${org.relay.httpUrl}/pay/l/nonsense`, `${link.slice(0, -1)}${link.endsWith('A') ? 'B' : 'A'}`, link.replace('/l/i.', '/l/c.'), `${org.relay.httpUrl}/pay/l/i.${uuidv7()}.AAAAAAAAAAAAAAAAAAAAAA`]) {
      const res = await open(bad);
      expect(res.status).toBe(404);
      expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(await res.text()).toContain('Payment link not found');
    }
    expect(api.requests.filter((q) => q.method === 'GET')).toHaveLength(0);
  });

  it('with manual payments (no Stripe) the link is the manual page, and a relay link goes to it', async () => {
    const { invoiceId, link } = await sentInvoice();
    expect(link).toBe(`${org.relay.httpUrl}/pay/invoice/${invoiceId}`);
    const token = await payLinkToken(org.relay.services.engine.meta, 'invoice', invoiceId);
    const res = await open(`${org.relay.httpUrl}/pay/l/${token}`);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`/pay/invoice/${invoiceId}`);
    expect((await fetch(link)).status).toBe(200);
    expect(api.requests).toHaveLength(0);
  });
});
