// Where a payment provider sends the customer back (Stripe's default success_url is
// `${publicUrl}/payments/thanks`): small static pages, no script, a strict CSP.
import { createHash } from 'node:crypto';
import type { Router } from './router';

const STYLE = `
:root { color-scheme: light dark; --bg: #f6f7f9; --card: #fff; --fg: #1d2129; --muted: #5b6472; --accent: #1f7a4d; }
@media (prefers-color-scheme: dark) { :root { --bg: #15171b; --card: #1e2127; --fg: #e8eaee; --muted: #9aa3b0; --accent: #4cc38a; } }
* { box-sizing: border-box; }
body { margin: 0; min-height: 100vh; display: grid; place-items: center; background: var(--bg); color: var(--fg);
  font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; padding: 24px; }
main { background: var(--card); border-radius: 12px; padding: 40px 32px; max-width: 420px; width: 100%; text-align: center;
  box-shadow: 0 1px 3px rgb(0 0 0 / 0.08), 0 8px 24px rgb(0 0 0 / 0.06); }
.mark { width: 56px; height: 56px; border-radius: 50%; margin: 0 auto 16px; display: grid; place-items: center;
  font-size: 28px; color: #fff; background: var(--accent); }
.mark.neutral { background: var(--muted); }
h1 { font-size: 1.35rem; margin: 0 0 8px; }
p { margin: 0; color: var(--muted); }
table { width: 100%; border-collapse: collapse; margin: 16px 0; text-align: left; font-size: 0.95rem; }
td { padding: 6px 0; border-bottom: 1px solid rgb(127 127 127 / 0.2); }
td.n { text-align: right; white-space: nowrap; }
tr.total td { font-weight: 600; border-bottom: 0; }
.how { text-align: left; white-space: pre-wrap; background: var(--bg); border-radius: 8px; padding: 12px 14px; margin-top: 8px; color: var(--fg); }
h2 { font-size: 1rem; margin: 20px 0 4px; text-align: left; }
.biz { display: flex; align-items: center; justify-content: center; gap: 10px; margin: 0 0 16px; font-weight: 600; font-size: 1.05rem; }
.biz-mark { width: 32px; height: 32px; border-radius: 8px; display: grid; place-items: center; background: var(--fg); color: var(--card); font-size: 0.95rem; }
body { align-content: center; }
@media (max-width: 480px) { body { padding: 16px; place-items: start center; } main { padding: 28px 20px; } }
`;

/** The CSP allows exactly this stylesheet and nothing else (no scripts, images, forms, frames). */
const STYLE_HASH = createHash('sha256').update(STYLE).digest('base64');
export const PAYMENT_PAGE_CSP = `default-src 'none'; style-src 'sha256-${STYLE_HASH}'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`;

export const PAYMENT_PAGE_HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'content-security-policy': PAYMENT_PAGE_CSP,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
} as const;

export const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * A page in the payment pages' style; `html` is trusted markup (escape what you put in it).
 * `business`: whose page it is (the organisation, and the team), shown above the card and in
 * the tab's title, so the customer sees who asks to be paid.
 */
export function paymentPage(title: string, mark: string, markClass: string, html: string, business?: string): string {
  return page(escapeHtml(title), mark, markClass, html, true, business ? escapeHtml(business) : undefined);
}

function page(title: string, mark: string, markClass: string, text: string, raw = false, business?: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${business ? `${title} — ${business}` : title}</title>
<style>${STYLE}</style>
</head>
<body>
${business ? `<header class="biz"><span class="biz-mark" aria-hidden="true">${business.replace(/&#\d+;/g, '').trim().charAt(0).toUpperCase()}</span><span>${business}</span></header>` : ''}
<main>
<div class="mark ${markClass}" aria-hidden="true">${mark}</div>
<h1>${title}</h1>
${raw ? text : `<p>${text}</p>`}
</main>
</body>
</html>
`;
}

const PAGES: Record<string, string> = {
  thanks: page('Thank you — your payment was received', '&#10003;', '', 'You can close this page and go back to your conversation.'),
  cancelled: page('Payment cancelled', '&#8630;', 'neutral', 'No payment was taken. You can close this page, or use the link in your message to try again.'),
};

export function paymentPages(router: Router): void {
  router.on('GET', '/payments/:page(^(?:thanks|cancelled)$)', ({ res, params }) => {
    const html = PAGES[params[0] as string] as string;
    void res.code(200).headers({ ...PAYMENT_PAGE_HEADERS, 'cache-control': 'public, max-age=3600' }).send(html);
  });
}
