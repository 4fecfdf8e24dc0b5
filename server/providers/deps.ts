// What the webhook handlers of every provider share: where to keep inbound media,
// the relay's public address (signatures cover the URL the provider called), dedupe.
import type { AttachmentRef } from '../../shared/schema';
import type { WebhookResponse } from './types';
import type { WebhookEvents } from './webhookEvents';

/** The relay's content-addressed attachment store, as far as providers need it. */
export interface ProviderAttachmentStore {
  put(bytes: Buffer, meta: { name: string; mime: string }): Promise<AttachmentRef> | AttachmentRef;
  read(id: string): Promise<Buffer | null | undefined> | Buffer | null | undefined;
  /** type and name of a stored attachment (serving media URLs to Twilio) */
  info?(id: string): Promise<{ mime: string; name: string } | undefined> | { mime: string; name: string } | undefined;
}

export interface WebhookDeps {
  /** public origin (and path prefix) providers call, e.g. https://parley.example.com */
  publicUrl: string;
  events: WebhookEvents;
  attachments?: ProviderAttachmentStore;
  log?: (msg: string) => void;
}

export const text = (status: number, body = '', contentType = 'text/plain; charset=utf-8'): WebhookResponse => ({ status, headers: { 'content-type': contentType }, body });
export const json = (status: number, body: unknown): WebhookResponse => ({ status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
export const forbidden = () => text(403, 'invalid signature');

/** Lower-cased header look-up (the relay hands headers as node gives them: lower case). */
export const header = (h: Record<string, string | undefined>, name: string) => h[name] ?? h[name.toLowerCase()];

/** The URL the provider signed: public origin + /webhooks/<path> + query. */
export function signedUrl(deps: WebhookDeps, url: URL): string {
  const at = url.pathname.indexOf('/webhooks/');
  return deps.publicUrl.replace(/\/+$/, '') + (at < 0 ? url.pathname : url.pathname.slice(at)) + url.search;
}

export const extensionFor = (mime: string) => {
  const sub = mime.split('/')[1]?.split(';')[0] ?? 'bin';
  return ({ jpeg: 'jpg', 'vnd.openxmlformats-officedocument.wordprocessingml.document': 'docx', plain: 'txt', mpeg: 'mp3', ogg: 'ogg' } as Record<string, string>)[sub] ?? sub;
};
