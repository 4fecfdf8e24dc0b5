// The relay's provider registry: configured accounts (provider_accounts) per group and
// channel, the fallback (simulator, manual payments) where none is configured, and the
// webhook handlers under /webhooks/twilio|whatsapp|stripe.
import { createHmac } from 'node:crypto';
import { dirname } from 'node:path';
import type { Channel } from '../../shared/schema';
import type { RelayStore } from '../store/types';
import type { ChannelProvider, PaymentProvider, ProviderRegistry, WebhookHandler } from './types';
import { relayAttachmentStore } from './attachmentStore';
import { AccountStore, type AccountConfig, type AccountRow } from './accounts';
import type { ProviderAttachmentStore, WebhookDeps } from './deps';
import { RateLimiters } from './rateLimiter';
import { defaultRetryPolicy, type RetryPolicy } from './retry';
import { loadSecretKey } from './secrets';
import { SqliteStore } from '../store/sqlite';
import { WebhookEvents } from './webhookEvents';
import { TwilioChannel } from './twilio/channel';
import { twilioInboundHandler, twilioStatusHandler } from './twilio/webhook';
import { signedMediaUrl, twilioMediaHandler } from './twilio/media';
import { WhatsAppCloudChannel } from './whatsapp/channel';
import { whatsappWebhookHandler } from './whatsapp/webhook';
import { StripePayments } from './stripe/payments';
import { stripeWebhookHandler } from './stripe/webhook';

export interface ProviderRegistryOptions {
  store: RelayStore;
  /** the relay's own URL; the public URL defaults to PARLEY_PUBLIC_URL, else this */
  httpUrl: string;
  fallback: ProviderRegistry;
  publicUrl?: string;
  /** where the secrets key file lives (and attachments: the default store's files) */
  dataDir?: string;
  attachments?: ProviderAttachmentStore;
  retry?: Partial<RetryPolicy>;
  env?: NodeJS.ProcessEnv;
  log?: (msg: string) => void;
}

export interface ParleyProviderRegistry extends ProviderRegistry {
  readonly accounts: AccountStore;
  readonly publicUrl: string;
  /** the URLs to paste into the provider's console for this account */
  webhookUrls(row: AccountRow): { label: string; url: string }[];
}

export function webhookUrlsFor(publicUrl: string, row: Pick<AccountRow, 'id' | 'kind'>): { label: string; url: string }[] {
  const base = `${publicUrl.replace(/\/+$/, '')}/webhooks`;
  switch (row.kind) {
    case 'twilio':
      return [{ label: 'A message comes in (POST)', url: `${base}/twilio/${row.id}` }, { label: 'Status callback (set per message)', url: `${base}/twilio/${row.id}/status` }];
    case 'whatsapp-cloud':
      return [{ label: 'Callback URL (messages field)', url: `${base}/whatsapp/${row.id}` }];
    case 'stripe':
      return [{ label: 'Webhook endpoint', url: `${base}/stripe` }];
  }
}

/** A configured account whose credentials cannot be read: sends fail with the reason instead of going elsewhere. */
const broken = (kind: ChannelProvider['kind'], reason: string): ChannelProvider => ({ kind, send: async () => ({ ok: false, retryable: false, reason }) });

