// Twilio fetches outbound WhatsApp media itself, from a public URL. We hand it a URL on our
// webhook path that is signed (HMAC over account, attachment and expiry) and expires, so only
// attachments we chose to send are reachable, and only for a day.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { WebhookHandler } from '../types';
import { text, type WebhookDeps } from '../deps';

const TTL_MS = 24 * 3600 * 1000;

const signature = (key: Buffer, accountId: string, attachmentId: string, expires: number) =>
  createHmac('sha256', key).update(`twilio-media:${accountId}:${attachmentId}:${expires}`).digest('base64url');

export function signedMediaUrl(key: Buffer, publicUrl: string, accountId: string, attachmentId: string, now = Date.now()): string {
  const e = now + TTL_MS;
  return `${publicUrl}/webhooks/twilio/${accountId}/media/${attachmentId}?e=${e}&s=${signature(key, accountId, attachmentId, e)}`;
}

export function twilioMediaHandler(key: Buffer, accountId: string, attachmentId: string, deps: WebhookDeps): WebhookHandler {
  return async (req) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return text(405, 'GET only');
    const e = Number(req.url.searchParams.get('e'));
    const given = Buffer.from(req.url.searchParams.get('s') ?? '', 'base64url');
    const expected = Buffer.from(signature(key, accountId, attachmentId, e), 'base64url');
    if (!Number.isFinite(e) || given.length !== expected.length || !timingSafeEqual(given, expected)) return text(403, 'invalid signature');
    if (e < Date.now()) return text(410, 'link expired');
    const bytes = /^[0-9a-f]{64}$/.test(attachmentId) ? await deps.attachments?.read(attachmentId) : undefined;
    if (!bytes) return text(404, 'no such attachment');
    const info = await deps.attachments?.info?.(attachmentId);
    return {
      status: 200,
      headers: { 'content-type': info?.mime ?? 'application/octet-stream', 'content-length': String(bytes.length), 'cache-control': 'private, max-age=3600' },
      body: req.method === 'HEAD' ? '' : bytes,
    };
  };
}
