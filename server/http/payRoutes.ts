// The manual payment provider's page (used when no Stripe account is set up): it shows what is
// due and the group's payment instructions, and changes nothing. Only an admin marking the
// invoice paid in the app (or, in a demo, the admin-only simulator below) changes its status.
// And the relay's payment link (`/pay/l/<token>`, payLinks.ts): the contact's way to Stripe's
// page, making a new Checkout Session when the one on file has expired.
import { formatDueDate, formatMoney } from '../../shared/domain/payments';
import { httpApi } from '../../shared/http';
import { StripePayments } from '../providers/stripe/payments';
import type { Services } from '../services';
import { SYSTEM_ACTOR } from '../sync/engine';
import { parsePayLinkToken, payLinkUrl, RenewalGate, type PayKind } from './payLinks';
import { escapeHtml as esc, PAYMENT_PAGE_HEADERS, paymentPage } from './paymentPages';
import { HttpError, sendJson, type Router } from './router';

interface Due {
  title: string;
  lines: { text: string; amount: string }[];
  total: string;
  due: string | null;
  paid: boolean;
  groupId: string | null;
}

async function describe(svc: Services, kind: string, id: string): Promise<Due> {
  const store = svc.store.rows;
  const groupOf = async (conversationId: string) => (await store.get('conversations', conversationId))?.groupId ?? null;
  if (kind === 'invoice') {
    const inv = await store.get('invoices', id);
    if (inv && inv.status !== 'draft' && inv.status !== 'void') {
      return {
        title: `Invoice ${inv.number}`,
        lines: inv.lineItems.map((l) => ({ text: `${l.quantity} × ${l.description}`, amount: formatMoney(l.quantity * l.unitAmount, inv.currency) })),
        total: formatMoney(inv.total, inv.currency),
        due: formatDueDate(inv.dueDate),
        paid: inv.status === 'paid',
        groupId: await groupOf(inv.conversationId),
      };
    }
  } else if (kind === 'checkout') {
    const c = await store.get('checkouts', id);
    if (c && c.status !== 'expired') {
      return { title: c.description, lines: [], total: formatMoney(c.amount, c.currency), due: null, paid: c.status === 'paid', groupId: await groupOf(c.conversationId) };
    }
  }
  throw new HttpError(404, 'not_found', 'no such payment');
}

/** In the business's name: the organisation, and the team that asks. */
async function businessOf(svc: Services, groupId: string | null): Promise<string | undefined> {
  const group = groupId ? await svc.store.rows.get('groups', groupId) : undefined;
  return [await svc.engine.meta.get('orgName'), group?.name].filter(Boolean).join(' · ') || undefined;
}

async function render(svc: Services, d: Due): Promise<string> {
  const group = d.groupId ? await svc.store.rows.get('groups', d.groupId) : undefined;
  const rows = d.lines.map((l) => `<tr><td>${esc(l.text)}</td><td class="n">${esc(l.amount)}</td></tr>`).join('');
  const table = `<table>${rows}<tr class="total"><td>Total${d.due ? ` · due ${esc(d.due)}` : ''}</td><td class="n">${esc(d.total)}</td></tr></table>`;
  const business = await businessOf(svc, d.groupId);
  if (d.paid) return paymentPage(d.title, '&#10003;', '', `${table}<p>Paid — thank you.</p>`, business);
  const instructions = group?.paymentInstructions.trim();
  const how = instructions
    ? `<h2>How to pay</h2><div class="how">${esc(instructions)}</div>`
    : `<p>${esc(group?.name ?? 'The business')} will tell you how to pay. Reply to their message if you have a question.</p>`;
  return paymentPage(d.title, '&#163;', 'neutral', `${table}${how}<p><small>This page only shows what is due: your payment is confirmed by ${esc(group?.name ?? 'the business')} once received.</small></p>`, business);
}

const PAY_PATH = '/pay/:kind(^(?:invoice|checkout)$)/:id';

