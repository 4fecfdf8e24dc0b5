// Where providers report back (inbound messages, delivery statuses, payments): each
// report becomes a system mutation. Refusals are logged, never thrown at the provider.
import type { Engine } from './sync/engine';
import { SYSTEM_ACTOR } from './sync/engine';
import type { PaymentSink, ProviderSink } from './providers/types';
import { SmsPartTracker } from './effects/smsParts';

export function createSink(engine: Engine, log: (m: string, e?: unknown) => void): ProviderSink & PaymentSink {
  const run = async (name: string, args: unknown) => {
    try {
      await engine.runAs(SYSTEM_ACTOR, name, args);
    } catch (e) {
      log(`relay: ${name} refused`, e);
    }
  };
  const store = engine.store.rows;
  const smsParts = new SmsPartTracker(engine.store);
  return {
    inbound: (m) => run('receiveInbound', m),
    async status(u) {
      const messageId = u.messageId ?? (u.providerMessageId ? (await store.find('messages', { providerMessageId: u.providerMessageId }))[0]?.id : undefined);
      if (!messageId) return log(`relay: status for unknown message ${u.providerMessageId ?? ''}`);
      // one callback per part of a multi-part SMS: the message's status is all parts' together
      const c = await smsParts.combine({ messageId, status: u.status, failureReason: u.failureReason ?? null, ...(u.providerMessageId ? { providerMessageId: u.providerMessageId } : {}) });
      await run('updateDeliveryStatus', { ...c, failureReason: c.failureReason ?? null });
    },
    async payment(p) {
      let { invoiceId, checkoutId } = p;
      if (!invoiceId && !checkoutId && p.providerRef) {
        invoiceId = (await store.find('invoices', { providerRef: p.providerRef }))[0]?.id;
        if (!invoiceId) checkoutId = (await store.find('checkouts', { providerRef: p.providerRef }))[0]?.id;
      }
      if (!invoiceId && !checkoutId) return log(`relay: payment for unknown reference ${p.providerRef ?? ''}`);
      await run('setPaymentStatus', {
        ...(invoiceId ? { invoiceId } : { checkoutId }),
        status: p.status,
        ...(p.providerRef ? { providerRef: p.providerRef } : {}),
        ...(p.refundedAmount !== undefined ? { refundedAmount: p.refundedAmount, fullRefund: p.fullRefund ?? true } : {}),
      });
    },
  };
}