export function createProviderRegistry(opts: ProviderRegistryOptions): ParleyProviderRegistry {
  const env = opts.env ?? process.env;
  const publicUrl = (opts.publicUrl ?? env.PARLEY_PUBLIC_URL ?? opts.httpUrl).replace(/\/+$/, '');
  const dataDir = opts.dataDir ?? (opts.store instanceof SqliteStore ? dirname(opts.store.file) : undefined);
  let key: Buffer | undefined;
  const accounts = new AccountStore(opts.store, () => (key ??= loadSecretKey(dataDir, env)));
  // media URLs are signed with a key derived from the secrets key (never the key itself)
  let media: Buffer | undefined;
  const mediaKey = () => (media ??= createHmac('sha256', (key ??= loadSecretKey(dataDir, env))).update('parley twilio media urls').digest());
  const events = new WebhookEvents(opts.store);
  const limiters = new RateLimiters(opts.store);
  const retry: RetryPolicy = { ...defaultRetryPolicy, ...opts.retry };
  const attachments = opts.attachments ?? (dataDir ? relayAttachmentStore(opts.store, dataDir) : undefined);
  const deps: WebhookDeps = { publicUrl, events, attachments, log: opts.log };
  // adapters are rebuilt when an account's row changes (updatedAt); the pace of an account is
  // shared by every relay through the database (send_pace, rateLimiter.ts)
  const cache = new Map<string, { stamp: number; value: unknown }>();
  const cached = <T>(row: AccountRow, make: () => T): T => {
    const hit = cache.get(row.id);
    if (hit && hit.stamp === row.updatedAt) return hit.value as T;
    const value = make();
    cache.set(row.id, { stamp: row.updatedAt, value });
    return value;
  };
  const configOf = (row: AccountRow): AccountConfig | Error => {
    try {
      return accounts.config(row);
    } catch (e) {
      opts.log?.(`provider account ${row.id}: ${(e as Error).message}`);
      return new Error(`The ${row.kind} account of this group cannot be used: ${(e as Error).message}`);
    }
  };

  const channelOf = (row: AccountRow): ChannelProvider =>
    cached(row, () => {
      const c = configOf(row);
      if (c instanceof Error) return broken(row.kind === 'whatsapp-cloud' ? 'whatsapp-cloud' : 'twilio', c.message);
      const limiter = limiters.for(row.id, row.sendRatePerSecond);
      if (c.kind === 'twilio') {
        return new TwilioChannel(c.config, {
          limiter,
          retry,
          statusCallbackUrl: (messageId) => `${publicUrl}/webhooks/twilio/${row.id}/status?m=${encodeURIComponent(messageId)}`,
          mediaUrl: attachments ? (attachmentId) => signedMediaUrl(mediaKey(), publicUrl, row.id, attachmentId) : undefined,
        });
      }
      if (c.kind === 'whatsapp-cloud') return new WhatsAppCloudChannel(c.config, { limiter, retry, attachments });
      return broken('twilio', 'a payments account cannot send messages');
    });

  const stripeOf = (row: AccountRow): StripePayments | Error =>
    cached(row, () => {
      const c = configOf(row);
      if (c instanceof Error) return c;
      return c.kind === 'stripe' ? new StripePayments(c.config, publicUrl) : new Error('not a Stripe account');
    });

  const webhook = async (path: string[]): Promise<WebhookHandler | undefined> => {
    const [provider, id, sub, ...rest] = path[0] === 'webhooks' ? path.slice(1) : path;
    if (provider === 'twilio' && id && sub === 'media' && rest.length === 1 && rest[0]) {
      return (await accounts.get(id))?.kind === 'twilio' ? twilioMediaHandler(mediaKey(), id, rest[0], deps) : undefined;
    }
    if (rest.length) return undefined;
    if (provider === 'stripe' && !id) {
      const row = await accounts.stripe();
      const p = row && stripeOf(row);
      if (!row || !p || p instanceof Error) return undefined;
      const c = configOf(row);
      return !(c instanceof Error) && c.kind === 'stripe' ? stripeWebhookHandler(p.stripe, c.config, deps) : undefined;
    }
    const row = id ? await accounts.get(id) : undefined;
    if (!row?.groupId) return undefined;
    const c = configOf(row);
    if (c instanceof Error) return undefined;
    if (provider === 'twilio' && c.kind === 'twilio') {
      if (sub === undefined) return twilioInboundHandler(row.id, row.groupId, c.config, deps);
      if (sub === 'status') return twilioStatusHandler(c.config, deps);
    }
    if (provider === 'whatsapp' && c.kind === 'whatsapp-cloud' && sub === undefined) {
      const channel = channelOf(row);
      if (channel instanceof WhatsAppCloudChannel) return whatsappWebhookHandler(row.groupId, c.config, channel.graph, deps);
    }
    return undefined;
  };

  return {
    accounts,
    publicUrl,
    webhookUrls: (row) => webhookUrlsFor(publicUrl, row),
    async channelFor(groupId: string, channel: Channel): Promise<ChannelProvider> {
      const row = await accounts.forGroup(groupId, channel);
      return row ? channelOf(row) : opts.fallback.channelFor(groupId, channel);
    },
    async payments(): Promise<PaymentProvider> {
      const row = await accounts.stripe();
      const p = row && stripeOf(row);
      return p && !(p instanceof Error) ? p : opts.fallback.payments();
    },
    async webhook(path: string[]): Promise<WebhookHandler | undefined> {
      return (await webhook(path)) ?? opts.fallback.webhook(path);
    },
    async sendRatePerSecond(groupId: string, channel: Channel): Promise<number> {
      return (await accounts.forGroup(groupId, channel))?.sendRatePerSecond ?? opts.fallback.sendRatePerSecond(groupId, channel);
    },
  };
}