type Opened = { redirect: string } | { status: number; page: string; retryAfter?: number };

const notFound = (): Opened => ({
  status: 404,
  page: paymentPage('Payment link not found', '?', 'neutral', '<p>This link is not valid. Check that it was copied whole, or reply to the message it came in.</p>'),
});

/**
 * What opening the relay's link does: Stripe's page while the session is open; a new session when
 * it has expired (invoices; checkouts end when their link expires); a page when nothing is owed.
 */
async function openLink(svc: Services, gate: RenewalGate<Opened>, kind: PayKind, id: string, again = true): Promise<Opened> {
  const store = svc.store.rows;
  const row = kind === 'invoice' ? await store.get('invoices', id) : await store.get('checkouts', id);
  if (!row || ('number' in row && row.status === 'draft')) return notFound();
  const groupId = (await store.get('conversations', row.conversationId))?.groupId ?? null;
  const group = groupId ? (await store.get('groups', groupId))?.name : undefined;
  const business = await businessOf(svc, groupId);
  const page = (status: number, title: string, mark: string, markClass: string, text: string, retryAfter?: number): Opened => ({
    status,
    page: paymentPage(title, mark, markClass, `<p>${esc(text)}</p>`, business),
    ...(retryAfter ? { retryAfter } : {}),
  });
  const ask = `Reply to ${group ?? 'the business'}'s message if you have a question.`;
  const what = 'number' in row ? `Invoice ${row.number}` : row.description;
  if (row.status === 'paid') return page(200, 'number' in row ? 'This invoice is paid' : 'This payment is complete', '&#10003;', '', `${what} has been paid — thank you. Nothing more is due.`);
  if (row.status === 'void') return page(410, 'This invoice was cancelled', '&#8630;', 'neutral', `${what} was cancelled: nothing is due. ${ask}`);
  if (row.status === 'expired') return page(410, 'This payment link has expired', '&#8630;', 'neutral', `${what} can no longer be paid with this link. Reply to ${group ?? 'the business'}'s message to ask for a new one.`);
  const payments = await svc.providers().payments();
  // the manual provider (no Stripe account): its page shows what is due and how to pay
  if (!(payments instanceof StripePayments)) return { redirect: `/pay/${kind}/${encodeURIComponent(id)}` };
  const preparing = () => page(503, 'Your payment page is being prepared', '&#8987;', 'neutral', 'Try again in a minute.', 30);
  if (!row.paymentUrl || !row.providerRef) return preparing();
  const ref = row.providerRef;
  if (!('linkExpired' in row && row.linkExpired)) {
    let session: Awaited<ReturnType<StripePayments['session']>>;
    try {
      session = await payments.session(ref);
    } catch (e) {
      svc.log(`relay: payment link: could not read checkout session ${ref}`, e);
      return page(502, 'The payment page could not be reached', '!', 'neutral', `Try again in a minute. ${ask}`, 60);
    }
    if (session.status === 'open' && session.url) return { redirect: session.url };
    if (session.status === 'complete') return page(200, 'Your payment was received', '&#10003;', '', `${what} is paid; ${group ?? 'the business'} will see it in a moment. Thank you.`);
  }
  // expired
  if (!('number' in row)) {
    await svc.engine.runAs(SYSTEM_ACTOR, 'setPaymentStatus', { checkoutId: id, status: 'expired', providerRef: ref });
    return page(410, 'This payment link has expired', '&#8630;', 'neutral', `${what} can no longer be paid with this link. Reply to ${group ?? 'the business'}'s message to ask for a new one.`);
  }
  const renewal = gate.run(id, () => renew(svc, payments, id));
  if (!renewal) {
    // renewed a moment ago (by another open): that session is the one to go to
    if (again && (await store.get('invoices', id))?.providerRef !== ref) return openLink(svc, gate, kind, id, false);
    return preparing();
  }
  try {
    return await renewal;
  } catch (e) {
    svc.log(`relay: payment link: renewing invoice ${id} failed`, e);
    return page(502, 'A new payment page could not be made', '!', 'neutral', `Try again in a minute. ${ask}`, 60);
  }
}

