// What the relay asks of a channel or payment provider. The simulator implements the
// channel side for demos and tests; Twilio, Meta WhatsApp Cloud API and Stripe
// adapters implement it for real customers.
import type { AttachmentRef, Channel, Location } from '../../shared/schema';

export interface OutboundMessage {
  messageId: string;
  groupId: string;
  channel: Channel;
  /** E.164 of the contact */
  to: string;
  /** E.164 of the group's number for this channel */
  from: string | null;
  /** SMS: already split; each part is sent as its own text. WhatsApp: one part. */
  parts: string[];
  attachments: AttachmentRef[];
  location: Location | null;
  template: { name: string; providerId?: string; language: string; variables: string[] } | null;
}

export type SendResult =
  | { ok: true; providerMessageId: string }
  | { ok: false; retryable: boolean; reason: string; code?: string };

/** Status updates and inbound messages flow back into the relay through these calls. */
export interface ProviderSink {
  inbound(msg: {
    groupId: string;
    channel: Channel;
    from: string;
    body: string;
    attachments?: AttachmentRef[];
    location?: Location;
    providerMessageId?: string;
    contactName?: string;
  }): Promise<void>;
  status(update: { providerMessageId?: string; messageId?: string; status: 'sent' | 'delivered' | 'read' | 'failed'; failureReason?: string | null }): Promise<void>;
}

export interface ChannelProvider {
  readonly kind: 'simulator' | 'twilio' | 'whatsapp-cloud';
  send(msg: OutboundMessage): Promise<SendResult>;
}

export interface PaymentLinkRequest {
  kind: 'invoice' | 'checkout';
  id: string;
  description: string;
  currency: string;
  /** minor units */
  amount: number;
  lineItems?: { description: string; quantity: number; unitAmount: number }[];
  /** 1 for the first link; n for the (n-1)th renewal after the link expired (a new idempotency key) */
  attempt?: number;
  /** renewing when the contact opened an expired link: the expired session (a new idempotency key per expired session) */
  replaces?: string;
}

export interface PaymentProvider {
  readonly kind: 'manual' | 'stripe';
  createLink(req: PaymentLinkRequest): Promise<{ url: string; providerRef: string }>;
}

/** Payment status changes flow back through this. */
export interface PaymentSink {
  payment(update: {
    invoiceId?: string;
    checkoutId?: string;
    providerRef?: string;
    status: 'paid' | 'expired' | 'refunded';
    /** refunds: minor units refunded so far (cumulative), and whether that is everything paid */
    refundedAmount?: number;
    fullRefund?: boolean;
  }): Promise<void>;
}

/** A provider webhook call as the relay's HTTP layer hands it over: raw body kept for signatures. */
export interface WebhookRequest {
  method: string;
  url: URL;
  headers: Record<string, string | undefined>;
  rawBody: Buffer;
}
export interface WebhookResponse {
  status: number;
  headers?: Record<string, string>;
  body?: string | Buffer;
}
export type WebhookHandler = (req: WebhookRequest, sink: ProviderSink & PaymentSink) => Promise<WebhookResponse>;

/**
 * What the relay holds: per group and channel the provider to send with (the simulator
 * where none is configured), the payment provider, and the webhook handlers mounted
 * under /webhooks/<path…>.
 */
export interface ProviderRegistry {
  channelFor(groupId: string, channel: Channel): ChannelProvider | Promise<ChannelProvider>;
  payments(): PaymentProvider | Promise<PaymentProvider>;
  webhook(path: string[]): WebhookHandler | undefined | Promise<WebhookHandler | undefined>;
  /** per provider account: how many sends per second it may make (broadcasts and retries respect it) */
  sendRatePerSecond(groupId: string, channel: Channel): number | Promise<number>;
}
