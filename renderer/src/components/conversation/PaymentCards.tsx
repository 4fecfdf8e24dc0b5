// Invoice and checkout cards in the timeline: amount, status pill, link, Mark paid.
import clsx from 'clsx';
import { CreditCard, ExternalLink, FileText, Clock } from 'lucide-react';
import type { Pending } from '../../../../shared/bridge';
import type { Checkout, Invoice } from '../../../../shared/schema';
import { money, exactTime, cardDate, cardTime } from '../../lib/format';
import { mutate, newId } from '../../lib/mutate';

const invoicePill: Record<Invoice['status'], [string, string]> = {
  draft: ['Draft', ''],
  sent: ['Unpaid', 'warning'],
  paid: ['Paid', 'success'],
  void: ['Void', ''],
};
const checkoutPill: Record<Checkout['status'], [string, string]> = {
  open: ['Awaiting payment', 'warning'],
  paid: ['Paid', 'success'],
  expired: ['Expired', ''],
};

export function InvoiceCard({ invoice: i, canMarkPaid }: { invoice: Pending<Invoice>; canMarkPaid: boolean }) {
  const [label, tone] =
    i.status === 'void' && i.refundedAmount > 0 ? ['Refunded', ''] : i.status === 'sent' && i.linkExpired ? ['Link expired', 'warning'] : invoicePill[i.status];
  const partlyRefunded = i.status === 'paid' && i.refundedAmount > 0;
  return (
    <article className={clsx('pay-card', i.pending && 'pending')} aria-label={`Invoice ${i.number}, ${money(i.total, i.currency)}, ${label}`}>
      <div className="row">
        <FileText size={16} className="muted" aria-hidden="true" />
        <strong className="grow">Invoice {i.number}</strong>
        {i.pending && <Clock size={12} aria-label="Waiting to sync" />}
        <span className={clsx('pill', tone)}>{label}</span>
      </div>
      <div className="pay-amount">{money(i.total, i.currency)}</div>
      {partlyRefunded && (
        <div className="small pay-refund" role="note">
          {money(i.refundedAmount, i.currency)} refunded · {money(i.total - i.refundedAmount, i.currency)} kept
        </div>
      )}
      {i.status === 'sent' && i.linkExpired && (
        <div className="small pay-refund" role="note">
          The payment link expired before it was paid. Send a new link so the contact can pay.
        </div>
      )}
      <ul className="pay-lines small muted">
        {i.lineItems.map((l, n) => (
          <li key={n}>
            {l.quantity} × {l.description} — {money(l.unitAmount * l.quantity, i.currency)}
          </li>
        ))}
      </ul>
      <div className="row xs muted">
        <span className="grow">
          Due {cardDate(i.dueDate)}
          {i.paidAt && (
            <>
              {' · paid '}
              <time dateTime={new Date(i.paidAt).toISOString()} title={exactTime(i.paidAt)}>
                {cardTime(i.paidAt)}
              </time>
            </>
          )}
        </span>
        {i.paymentUrl && (
          <a href={i.paymentUrl} target="_blank" rel="noopener noreferrer" className="row">
            Payment link <ExternalLink size={12} aria-hidden="true" />
          </a>
        )}
      </div>
      {(i.status === 'draft' || (i.status === 'sent' && (canMarkPaid || i.linkExpired))) && (
        <div className="row pay-actions">
          {i.status === 'sent' && i.linkExpired && (
            <button type="button" className="btn sm primary" onClick={() => void mutate('renewPaymentLink', { invoiceId: i.id, messageId: newId() })}>
              Send a new link
            </button>
          )}
          {i.status === 'draft' && (
            <button type="button" className="btn sm primary" onClick={() => void mutate('sendInvoice', { invoiceId: i.id, messageId: newId() })}>
              Send invoice
            </button>
          )}
          {i.status === 'sent' && canMarkPaid && (
            <button type="button" className="btn sm" onClick={() => void mutate('markInvoicePaid', { invoiceId: i.id })}>
              Mark paid
            </button>
          )}
          {canMarkPaid && (i.status === 'draft' || i.status === 'sent') && (
            <button type="button" className="btn sm ghost" onClick={() => void mutate('voidInvoice', { invoiceId: i.id })} aria-label={`Void invoice ${i.number}`}>
              Void
            </button>
          )}
        </div>
      )}
    </article>
  );
}

export function CheckoutCard({ checkout: c, canMarkPaid }: { checkout: Pending<Checkout>; canMarkPaid: boolean }) {
  const [label, tone] = checkoutPill[c.status];
  return (
    <article className={clsx('pay-card', c.pending && 'pending')} aria-label={`Checkout ${c.description}, ${money(c.amount, c.currency)}, ${label}`}>
      <div className="row">
        <CreditCard size={16} className="muted" aria-hidden="true" />
        <strong className="grow ellipsis">{c.description}</strong>
        {c.pending && <Clock size={12} aria-label="Waiting to sync" />}
        <span className={clsx('pill', tone)}>{label}</span>
      </div>
      <div className="pay-amount">{money(c.amount, c.currency)}</div>
      <div className="row xs muted">
        <span className="grow">Checkout link</span>
        {c.paymentUrl && (
          <a href={c.paymentUrl} target="_blank" rel="noopener noreferrer" className="row">
            Open link <ExternalLink size={12} aria-hidden="true" />
          </a>
        )}
      </div>
      {c.status === 'open' && canMarkPaid && (
        <div className="row pay-actions">
          <button type="button" className="btn sm" onClick={() => void mutate('markCheckoutPaid', { checkoutId: c.id })}>
            Mark paid
          </button>
        </div>
      )}
    </article>
  );
}
