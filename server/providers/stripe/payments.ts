// Payment links as Stripe Checkout Sessions: our invoice/checkout id in client_reference_id
// and metadata (also copied to the PaymentIntent so refunds name it), idempotency key = our id.
import Stripe from 'stripe';
import type { PaymentLinkRequest, PaymentProvider } from '../types';
import type { StripeConfig } from '../config';

export const referenceOf = (kind: 'invoice' | 'checkout', id: string) => `${kind}-${id}`;

export function createStripeClient(cfg: StripeConfig): Stripe {
  return new Stripe(cfg.secretKey, {
    maxNetworkRetries: 3, // the package retries 429/5xx/network errors with backoff, safely: requests carry an idempotency key
    timeout: 20_000,
    ...(cfg.apiHost ? { host: cfg.apiHost } : {}),
    ...(cfg.apiPort ? { port: cfg.apiPort } : {}),
    ...(cfg.apiProtocol ? { protocol: cfg.apiProtocol } : {}),
  });
}

export class StripePayments implements PaymentProvider {
  readonly kind = 'stripe' as const;
  readonly stripe: Stripe;

  constructor(private readonly cfg: StripeConfig, readonly publicUrl: string) {
    this.stripe = createStripeClient(cfg);
  }

  async createLink(req: PaymentLinkRequest): Promise<{ url: string; providerRef: string }> {
    const ref = referenceOf(req.kind, req.id);
    const currency = req.currency.toLowerCase();
    const items = req.lineItems?.length ? req.lineItems : [{ description: req.description, quantity: 1, unitAmount: req.amount }];
    const metadata: Record<string, string> = { parleyRef: ref, [req.kind === 'invoice' ? 'invoiceId' : 'checkoutId']: req.id };
    const session = await this.stripe.checkout.sessions.create(
      {
        mode: 'payment',
        client_reference_id: ref,
        metadata,
        payment_intent_data: { metadata, description: req.description.slice(0, 1000) },
        line_items: items.map((li) => ({ quantity: li.quantity, price_data: { currency, unit_amount: li.unitAmount, product_data: { name: li.description } } })),
        success_url: this.cfg.successUrl ?? `${this.publicUrl.replace(/\/+$/, '')}/payments/thanks`,
        ...(this.cfg.cancelUrl ? { cancel_url: this.cfg.cancelUrl } : {}),
      },
      // a renewed link (the previous session expired) is a new request: Stripe would replay the expired one
      { idempotencyKey: req.replaces ? `${ref}-after-${req.replaces}` : (req.attempt ?? 1) > 1 ? `${ref}-${req.attempt ?? 1}` : ref },
    );
    if (!session.url) throw new Error('Stripe created the checkout session without a URL');
    return { url: session.url, providerRef: session.id };
  }

  /** The session's state and Stripe's page for it (the relay's link redirects there while it is open). */
  async session(id: string): Promise<{ status: 'open' | 'complete' | 'expired'; url: string | null }> {
    let s: Stripe.Checkout.Session;
    try {
      s = await this.stripe.checkout.sessions.retrieve(id);
    } catch (e) {
      // a session this account does not know (made with other keys, or a manual link's ref) is no way to pay
      if (e instanceof Stripe.errors.StripeInvalidRequestError && e.statusCode === 404) return { status: 'expired', url: null };
      throw e;
    }
    const status = s.status === 'complete' ? 'complete' : s.status === 'expired' ? 'expired' : 'open';
    return { status, url: s.url };
  }
}
