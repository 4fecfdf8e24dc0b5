// Outbound WhatsApp through Meta's Cloud API: text, media (our bytes uploaded to
// /{phone-number-id}/media first), locations and templates. Our message id rides along as
// biz_opaque_callback_data so status webhooks name it.
import { z } from 'zod';
import type { AttachmentRef } from '../../../shared/schema';
import type { ChannelProvider, OutboundMessage, SendResult } from '../types';
import type { WhatsAppConfig } from '../config';
import type { ProviderAttachmentStore } from '../deps';
import type { SendLimiter } from '../rateLimiter';
import { withRetries, type Attempt, type RetryPolicy } from '../retry';
import { metaReason } from './errors';
import { GraphClient, type GraphResult } from './graph';

export const DEFAULT_GRAPH_URL = 'https://graph.facebook.com';
const sendResponse = z.object({ messages: z.array(z.object({ id: z.string() })).min(1) });
const uploadResponse = z.object({ id: z.string() });

export interface WhatsAppChannelDeps {
  limiter: SendLimiter;
  retry: RetryPolicy;
  attachments?: ProviderAttachmentStore;
}

type Payload = Record<string, unknown>;

function mediaPayload(a: AttachmentRef, mediaId: string, caption: string | undefined): Payload {
  const kind = a.mime.startsWith('image/') ? 'image' : a.mime.startsWith('video/') ? 'video' : a.mime.startsWith('audio/') ? 'audio' : 'document';
  const media: Payload = { id: mediaId };
  if (caption && kind !== 'audio') media.caption = caption;
  if (kind === 'document') media.filename = a.name;
  return { type: kind, [kind]: media };
}

export class WhatsAppCloudChannel implements ChannelProvider {
  readonly kind = 'whatsapp-cloud' as const;
  readonly graph: GraphClient;

  constructor(private readonly cfg: WhatsAppConfig, private readonly deps: WhatsAppChannelDeps) {
    this.graph = new GraphClient(cfg.graphBaseUrl ?? DEFAULT_GRAPH_URL, cfg.apiVersion, cfg.accessToken);
  }

  async send(msg: OutboundMessage): Promise<SendResult> {
    const body = msg.parts.join('');
    const payloads: Payload[] = [];
    if (msg.template) {
      const t = msg.template;
      const template: Payload = { name: t.providerId ?? t.name, language: { code: t.language } };
      if (t.variables.length) template.components = [{ type: 'body', parameters: t.variables.map((v) => ({ type: 'text', text: v })) }];
      payloads.push({ type: 'template', template });
    } else {
      let captioned = false;
      for (const a of msg.attachments) {
        const uploaded = await this.upload(a);
        if (!uploaded.ok) return uploaded;
        const caption = !captioned && body ? body : undefined;
        if (caption && !a.mime.startsWith('audio/')) captioned = true;
        payloads.push(mediaPayload(a, uploaded.mediaId, caption));
      }
      if (msg.location) {
        const { lat, lng, label } = msg.location;
        payloads.push({ type: 'location', location: { latitude: lat, longitude: lng, ...(label ? { name: label } : {}) } });
      }
      if (body && !captioned) payloads.push({ type: 'text', text: { body, preview_url: true } });
    }
    let first: string | undefined;
    for (const p of payloads) {
      const r = await this.post(`${this.cfg.phoneNumberId}/messages`, {
        messaging_product: 'whatsapp',
        recipient_type: 'individual',
        to: msg.to.replace(/^\+/, ''),
        biz_opaque_callback_data: msg.messageId,
        ...p,
      });
      if (!r.ok) return failure(r, first !== undefined);
      const parsed = sendResponse.safeParse(r.body);
      if (!parsed.success) return { ok: false, retryable: false, reason: 'WhatsApp answered without a message id' };
      first ??= parsed.data.messages[0]?.id;
    }
    return first ? { ok: true, providerMessageId: first } : { ok: false, retryable: false, reason: 'Nothing to send' };
  }

  private async upload(a: AttachmentRef): Promise<{ ok: true; mediaId: string } | Extract<SendResult, { ok: false }>> {
    const bytes = await this.deps.attachments?.read(a.id);
    if (!bytes) return { ok: false, retryable: false, reason: `Attachment ${a.name} is not available on the relay` };
    const r = await this.post(`${this.cfg.phoneNumberId}/media`, () => {
      const form = new FormData();
      form.set('messaging_product', 'whatsapp');
      form.set('type', a.mime);
      form.set('file', new Blob([new Uint8Array(bytes)], { type: a.mime }), a.name);
      return form;
    });
    if (!r.ok) return failure(r, false);
    const parsed = uploadResponse.safeParse(r.body);
    return parsed.success ? { ok: true, mediaId: parsed.data.id } : { ok: false, retryable: false, reason: 'WhatsApp answered the upload without a media id' };
  }

  /** One rate-limited, retried POST; a FormData body is rebuilt for every attempt. */
  private post(path: string, body: Payload | (() => FormData)): Promise<GraphResult> {
    return withRetries<GraphResult>(
      this.deps.retry,
      async (): Promise<Attempt<GraphResult>> => {
        const r = await this.graph.call('POST', path, typeof body === 'function' ? body() : body);
        return r.ok || !r.retryable ? { done: r } : { retry: r, retryAfterMs: r.retryAfterMs };
      },
      () => this.deps.limiter.take(),
    );
  }
}

function failure(r: Extract<GraphResult, { ok: false }>, partlySent: boolean): Extract<SendResult, { ok: false }> {
  const reason = metaReason(r.code, r.message);
  return { ok: false, retryable: r.retryable && !partlySent, reason: partlySent ? `${reason} (part of the message was sent)` : reason, ...(r.code !== undefined ? { code: String(r.code) } : {}) };
}
