// Outbound SMS and WhatsApp through Twilio's Messages API: one API call per SMS part,
// `whatsapp:` addresses, templates as ContentSid + ContentVariables, a status callback
// URL carrying our message id. The account's number is the sender: it must belong to that
// Twilio account, whatever the group row says.
import twilio from 'twilio';
import type { ChannelProvider, OutboundMessage, SendResult } from '../types';
import type { TwilioConfig } from '../config';
import type { SendLimiter } from '../rateLimiter';
import { withRetries, type Attempt, type RetryPolicy } from '../retry';
import { createTwilioClient, TwilioTransientError } from './client';
import { twilioReason } from './errors';

type CreateOptions = Parameters<twilio.Twilio['messages']['create']>[0];

export interface TwilioChannelDeps {
  limiter: SendLimiter;
  retry: RetryPolicy;
  /** public URL Twilio posts status callbacks for this message to */
  statusCallbackUrl(messageId: string): string;
  /** public, fetchable URL of an attachment (Twilio downloads media itself); none = unsupported */
  mediaUrl?(attachmentId: string): string | undefined;
}

export class TwilioChannel implements ChannelProvider {
  readonly kind = 'twilio' as const;
  private readonly client: twilio.Twilio;

  constructor(private readonly cfg: TwilioConfig, private readonly deps: TwilioChannelDeps) {
    this.client = createTwilioClient(cfg.accountSid, cfg.authToken, cfg);
  }

  async send(msg: OutboundMessage): Promise<SendResult> {
    const wa = msg.channel === 'whatsapp';
    const address = (n: string) => (wa ? `whatsapp:${n}` : n);
    const base: CreateOptions = {
      to: address(msg.to),
      statusCallback: this.deps.statusCallbackUrl(msg.messageId),
      ...(this.cfg.messagingServiceSid && !wa ? { messagingServiceSid: this.cfg.messagingServiceSid } : { from: address(this.cfg.number) }),
    };
    const requests: CreateOptions[] = [];
    if (msg.template) {
      if (!msg.template.providerId) return { ok: false, retryable: false, reason: `Template "${msg.template.name}" has no Twilio ContentSid configured` };
      const vars = Object.fromEntries(msg.template.variables.map((v, i) => [String(i + 1), v]));
      requests.push({ ...base, contentSid: msg.template.providerId, contentVariables: JSON.stringify(vars) });
    } else if (wa) {
      const mediaUrl: string[] = [];
      for (const a of msg.attachments) {
        const url = this.deps.mediaUrl?.(a.id);
        if (!url) return { ok: false, retryable: false, reason: 'Attachments over Twilio WhatsApp need a public media URL, which this relay does not offer' };
        mediaUrl.push(url);
      }
      const req: CreateOptions = { ...base, body: msg.parts.join('') };
      if (mediaUrl.length) req.mediaUrl = mediaUrl;
      if (msg.location) {
        const { lat, lng, label } = msg.location;
        req.persistentAction = [`geo:${lat},${lng}${label ? `|${label}` : ''}`];
        if (!req.body) req.body = label ?? `${lat},${lng}`;
      }
      requests.push(req);
    } else {
      for (const part of msg.parts) requests.push({ ...base, body: part });
    }

    let first: string | undefined;
    for (const req of requests) {
      const r = await withRetries(this.deps.retry, () => this.attempt(req), () => this.deps.limiter.take());
      if (!r.ok) return first ? { ...r, reason: `${r.reason} (after ${requests.indexOf(req)} of ${requests.length} texts were sent)`, retryable: false } : r;
      first ??= r.providerMessageId;
    }
    return first ? { ok: true, providerMessageId: first } : { ok: false, retryable: false, reason: 'Nothing to send' };
  }

  private async attempt(req: CreateOptions): Promise<Attempt<SendResult>> {
    try {
      const m = await this.client.messages.create(req);
      return { done: { ok: true, providerMessageId: m.sid } };
    } catch (e) {
      if (e instanceof TwilioTransientError) {
        const reason = e.status === 429 ? twilioReason(e.code ?? 20429) : twilioReason(e.code, `Twilio is unavailable (HTTP ${e.status})`);
        return { retry: { ok: false, retryable: true, reason, code: String(e.code ?? e.status) }, retryAfterMs: e.retryAfterMs };
      }
      if (e instanceof twilio.RestException) {
        return { done: { ok: false, retryable: false, reason: twilioReason(e.code, e.message), code: e.code != null ? String(e.code) : undefined } };
      }
      // network failure: worth another try
      return { retry: { ok: false, retryable: true, reason: `Could not reach Twilio: ${(e as Error).message}` } };
    }
  }
}
