// Meta WhatsApp Cloud API webhooks on /webhooks/whatsapp/<accountId>: the GET verification
// handshake, and POST deliveries signed with X-Hub-Signature-256 (HMAC-SHA256 of the raw body
// with the app secret) carrying inbound messages and delivery statuses.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import type { AttachmentRef, Location } from '../../../shared/schema';
import type { ProviderSink, WebhookHandler } from '../types';
import type { WhatsAppConfig } from '../config';
import { extensionFor, forbidden, header, text, type WebhookDeps } from '../deps';
import { metaReason } from './errors';
import type { GraphClient } from './graph';

const media = z.object({ id: z.string(), mime_type: z.string().optional(), caption: z.string().optional(), filename: z.string().optional() });
const inboundMessage = z.object({
  from: z.string().regex(/^\d{5,20}$/),
  id: z.string().min(1).max(128),
  type: z.string(),
  text: z.object({ body: z.string() }).optional(),
  image: media.optional(), document: media.optional(), audio: media.optional(), video: media.optional(), sticker: media.optional(),
  location: z.object({ latitude: z.number(), longitude: z.number(), name: z.string().optional(), address: z.string().optional() }).optional(),
  button: z.object({ text: z.string() }).optional(),
  reaction: z.object({ emoji: z.string().optional() }).optional(),
  interactive: z.object({ button_reply: z.object({ title: z.string() }).optional(), list_reply: z.object({ title: z.string() }).optional() }).optional(),
});
const statusEntry = z.object({
  id: z.string().min(1).max(128),
  status: z.string(),
  biz_opaque_callback_data: z.string().optional(),
  errors: z.array(z.object({ code: z.number().optional(), title: z.string().optional(), message: z.string().optional(), error_data: z.object({ details: z.string().optional() }).optional() })).optional(),
});
const payload = z.object({
  object: z.literal('whatsapp_business_account'),
  entry: z.array(z.object({
    changes: z.array(z.object({
      field: z.string(),
      value: z.object({
        metadata: z.object({ phone_number_id: z.string() }).optional(),
        contacts: z.array(z.object({ wa_id: z.string(), profile: z.object({ name: z.string() }).optional() })).optional(),
        messages: z.array(inboundMessage).optional(),
        statuses: z.array(statusEntry).optional(),
      }),
    })),
  })),
});
type InboundMessage = z.infer<typeof inboundMessage>;

export function validMetaSignature(appSecret: string, rawBody: Buffer, signatureHeader: string | undefined): boolean {
  const m = /^sha256=([0-9a-f]{64})$/i.exec(signatureHeader ?? '');
  if (!m?.[1]) return false;
  const expected = createHmac('sha256', appSecret).update(rawBody).digest();
  return timingSafeEqual(expected, Buffer.from(m[1], 'hex'));
}

const statusMap: Record<string, 'sent' | 'delivered' | 'read' | 'failed' | undefined> = { sent: 'sent', delivered: 'delivered', read: 'read', failed: 'failed' };

