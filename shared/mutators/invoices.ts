// Invoices and checkouts: drafts, the message carrying the payment link, and
// payment statuses from the provider or an admin.
import { ensure, ensureNew, mustGet, requireActor } from '../domain/actor';
import { recordActivity } from '../domain/activity';
import { previewOf } from '../domain/conversations';
import { checkOutbound, lastWhatsAppInbound, noProviderReason, postOutbound, whatsappWindowOpen } from '../domain/outbound';
import { checkoutSummary, invoiceNumber, invoiceSummary, paymentTemplate, paymentTemplateValues, PENDING_LINK } from '../domain/payments';
import { fillTemplate } from '../domain/templates';
import { canExpireCheckout, canMarkPaid, canVoidInvoice, type Actor } from '../permissions';
import type { Conversation } from '../schema';
import { splitSms } from '../sms';
import type { MutatorContext, Tx } from '../tx';
import { args } from './args';
import { rowInVisibleConversation, visibleConversation } from './conversations';
import { defineMutator } from './define';

/**
 * Posts the payment-link message on the conversation's channel. With no link yet the
 * message waits (queued, no sendMessage) for the relay's payment-link effect; then
 * setPaymentLink fills the link in and sends it.
 */
function postPaymentMessage(
  tx: Tx,
  ctx: MutatorContext,
  actor: Actor,
  conv: Conversation,
  f: { messageId: string; summary: string; url: string | null; paymentRef: string },
): void {
  // An archived conversation must not hold an unpaid invoice, and replies would land elsewhere.
  ensure(conv.status === 'open', 'invalid', 'This conversation is archived. Unarchive it before sending a payment link.');
  const contact = mustGet(tx, 'contacts', conv.contactId, 'contact');
  const group = mustGet(tx, 'groups', conv.groupId, 'group');
  const base = { id: f.messageId, authorId: actor.id, paymentRef: f.paymentRef, emit: f.url !== null };
  const lastInboundAt = lastWhatsAppInbound(tx, contact.id, group.id);
  if (conv.channel === 'whatsapp' && !whatsappWindowOpen(lastInboundAt, ctx.now)) {
    // Outside the 24-hour window a link goes only as the group's approved payment template.
    const noProvider = noProviderReason(group, 'whatsapp');
    ensure(!noProvider, 'invalid', noProvider ?? '');
    const t = paymentTemplate(group.templates);
    ensure(
      t,
      'whatsapp_window_closed',
      `More than 24 hours have passed since ${contact.name} last wrote on WhatsApp, and ${group.name} has no approved template for payment links. Send the link by SMS, or ask an admin to mark a template "for payment links" in Channels and payments.`,
    );
    const body = fillTemplate(t.body, paymentTemplateValues(f.summary, f.url));
    postOutbound(tx, ctx, conv, { ...base, channel: 'whatsapp', body, attachments: [], location: null, templateName: t.name, segments: 1 });
    return;
  }
  const draft = checkOutbound(
    ctx,
    { channel: conv.channel, body: `${f.summary}. Pay here: ${f.url ?? PENDING_LINK}`, attachments: [], location: null, templateName: null },
    { contact, group, lastInboundAt },
  );
  postOutbound(tx, ctx, conv, { ...draft, ...base });
}

function sendDraftInvoice(tx: Tx, ctx: MutatorContext, actor: Actor, invoiceId: string, messageId: string): void {
  const inv = rowInVisibleConversation(tx, actor, 'invoices', invoiceId, 'invoice');
  const conv = visibleConversation(tx, actor, inv.conversationId);
  ensure(inv.status === 'draft', 'invalid', `Invoice ${inv.number} has already been ${inv.status === 'void' ? 'voided' : 'sent'}.`);
  tx.put('invoices', { ...inv, status: 'sent' });
  postPaymentMessage(tx, ctx, actor, conv, { messageId, summary: invoiceSummary(inv), url: inv.paymentUrl, paymentRef: `invoice:${inv.id}` });
  recordActivity(tx, ctx, conv.id, 'invoiceSent', { invoiceId: inv.id });
  if (inv.paymentUrl === null) ctx.effect({ kind: 'paymentLink', invoiceId: inv.id });
}

/** Fills the link into payment messages still waiting for it (plain or template), and sends them. */
function releaseWaitingMessages(tx: Tx, ctx: MutatorContext, paymentRef: string, url: string): void {
  for (const m of tx.find('messages', { paymentRef, status: 'queued' })) {
    if (!m.body.includes(PENDING_LINK)) continue; // already has its link (and was sent)
    const body = m.body.replace(PENDING_LINK, () => url);
    tx.put('messages', { ...m, body, segments: m.channel === 'sms' ? Math.max(1, splitSms(body).parts.length) : 1 });
    // the list's preview showed this message waiting for its link: it shows the link now
    const conv = tx.get('conversations', m.conversationId);
    if (conv && conv.lastPreview === previewOf(m)) tx.put('conversations', { ...conv, lastPreview: previewOf({ ...m, body }) });
    ctx.effect({ kind: 'sendMessage', messageId: m.id });
  }
}

