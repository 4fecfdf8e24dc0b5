// The pages a payment provider sends the customer back to (Stripe's default success_url).
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRelay, type TestOrg } from '../testing';

let org: TestOrg;
beforeAll(async () => {
  org = await startTestRelay();
});
afterAll(async () => {
  await org.relay.close();
});

describe('payment return pages', () => {
  it('serves a styled thank-you page at /payments/thanks with a strict CSP', async () => {
    const res = await fetch(`${org.relay.httpUrl}/payments/thanks?session_id=cs_test_123`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toMatch(/style-src 'sha256-[A-Za-z0-9+/]+=*'/);
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).toContain("frame-ancestors 'none'");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    const html = await res.text();
    expect(html).toContain('Thank you — your payment was received');
    expect(html).not.toContain('<script');
    // the CSP hash is of the page's own stylesheet, so the style actually applies
    const style = /<style>([\s\S]*?)<\/style>/.exec(html)?.[1] ?? '';
    expect(csp).toContain(`'sha256-${createHash('sha256').update(style).digest('base64')}'`);
  });

  it('serves /payments/cancelled, and nothing else under /payments', async () => {
    const res = await fetch(`${org.relay.httpUrl}/payments/cancelled`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(await res.text()).toContain('Payment cancelled');
    expect((await fetch(`${org.relay.httpUrl}/payments/other`)).status).toBe(404);
    expect((await fetch(`${org.relay.httpUrl}/payments/thanks`, { method: 'POST' })).status).toBe(405);
  });
});
