// Twilio webhooks: inbound messages (/webhooks/twilio/<accountId>) and status callbacks
// (/webhooks/twilio/<accountId>/status?m=<messageId>), each verified with X-Twilio-Signature.
import twilio from 'twilio';
import { z } from 'zod';
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import type { AttachmentRef, Location } from '../../../shared/schema';
import type { ProviderSink, WebhookHandler, WebhookRequest } from '../types';
import type { TwilioConfig } from '../config';
import { extensionFor, forbidden, header, signedUrl, text, type WebhookDeps } from '../deps';
import { twilioReason } from './errors';

const EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>';
const twiml = () => text(200, EMPTY_TWIML, 'text/xml');

const inboundParams = z.object({
  MessageSid: z.string().min(10).max(64),
  From: z.string().min(3).max(48),
  To: z.string().min(3).max(48),
  Body: z.string().max(4096).default(''),
  NumMedia: z.coerce.number().int().min(0).max(10).default(0),
  ProfileName: z.string().max(120).optional(),
  Latitude: z.coerce.number().min(-90).max(90).optional(),
  Longitude: z.coerce.number().min(-180).max(180).optional(),
  Label: z.string().max(200).optional(),
  Address: z.string().max(200).optional(),
});
const statusParams = z.object({
  MessageSid: z.string().min(10).max(64),
  MessageStatus: z.string().min(1).max(32),
  ErrorCode: z.string().max(16).optional(),
});

const stripPrefix = (a: string) => a.replace(/^whatsapp:/, '');
const sameNumber = (a: string, b: string) => parsePhoneNumberFromString(stripPrefix(a))?.number === parsePhoneNumberFromString(b)?.number;

/** Form body → params, and the signature check over the public URL. Undefined when forged. */
function verified(req: WebhookRequest, cfg: TwilioConfig, deps: WebhookDeps): Record<string, string> | undefined {
  const params = Object.fromEntries(new URLSearchParams(req.rawBody.toString('utf8')));
  const signature = header(req.headers, 'x-twilio-signature');
  if (!signature || !twilio.validateRequest(cfg.authToken, signature, signedUrl(deps, req.url), params)) return undefined;
  return params;
}

export function twilioInboundHandler(accountId: string, groupId: string, cfg: TwilioConfig, deps: WebhookDeps): WebhookHandler {
  return async (req, sink) => {
    if (req.method !== 'POST') return text(405, 'POST only');
    const params = verified(req, cfg, deps);
    if (!params) return forbidden();
    const p = inboundParams.safeParse(params);
    if (!p.success) return text(400, 'malformed Twilio message');
    const m = p.data;
    const viaService = cfg.messagingServiceSid !== undefined && params.MessagingServiceSid === cfg.messagingServiceSid;
    if (!viaService && !sameNumber(m.To, cfg.number)) {
      deps.log?.(`twilio ${accountId}: message to ${m.To}, which is not this account's number ${cfg.number}; ignored`);
      return twiml();
    }
    const eventId = `twilio:${m.MessageSid}`;
    if (await deps.events.seen(eventId)) return twiml();
    const from = parsePhoneNumberFromString(stripPrefix(m.From))?.number;
    if (!from) return text(400, 'unknown sender number');

    let body = m.Body;
    const attachments: AttachmentRef[] = [];
    for (let i = 0; i < m.NumMedia; i++) {
      const url = params[`MediaUrl${i}`];
      const mime = params[`MediaContentType${i}`] ?? 'application/octet-stream';
      if (!url) continue;
      const ref = await downloadMedia(url, mime, `${m.MessageSid}-${i}.${extensionFor(mime)}`, cfg, deps);
      if (ref) attachments.push(ref);
      else body += `${body ? '\n' : ''}[${mime} attachment not stored]`;
    }
    let location: Location | undefined;
    if (m.Latitude !== undefined && m.Longitude !== undefined) {
      location = { lat: m.Latitude, lng: m.Longitude, ...(m.Label ?? m.Address ? { label: m.Label ?? m.Address } : {}) };
    }
    await sink.inbound({
      groupId,
      channel: m.From.startsWith('whatsapp:') ? 'whatsapp' : 'sms',
      from,
      body,
      providerMessageId: m.MessageSid,
      ...(attachments.length ? { attachments } : {}),
      ...(location ? { location } : {}),
      ...(m.ProfileName ? { contactName: m.ProfileName } : {}),
    });
    await deps.events.remember(eventId);
    return twiml();
  };
}

const statusMap: Record<string, 'sent' | 'delivered' | 'read' | 'failed' | undefined> = {
  sent: 'sent', delivered: 'delivered', read: 'read', undelivered: 'failed', failed: 'failed', canceled: 'failed',
};

export function twilioStatusHandler(cfg: TwilioConfig, deps: WebhookDeps): WebhookHandler {
  return async (req, sink: ProviderSink) => {
    if (req.method !== 'POST') return text(405, 'POST only');
    const params = verified(req, cfg, deps);
    if (!params) return forbidden();
    const p = statusParams.safeParse(params);
    if (!p.success) return text(400, 'malformed Twilio status callback');
    const status = statusMap[p.data.MessageStatus];
    // queued / sending / accepted add nothing: our message is already queued
    if (!status) return text(200);
    const eventId = `twilio-status:${p.data.MessageSid}:${p.data.MessageStatus}`;
    if (await deps.events.seen(eventId)) return text(200);
    const messageId = req.url.searchParams.get('m') ?? undefined;
    await sink.status({
      providerMessageId: p.data.MessageSid,
      ...(messageId ? { messageId } : {}),
      status,
      failureReason: status === 'failed' ? twilioReason(p.data.ErrorCode) : null,
    });
    await deps.events.remember(eventId);
    return text(200);
  };
}

async function downloadMedia(url: string, mime: string, name: string, cfg: TwilioConfig, deps: WebhookDeps): Promise<AttachmentRef | undefined> {
  if (!deps.attachments) return undefined;
  try {
    const auth = Buffer.from(`${cfg.accountSid}:${cfg.authToken}`).toString('base64');
    const res = await fetch(url, { headers: { authorization: `Basic ${auth}` } });
    if (!res.ok) return undefined;
    return await deps.attachments.put(Buffer.from(await res.arrayBuffer()), { name, mime: res.headers.get('content-type') ?? mime });
  } catch (e) {
    deps.log?.(`twilio media ${url}: ${(e as Error).message}`);
    return undefined;
  }
}