export const invoiceMutators = {
  createInvoice: defineMutator({
    args: args.createInvoice,
    run(tx, ctx, a) {
      const actor = requireActor(tx, ctx);
      visibleConversation(tx, actor, a.conversationId);
      ensureNew(tx, 'invoices', a.id, 'invoice');
      ensure(!a.send || a.messageId, 'invalid', 'Sending an invoice needs a message id.');
      // Sequence on this side; the relay's number wins when the poke arrives.
      const number = invoiceNumber(tx.find('invoices', {}).length + 1);
      const total = a.lineItems.reduce((s, li) => s + li.quantity * li.unitAmount, 0);
      tx.put('invoices', {
        id: a.id, conversationId: a.conversationId, number, currency: a.currency, lineItems: a.lineItems, total, dueDate: a.dueDate,
        status: 'draft', paymentUrl: null, providerRef: null, createdBy: actor.id, createdAt: ctx.now, paidAt: null, refundedAmount: 0, linkExpired: false, version: 0,
      });
      if (a.send && a.messageId) sendDraftInvoice(tx, ctx, actor, a.id, a.messageId);
    },
  }),
  sendInvoice: defineMutator({
    args: args.sendInvoice,
    run(tx, ctx, a) {
      sendDraftInvoice(tx, ctx, requireActor(tx, ctx), a.invoiceId, a.messageId);
    },
  }),
  renewPaymentLink: defineMutator({
    args: args.renewPaymentLink,
    run(tx, ctx, a) {
      const actor = requireActor(tx, ctx);
      const inv = mustGet(tx, 'invoices', a.invoiceId, 'invoice');
      const conv = visibleConversation(tx, actor, inv.conversationId);
      ensure(inv.status === 'sent', 'invalid', `Invoice ${inv.number} is ${inv.status === 'paid' ? 'already paid' : inv.status === 'void' ? 'void' : 'not sent yet'}: it needs no new link.`);
      ensure(inv.linkExpired, 'invalid', `The payment link of invoice ${inv.number} has not expired.`);
      // the old link stays in its message, shown as expired (it no longer matches the invoice's link)
      const fresh = { ...inv, paymentUrl: null, linkExpired: false };
      tx.put('invoices', fresh);
      postPaymentMessage(tx, ctx, actor, conv, { messageId: a.messageId, summary: invoiceSummary(fresh), url: null, paymentRef: `invoice:${inv.id}` });
      ctx.effect({ kind: 'paymentLink', invoiceId: inv.id });
    },
  }),
  markInvoicePaid: defineMutator({
    args: args.markInvoicePaid,
    run(tx, ctx, a) {
      const actor = requireActor(tx, ctx);
      ensure(canMarkPaid(actor), 'forbidden', 'Only admins can mark an invoice paid.');
      const inv = rowInVisibleConversation(tx, actor, 'invoices', a.invoiceId, 'invoice');
      ensure(inv.status === 'sent', 'invalid', `Only a sent invoice can be marked paid; ${inv.number} is ${inv.status}.`);
      tx.put('invoices', { ...inv, status: 'paid', paidAt: ctx.now });
      recordActivity(tx, ctx, inv.conversationId, 'invoicePaid', { invoiceId: inv.id });
    },
  }),
  voidInvoice: defineMutator({
    args: args.voidInvoice,
    run(tx, ctx, a) {
      const actor = requireActor(tx, ctx);
      const inv = rowInVisibleConversation(tx, actor, 'invoices', a.invoiceId, 'invoice');
      ensure(canVoidInvoice(actor, inv), 'forbidden', 'Only admins and the person who created it can void this invoice.');
      ensure(inv.status === 'draft' || inv.status === 'sent', 'invalid', `Invoice ${inv.number} is already ${inv.status}.`);
      tx.put('invoices', { ...inv, status: 'void' });
      recordActivity(tx, ctx, inv.conversationId, 'invoiceVoided', { invoiceId: inv.id });
    },
  }),
  createCheckout: defineMutator({
    args: args.createCheckout,
    run(tx, ctx, a) {
      const actor = requireActor(tx, ctx);
      const conv = visibleConversation(tx, actor, a.conversationId);
      ensureNew(tx, 'checkouts', a.id, 'checkout');
      const checkout = {
        id: a.id, conversationId: a.conversationId, description: a.description, amount: a.amount, currency: a.currency,
        status: 'open' as const, paymentUrl: null, providerRef: null, createdBy: actor.id, createdAt: ctx.now, paidAt: null, version: 0,
      };
      tx.put('checkouts', checkout);
      postPaymentMessage(tx, ctx, actor, conv, { messageId: a.messageId, summary: checkoutSummary(checkout), url: null, paymentRef: `checkout:${a.id}` });
      ctx.effect({ kind: 'checkoutLink', checkoutId: a.id });
    },
  }),
  markCheckoutPaid: defineMutator({
    args: args.markCheckoutPaid,
    run(tx, ctx, a) {
      const actor = requireActor(tx, ctx);
      ensure(canMarkPaid(actor), 'forbidden', 'Only admins can mark a checkout paid.');
      const c = rowInVisibleConversation(tx, actor, 'checkouts', a.checkoutId, 'checkout');
      ensure(c.status === 'open', 'invalid', `This checkout is already ${c.status}.`);
      tx.put('checkouts', { ...c, status: 'paid', paidAt: ctx.now });
    },
  }),
  expireCheckout: defineMutator({
    args: args.expireCheckout,
    run(tx, ctx, a) {
      const actor = requireActor(tx, ctx);
      const c = rowInVisibleConversation(tx, actor, 'checkouts', a.checkoutId, 'checkout');
      ensure(canExpireCheckout(actor, c), 'forbidden', 'Only admins and the person who created it can expire this checkout.');
      ensure(c.status === 'open', 'invalid', `This checkout is already ${c.status}.`);
      tx.put('checkouts', { ...c, status: 'expired' });
    },
  }),

  /**
   * From the payment provider. Invoice: paid (from draft/sent) → paid; refunded → void
   * (the money went back, nothing is owed); expired → no change (the invoice stays
   * owed; a new link can be made). Checkout: paid → paid; expired or refunded → expired.
   * Unknown ids are ignored: providers send callbacks for things since deleted.
   */
  setPaymentStatus: defineMutator({
    args: args.setPaymentStatus,
    system: true,
    run(tx, ctx, a) {
      ensure(!a.invoiceId !== !a.checkoutId, 'invalid', 'Name exactly one invoice or checkout.');
      if (a.invoiceId) {
        const inv = tx.get('invoices', a.invoiceId);
        if (!inv) return;
        const paymentUrl = a.paymentUrl ?? inv.paymentUrl;
        if (a.status === 'paid' && (inv.status === 'sent' || inv.status === 'draft')) {
          tx.put('invoices', { ...inv, paymentUrl, status: 'paid', paidAt: ctx.now, linkExpired: false });
          recordActivity(tx, ctx, inv.conversationId, 'invoicePaid', { invoiceId: inv.id, auto: true });
        } else if (a.status === 'refunded' && inv.status !== 'void') {
          // a full refund voids the invoice (nothing is owed); a partial one keeps it paid, recording how much went back
          const full = a.fullRefund ?? true;
          const refundedAmount = a.refundedAmount ?? (full ? inv.total : inv.refundedAmount);
          tx.put('invoices', { ...inv, paymentUrl, status: full ? 'void' : inv.status, refundedAmount: Math.max(inv.refundedAmount, refundedAmount) });
          if (full) recordActivity(tx, ctx, inv.conversationId, 'invoiceVoided', { invoiceId: inv.id, auto: true });
        } else if (a.status === 'expired' && inv.status === 'sent' && (!a.providerRef || a.providerRef === inv.providerRef)) {
          // the current link expired unpaid: the invoice stays owed, "Send a new link" offers a fresh one
          tx.put('invoices', { ...inv, paymentUrl, linkExpired: true });
        } else if (paymentUrl !== inv.paymentUrl) tx.put('invoices', { ...inv, paymentUrl });
        return;
      }
      const c = tx.get('checkouts', a.checkoutId ?? '');
      if (!c) return;
      if (a.status === 'paid' && c.status === 'open') tx.put('checkouts', { ...c, status: 'paid', paidAt: ctx.now });
      else if (a.status === 'expired' && c.status === 'open') tx.put('checkouts', { ...c, status: 'expired' });
      else if (a.status === 'refunded' && c.status !== 'expired') tx.put('checkouts', { ...c, status: 'expired' });
    },
  }),
  setPaymentLink: defineMutator({
    args: args.setPaymentLink,
    system: true,
    run(tx, ctx, a) {
      ensure(!a.invoiceId !== !a.checkoutId, 'invalid', 'Name exactly one invoice or checkout.');
      if (a.invoiceId) {
        const inv = tx.get('invoices', a.invoiceId);
        if (!inv) return;
        // a new link is a live one (the relay renews an expired session when the contact opens it)
        const next = { ...inv, paymentUrl: a.paymentUrl, providerRef: a.providerRef ?? inv.providerRef, linkExpired: false };
        tx.put('invoices', next);
        releaseWaitingMessages(tx, ctx, `invoice:${inv.id}`, a.paymentUrl);
        return;
      }
      const c = tx.get('checkouts', a.checkoutId ?? '');
      if (!c) return;
      tx.put('checkouts', { ...c, paymentUrl: a.paymentUrl, providerRef: a.providerRef ?? c.providerRef });
      releaseWaitingMessages(tx, ctx, `checkout:${c.id}`, a.paymentUrl);
    },
  }),
};