export function whatsappWebhookHandler(groupId: string, cfg: WhatsAppConfig, graph: GraphClient, deps: WebhookDeps): WebhookHandler {
  return async (req, sink) => {
    if (req.method === 'GET') {
      const q = req.url.searchParams;
      const challenge = q.get('hub.challenge');
      if (q.get('hub.mode') === 'subscribe' && q.get('hub.verify_token') === cfg.verifyToken && challenge) return text(200, challenge);
      return text(403, 'verification failed');
    }
    if (req.method !== 'POST') return text(405, 'GET or POST');
    if (!validMetaSignature(cfg.appSecret, req.rawBody, header(req.headers, 'x-hub-signature-256'))) return forbidden();
    let json: unknown;
    try {
      json = JSON.parse(req.rawBody.toString('utf8'));
    } catch {
      return text(400, 'body is not JSON');
    }
    const p = payload.safeParse(json);
    if (!p.success) return text(400, 'malformed WhatsApp webhook');
    for (const entry of p.data.entry) {
      for (const change of entry.changes) {
        const v = change.value;
        if (change.field !== 'messages') continue;
        if (v.metadata?.phone_number_id !== cfg.phoneNumberId) {
          deps.log?.(`whatsapp: delivery for phone-number-id ${v.metadata?.phone_number_id ?? '?'} is not this account's; ignored`);
          continue;
        }
        for (const m of v.messages ?? []) {
          const eventId = `meta:${m.id}`;
          if (await deps.events.seen(eventId)) continue;
          // a removed reaction carries no emoji: nothing to show
          if (m.type === 'reaction' && !m.reaction?.emoji) continue;
          const name = v.contacts?.find((c) => c.wa_id === m.from)?.profile?.name;
          await deliverInbound(m, name, groupId, graph, deps, sink);
          await deps.events.remember(eventId);
        }
        for (const s of v.statuses ?? []) {
          const status = statusMap[s.status];
          const eventId = `meta-status:${s.id}:${s.status}`;
          if (!status || (await deps.events.seen(eventId))) continue;
          const err = s.errors?.[0];
          await sink.status({
            providerMessageId: s.id,
            ...(s.biz_opaque_callback_data ? { messageId: s.biz_opaque_callback_data } : {}),
            status,
            failureReason: status === 'failed' ? metaReason(err?.code, err?.error_data?.details ?? err?.message ?? err?.title) : null,
          });
          await deps.events.remember(eventId);
        }
      }
    }
    return text(200, 'ok');
  };
}

async function deliverInbound(m: InboundMessage, contactName: string | undefined, groupId: string, graph: GraphClient, deps: WebhookDeps, sink: ProviderSink): Promise<void> {
  const reacted = m.reaction?.emoji ? `Reacted ${m.reaction.emoji}` : undefined;
  let body = m.text?.body ?? m.button?.text ?? m.interactive?.button_reply?.title ?? m.interactive?.list_reply?.title ?? reacted ?? '';
  const attachments: AttachmentRef[] = [];
  const item = m.image ?? m.document ?? m.audio ?? m.video ?? m.sticker;
  if (item) {
    if (item.caption) body = item.caption;
    const ref = await downloadMedia(item, m.id, graph, deps);
    if (ref) attachments.push(ref);
    else body += `${body ? '\n' : ''}[${m.type} ${item.filename ?? ''} not stored (WhatsApp media ${item.id})]`.replace('  ', ' ');
  }
  let location: Location | undefined;
  if (m.location) {
    const label = m.location.name ?? m.location.address;
    location = { lat: m.location.latitude, lng: m.location.longitude, ...(label ? { label } : {}) };
  }
  if (!body && !attachments.length && !location) body = `[unsupported WhatsApp ${m.type} message]`;
  await sink.inbound({
    groupId,
    channel: 'whatsapp',
    from: `+${m.from}`,
    body,
    providerMessageId: m.id,
    ...(attachments.length ? { attachments } : {}),
    ...(location ? { location } : {}),
    ...(contactName ? { contactName } : {}),
  });
}

const mediaInfo = z.object({ url: z.string().url(), mime_type: z.string().optional() });

/** GET /{media-id} for the short-lived URL, then the bytes (both with the access token). */
async function downloadMedia(item: z.infer<typeof media>, messageId: string, graph: GraphClient, deps: WebhookDeps): Promise<AttachmentRef | undefined> {
  if (!deps.attachments) return undefined;
  const info = await graph.call('GET', item.id);
  const parsed = info.ok ? mediaInfo.safeParse(info.body) : undefined;
  if (!parsed?.success) {
    deps.log?.(`whatsapp media ${item.id}: no download URL`);
    return undefined;
  }
  const file = await graph.download(parsed.data.url);
  if (!file.ok) {
    deps.log?.(`whatsapp media ${item.id}: ${file.message}`);
    return undefined;
  }
  const mime = parsed.data.mime_type ?? item.mime_type ?? file.mime;
  return deps.attachments.put(file.bytes, { name: item.filename ?? `${messageId}.${extensionFor(mime)}`, mime });
}
