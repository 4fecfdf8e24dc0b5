// The manual payment provider's page: GET shows what is due, POST marks it paid (demo).
import type { Services } from '../services';
import { SYSTEM_ACTOR } from '../sync/engine';
import { HttpError, type Router } from './router';

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function describe(svc: Services, kind: string, id: string): { title: string; amount: string; paid: boolean } {
  const money = (minor: number, cur: string) => `${cur} ${(minor / 100).toFixed(2)}`;
  if (kind === 'invoice') {
    const inv = svc.engine.store.get('invoices', id);
    if (inv && inv.status !== 'draft' && inv.status !== 'void') return { title: `Invoice ${inv.number}`, amount: money(inv.total, inv.currency), paid: inv.status === 'paid' };
  } else if (kind === 'checkout') {
    const c = svc.engine.store.get('checkouts', id);
    if (c && c.status !== 'expired') return { title: c.description, amount: money(c.amount, c.currency), paid: c.status === 'paid' };
  }
  throw new HttpError(404, 'not_found', 'no such payment');
}

const PAY_PATH = '/pay/:kind(^(?:invoice|checkout)$)/:id';

export function payRoutes(router: Router, svc: Services): void {
  router.on('GET', PAY_PATH, ({ res, params }) => {
    const [kind, id] = params as [string, string];
    const d = describe(svc, kind, id);
    const body = d.paid
      ? '<p>Paid — thank you.</p>'
      : `<form method="post"><button type="submit">Pay ${esc(d.amount)}</button></form><p><small>Simulated payment (manual provider).</small></p>`;
    void res.code(200).type('text/html; charset=utf-8').send(`<!doctype html><meta charset="utf-8"><title>${esc(d.title)}</title><h1>${esc(d.title)}</h1><p>${esc(d.amount)}</p>${body}`);
  });
  router.on('POST', PAY_PATH, ({ res, params }) => {
    const [kind, id] = params as [string, string];
    const d = describe(svc, kind, id);
    if (!d.paid) svc.engine.runAs(SYSTEM_ACTOR, 'setPaymentStatus', { ...(kind === 'invoice' ? { invoiceId: id } : { checkoutId: id }), status: 'paid' });
    void res.redirect(`/pay/${kind}/${encodeURIComponent(id)}`, 303);
  });
}