/**
 * A new Checkout Session for an invoice whose session expired, through the same system
 * mutations as the effect that makes links: the replica sees the old link expired, then the new one.
 */
async function renew(svc: Services, payments: StripePayments, id: string): Promise<Opened> {
  const store = svc.store.rows;
  const inv = await store.get('invoices', id);
  if (!inv || inv.status !== 'sent' || !inv.providerRef) return openLink(svc, new RenewalGate<Opened>(), 'invoice', id, false);
  const replaces = inv.providerRef;
  if (!inv.linkExpired) await svc.engine.runAs(SYSTEM_ACTOR, 'setPaymentStatus', { invoiceId: id, status: 'expired', providerRef: replaces });
  const link = await payments.createLink({ kind: 'invoice', id, description: `Invoice ${inv.number}`, currency: inv.currency, amount: inv.total, lineItems: inv.lineItems, replaces });
  const now = await store.get('invoices', id);
  // paid or voided while Stripe answered: the new session is not offered
  if (now?.status !== 'sent') return openLink(svc, new RenewalGate<Opened>(), 'invoice', id, false);
  await svc.engine.runAs(SYSTEM_ACTOR, 'setPaymentLink', { invoiceId: id, paymentUrl: await payLinkUrl(payments.publicUrl, svc.engine.meta, 'invoice', id), providerRef: link.providerRef });
  return { redirect: link.url };
}

export function payRoutes(router: Router, svc: Services): void {
  const gate = new RenewalGate<Opened>();
  router.on('GET', '/pay/l/:token', async ({ res, params }) => {
    const found = await parsePayLinkToken(svc.engine.meta, params[0] ?? '');
    const r = found ? await openLink(svc, gate, found.kind, found.id) : notFound();
    if ('redirect' in r) {
      void res.code(303).headers({ location: r.redirect, 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' }).send();
      return;
    }
    void res
      .code(r.status)
      .headers({ ...PAYMENT_PAGE_HEADERS, 'cache-control': 'no-store', ...(r.retryAfter ? { 'retry-after': String(r.retryAfter) } : {}) })
      .send(r.page);
  });
  router.on('GET', PAY_PATH, async ({ res, params }) => {
    const [kind, id] = params as [string, string];
    const page = await render(svc, await describe(svc, kind, id));
    void res.code(200).headers({ ...PAYMENT_PAGE_HEADERS, 'cache-control': 'no-store' }).send(page);
  });
  // Demo only: a payment as if the contact had paid, through the simulator. Admins only, and only
  // while payments are manual (with Stripe, payments come from Stripe's signed webhooks).
  router.route(httpApi.simulatePayment, { auth: 'admin' }, async ({ res, body: b }) => {
    if ((await svc.providers().payments()).kind !== 'manual') throw new HttpError(409, 'conflict', 'Payments go through Stripe: a payment cannot be simulated.');
    const kind = b.invoiceId ? 'invoice' : 'checkout';
    const d = await describe(svc, kind, b.invoiceId ?? b.checkoutId ?? '');
    if (d.paid) throw new HttpError(409, 'conflict', `${d.title} is already paid.`);
    if (kind === 'invoice' && (await svc.store.rows.get('invoices', b.invoiceId ?? ''))?.status !== 'sent') throw new HttpError(409, 'conflict', `${d.title} has not been sent.`);
    await svc.engine.runAs(SYSTEM_ACTOR, 'setPaymentStatus', { ...(b.invoiceId ? { invoiceId: b.invoiceId } : { checkoutId: b.checkoutId }), status: 'paid' });
    sendJson(res, 200, { ok: true, simulated: true });
  });
}
