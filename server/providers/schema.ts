// Relay-only tables of the providers area: configured provider accounts (credentials
// encrypted at rest) and the ids of webhook deliveries already handled (dedupe).
import { sqliteTable, text, integer, index, uniqueIndex } from 'drizzle-orm/sqlite-core';

export type ProviderKind = 'twilio' | 'whatsapp-cloud' | 'stripe';

export const providerAccounts = sqliteTable('provider_accounts', {
  id: text('id').primaryKey(),
  /** null for organisation-wide accounts (Stripe) */
  groupId: text('group_id'),
  /** 'sms' | 'whatsapp' for channel accounts, 'payments' for Stripe */
  channel: text('channel').$type<'sms' | 'whatsapp' | 'payments'>().notNull(),
  kind: text('kind').$type<ProviderKind>().notNull(),
  /** non-secret settings shown to admins: numbers, account SID, phone-number-id, base URLs */
  publicConfig: text('public_config', { mode: 'json' }).$type<Record<string, string | number | null>>().notNull(),
  /** AES-256-GCM sealed JSON of the secret settings (auth token, access token, app secret...) */
  secrets: text('secrets').notNull(),
  sendRatePerSecond: integer('send_rate_per_second').notNull().default(1),
  createdAt: integer('created_at').notNull(),
  updatedAt: integer('updated_at').notNull(),
}, (t) => [uniqueIndex('provider_accounts_group_channel').on(t.groupId, t.channel)]);

export const webhookEvents = sqliteTable('webhook_events', {
  /** `${provider}:${delivery id}` */
  id: text('id').primaryKey(),
  receivedAt: integer('received_at').notNull(),
}, (t) => [index('webhook_events_received').on(t.receivedAt)]);
