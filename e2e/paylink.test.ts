// The contact's side of a Stripe payment link in a real Chromium: the relay's link leads to the
// checkout page, a fresh one when the session on file has expired; a paid invoice's link says so.
// "Stripe" is a local server speaking its API; its checkout pages are served by the same server.
import type { ServerResponse } from 'node:http';
import { chromium, type Browser, type Page } from 'playwright-core';
import { uuidv7 } from 'uuidv7';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendJson, startFakeApi, type FakeApi } from '../server/providers/test/helpers';
import { startTestRelay, type TestOrg } from '../server/testing';
import { CHROMIUM_ARGS, shotPath } from './harness';
import { expect as pw } from './pw';

let org: TestOrg;
let api: FakeApi;
let browser: Browser;
let page: Page;
const status = new Map<string, 'open' | 'expired' | 'complete'>();
let created = 0;

function fakeStripe(q: { method: string; url: URL }, res: ServerResponse): void {
  const checkoutUrl = (id: string) => `${api.url}/c/pay/${id}`;
  if (q.method === 'POST' && q.url.pathname === '/v1/checkout/sessions') {
    const id = `cs_e2e_${++created}`;
    status.set(id, 'open');
    return sendJson(res, 200, { id, object: 'checkout.session', status: 'open', url: checkoutUrl(id) });
  }
  const read = /^\/v1\/checkout\/sessions\/(\w+)$/.exec(q.url.pathname);
  if (read) return sendJson(res, 200, { id: read[1], object: 'checkout.session', status: status.get(read[1] as string) ?? 'expired', url: checkoutUrl(read[1] as string) });
  const checkout = /^\/c\/pay\/(\w+)$/.exec(q.url.pathname);
  if (checkout) {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(`<!doctype html><title>Stripe Checkout</title><h1>Checkout session ${checkout[1] as string}</h1>`);
    return;
  }
  sendJson(res, 404, { error: { message: 'not found', type: 'invalid_request_error' } });
}

beforeAll(async () => {
  org = await startTestRelay();
  api = await startFakeApi();
  api.reply(fakeStripe);
  const admin = (await org.login(org.admin.email)).accessToken;
  const res = await fetch(`${org.relay.httpUrl}/admin/providers`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
    body: JSON.stringify({ kind: 'stripe', public: { apiHost: '127.0.0.1', apiPort: api.port, apiProtocol: 'http' }, secrets: { secretKey: 'sk_test_e2e', webhookSecret: 'whsec_e2e' } }),
  });
  expect(res.status).toBe(200);
  browser = await chromium.launch({ executablePath: process.env.PARLEY_CHROMIUM ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
  page = await browser.newPage({ viewport: { width: 390, height: 720 } });
});
afterAll(async () => {
  await browser?.close();
  await api?.close();
  await org?.relay.close();
});

async function sentInvoice(): Promise<{ invoiceId: string; link: string }> {
  const store = org.relay.services.engine.store;
  await org.relay.simulator.inbound({ groupId: org.groups.sales.id, from: '+14155552671', body: 'Can I pay by card?' });
  const conv = (await store.rows.find('conversations', { groupId: org.groups.sales.id }))[0];
  const invoiceId = uuidv7();
  const commit = new Promise<string>((resolve) =>
    org.relay.services.engine.onCommit(() => {
      void store.rows.get('invoices', invoiceId).then((inv) => {
        if (inv?.paymentUrl) resolve(inv.paymentUrl);
      });
    }),
  );
  await org.relay.services.engine.runAs({ userId: org.alice.id, role: 'agent' }, 'createInvoice', {
    id: invoiceId, conversationId: conv?.id, currency: 'GBP', lineItems: [{ description: 'Boiler service', quantity: 1, unitAmount: 8500 }], dueDate: '2030-01-31', send: true, messageId: uuidv7(),
  });
  return { invoiceId, link: await commit };
}

describe('the contact opens a payment link', () => {
  it('an expired session: the link opens a fresh checkout page; a paid invoice: "This invoice is paid"', async () => {
    const { invoiceId, link } = await sentInvoice();
    expect(link).toContain('/pay/l/');
    status.set('cs_e2e_1', 'expired');
    await page.goto(link);
    await pw(page.getByRole('heading', { name: 'Checkout session cs_e2e_2' })).toBeVisible();
    expect(await org.relay.services.engine.store.rows.get('invoices', invoiceId)).toMatchObject({ providerRef: 'cs_e2e_2', linkExpired: false });

    await org.relay.services.engine.runAs({ userId: 'system', role: 'admin' }, 'setPaymentStatus', { invoiceId, status: 'paid' });
    await page.goto(link);
    await pw(page.getByRole('heading', { name: 'This invoice is paid' })).toBeVisible();
    await page.screenshot({ path: shotPath('paylink-paid.png') });
  });
});
