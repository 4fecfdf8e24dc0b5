// The manual payment provider's page (used when no Stripe account is set up): it shows what is
// due and the group's payment instructions, and changes nothing. Only an admin marking the
// invoice paid in the app (or, in a demo, the admin-only simulator below) changes its status.
import { formatDueDate, formatMoney } from '../../shared/domain/payments';
import { httpApi } from '../../shared/http';
import type { Services } from '../services';
import { SYSTEM_ACTOR } from '../sync/engine';
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

async function render(svc: Services, d: Due): Promise<string> {
  const group = d.groupId ? await svc.store.rows.get('groups', d.groupId) : undefined;
  const rows = d.lines.map((l) => `<tr><td>${esc(l.text)}</td><td class="n">${esc(l.amount)}</td></tr>`).join('');
  const table = `<table>${rows}<tr class="total"><td>Total${d.due ? ` · due ${esc(d.due)}` : ''}</td><td class="n">${esc(d.total)}</td></tr></table>`;
  // in the business's name: the organisation, and the team that asks
  const org = await svc.engine.meta.get('orgName');
  const business = [org, group?.name].filter(Boolean).join(' · ') || undefined;
  if (d.paid) return paymentPage(d.title, '&#10003;', '', `${table}<p>Paid — thank you.</p>`, business);
  const instructions = group?.paymentInstructions.trim();
  const how = instructions
    ? `<h2>How to pay</h2><div class="how">${esc(instructions)}</div>`
    : `<p>${esc(group?.name ?? 'The business')} will tell you how to pay. Reply to their message if you have a question.</p>`;
  return paymentPage(d.title, '&#163;', 'neutral', `${table}${how}<p><small>This page only shows what is due: your payment is confirmed by ${esc(group?.name ?? 'the business')} once received.</small></p>`, business);
}

const PAY_PATH = '/pay/:kind(^(?:invoice|checkout)$)/:id';

export function payRoutes(router: Router, svc: Services): void {
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
