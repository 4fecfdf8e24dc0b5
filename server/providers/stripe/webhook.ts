// /webhooks/stripe: events verified with stripe.webhooks.constructEvent, then
// checkout.session.completed → paid, checkout.session.expired → expired, charge.refunded → refunded.
import type Stripe from 'stripe';
import type { PaymentSink, WebhookHandler } from '../types';
import type { StripeConfig } from '../config';
import { forbidden, header, json, text, type WebhookDeps } from '../deps';

type Target = { invoiceId: string } | { checkoutId: string };

/** Our invoice/checkout from metadata, or from client_reference_id (`invoice-<id>` / `checkout-<id>`). */
function targetOf(metadata: Stripe.Metadata | null | undefined, clientReference?: string | null): Target | undefined {
  if (metadata?.invoiceId) return { invoiceId: metadata.invoiceId };
  if (metadata?.checkoutId) return { checkoutId: metadata.checkoutId };
  const m = /^(invoice|checkout)-(.+)$/.exec(clientReference ?? metadata?.parleyRef ?? '');
  if (!m?.[2]) return undefined;
  return m[1] === 'invoice' ? { invoiceId: m[2] } : { checkoutId: m[2] };
}

interface Update {
  target?: Target;
  providerRef?: string;
  status: 'paid' | 'expired' | 'refunded';
  /** refunds: minor units refunded so far, and whether that is the whole charge */
  refundedAmount?: number;
  fullRefund?: boolean;
}

function statusOf(event: Stripe.Event): Update | undefined {
  switch (event.type) {
    case 'checkout.session.completed':
    case 'checkout.session.async_payment_succeeded': {
      const s = event.data.object;
      // delayed methods (bank debits) complete unpaid; async_payment_succeeded follows
      if (s.payment_status === 'unpaid') return undefined;
      return { target: targetOf(s.metadata, s.client_reference_id), providerRef: s.id, status: 'paid' };
    }
    case 'checkout.session.expired': {
      const s = event.data.object;
      return { target: targetOf(s.metadata, s.client_reference_id), providerRef: s.id, status: 'expired' };
    }
    case 'charge.refunded': {
      const ch = event.data.object;
      // amount_refunded is cumulative; `refunded` is Stripe's own "fully refunded" flag
      const fullRefund = ch.refunded === true || (typeof ch.amount === 'number' && typeof ch.amount_refunded === 'number' && ch.amount_refunded >= ch.amount);
      return {
        target: targetOf(ch.metadata),
        status: 'refunded',
        ...(typeof ch.amount_refunded === 'number' ? { refundedAmount: ch.amount_refunded, fullRefund } : {}),
      };
    }
    default:
      return undefined;
  }
}

/** A charge without our metadata: find the Checkout Session that created its PaymentIntent. */
async function targetOfPaymentIntent(stripe: Stripe, pi: string | Stripe.PaymentIntent | null, deps: WebhookDeps): Promise<Target | undefined> {
  const id = typeof pi === 'string' ? pi : pi?.id;
  if (!id) return undefined;
  try {
    const sessions = await stripe.checkout.sessions.list({ payment_intent: id, limit: 1 });
    const s = sessions.data[0];
    return s ? targetOf(s.metadata, s.client_reference_id) : undefined;
  } catch (e) {
    deps.log?.(`stripe: looking up the session of ${id} failed: ${(e as Error).message}`);
    return undefined;
  }
}

export function stripeWebhookHandler(stripe: Stripe, cfg: StripeConfig, deps: WebhookDeps): WebhookHandler {
  return async (req, sink: PaymentSink) => {
    if (req.method !== 'POST') return text(405, 'POST only');
    const signature = header(req.headers, 'stripe-signature');
    if (!signature) return forbidden();
    let event: Stripe.Event;
    try {
      event = stripe.webhooks.constructEvent(req.rawBody, signature, cfg.webhookSecret);
    } catch {
      return forbidden();
    }
    const eventId = `stripe:${event.id}`;
    if (await deps.events.seen(eventId)) return json(200, { received: true, duplicate: true });
    const update = statusOf(event);
    if (update && !update.target && event.type === 'charge.refunded') update.target = await targetOfPaymentIntent(stripe, event.data.object.payment_intent, deps);
    if (update?.target) {
      await sink.payment({
        ...update.target,
        ...(update.providerRef ? { providerRef: update.providerRef } : {}),
        status: update.status,
        ...(update.refundedAmount !== undefined ? { refundedAmount: update.refundedAmount, fullRefund: update.fullRefund ?? true } : {}),
      });
    } else if (update) {
      deps.log?.(`stripe ${event.type} ${event.id}: names no Parley invoice or checkout; ignored`);
    }
    await deps.events.remember(eventId);
    return json(200, { received: true });
  };
}
