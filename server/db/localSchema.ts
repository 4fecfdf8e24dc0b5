// Relay-only tables: never synced to clients. Credentials and tokens, per-client
// mutation ids, the change log for deletes (tombstones), visibility bookkeeping,
// attachment metadata and a small key/value table.
import { sqliteTable, text, integer, index, primaryKey } from 'drizzle-orm/sqlite-core';

export const credentials = sqliteTable('credentials', {
  userId: text('user_id').primaryKey(),
  /** `scrypt$N$r$p$saltHex$hashHex` */
  hash: text('hash').notNull(),
});

export const refreshTokens = sqliteTable('refresh_tokens', {
  /** sha256 hex of the token: the token itself is never stored */
  tokenHash: text('token_hash').primaryKey(),
  userId: text('user_id').notNull(),
  expiresAt: integer('expires_at').notNull(),
  revokedAt: integer('revoked_at'),
  createdAt: integer('created_at').notNull(),
}, (t) => [index('refresh_tokens_user').on(t.userId)]);

export const clients = sqliteTable('clients', {
  clientId: text('client_id').primaryKey(),
  userId: text('user_id').notNull(),
  lastMutationId: integer('last_mutation_id').notNull(),
});

export const tombstones = sqliteTable('tombstones', {
  tableName: text('table_name').notNull(),
  rowId: text('row_id').notNull(),
  scope: text('scope').notNull(),
  version: integer('version').notNull(),
  /** for deleted conversations/chats: who could see them (JSON), so catch-up tells only them */
  audience: text('audience'),
}, (t) => [primaryKey({ columns: [t.tableName, t.rowId] }), index('tombstones_version').on(t.version)]);

/** Version at which a chat's member list last changed (conversations carry visibilityVersion). */
export const scopeVersions = sqliteTable('scope_versions', {
  scope: text('scope').primaryKey(),
  version: integer('version').notNull(),
}, (t) => [index('scope_versions_version').on(t.version)]);

/** Version at which a user's role or memberships last changed: older cookies of theirs get a reset. */
export const viewerVersions = sqliteTable('viewer_versions', {
  userId: text('user_id').primaryKey(),
  version: integer('version').notNull(),
});

export const meta = sqliteTable('meta', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
});

export const attachments = sqliteTable('attachments', {
  sha256: text('sha256').primaryKey(),
  mime: text('mime').notNull(),
  size: integer('size').notNull(),
  name: text('name').notNull(),
  uploadedBy: text('uploaded_by').notNull(),
  createdAt: integer('created_at').notNull(),
});

/**
 * Refusals of pushed mutations, written in the transaction that refuses them (with the client's
 * lastMutationId), so a refusal whose pushResult was lost with its connection is delivered again
 * in the next welcome (protocol 2). Forgotten when the client says it handled them
 * (hello.handledUpTo), or after the change-log retention window.
 */
export const rejectedMutations = sqliteTable('rejected_mutations', {
  clientId: text('client_id').notNull(),
  mutationId: integer('mutation_id').notNull(),
  code: text('code').notNull(),
  message: text('message').notNull(),
  /** the relay's version when it refused: pruned with the tombstones */
  version: integer('version').notNull(),
}, (t) => [primaryKey({ columns: [t.clientId, t.mutationId] }), index('rejected_mutations_version').on(t.version)]);

/**
 * Relay timers (server/timers/): one row per pending timed job — a snoozed conversation to wake,
 * a scheduled message to send. Kept in the same transaction as the row they follow (so a timer is
 * never lost or stale), polled by due_at. A due timer is claimed by one relay with a lease
 * (server/jobs/lease.ts: `owner`, `lease_until`), so several relays fire it once.
 */
export const timers = sqliteTable('timers', {
  /** `${kind}:${targetId}`: one timer per target and kind */
  id: text('id').primaryKey(),
  kind: text('kind').$type<'wake' | 'send'>().notNull(),
  targetId: text('target_id').notNull(),
  dueAt: integer('due_at').notNull(),
  /** the relay firing it now (its id), or null */
  owner: text('owner'),
  /** epoch ms after which another relay may claim it (its owner died) */
  leaseUntil: integer('lease_until'),
}, (t) => [index('timers_due').on(t.dueAt), index('timers_lease').on(t.leaseUntil)]);

/**
 * Work after commit (issue 15, server/effects/): one row per effect of a committed mutation —
 * a provider send, a payment link, a broadcast, an attachment release — written in the SAME
 * transaction as the mutation (an outbox), so no effect is lost by a crash. A relay claims a due
 * row with a lease (`owner`, `lease_until`; PostgreSQL `FOR UPDATE SKIP LOCKED`), renews it while
 * running and deletes it in the transaction of the effect's result; a row whose lease expired
 * (its relay died) is claimed by another relay. Retries keep their schedule in `attempts` and
 * `next_at`.
 */
export const jobs = sqliteTable('jobs', {
  /** `${kind}:${target}`: one job per target at a time (server/effects/jobs.ts jobIdOf) */
  id: text('id').primaryKey(),
  kind: text('kind').notNull(),
  /** the effect as JSON (shared/tx.ts ServerEffect) */
  payload: text('payload').notNull(),
  /** epoch ms when it may run (a retry's time) */
  nextAt: integer('next_at').notNull(),
  /** failed runs so far */
  attempts: integer('attempts').notNull().default(0),
  /** bumped when the same effect is committed again while the job exists: it must run again */
  seq: integer('seq').notNull().default(0),
  owner: text('owner'),
  leaseUntil: integer('lease_until'),
  lastError: text('last_error'),
  /**
   * epoch ms when a provider call of this job began (set with the lease check just before it,
   * cleared when its result is recorded): a job claimed again with it set may have been sent
   */
  attemptedAt: integer('attempted_at'),
  createdAt: integer('created_at').notNull(),
}, (t) => [index('jobs_next').on(t.nextAt), index('jobs_lease').on(t.leaseUntil)]);

/**
 * The send pace of each provider account, shared by every relay (issue 15): the next free slot
 * (epoch ms, a GCRA "theoretical arrival time"), advanced atomically by each send
 * (server/providers/rateLimiter.ts), so N relays together keep the account's rate.
 */
export const sendPace = sqliteTable('send_pace', {
  accountId: text('account_id').primaryKey(),
  nextAt: integer('next_at').notNull(),
});

/**
 * Append-only record of sensitive acts, read by the admin audit log (server/audit/). Rows of
 * mutations are inserted in the transaction of the act (a refused mutation leaves none); sign-ins,
 * provider accounts and exports are recorded by the HTTP side. Never updated; the only deletion is
 * pruning rows older than the organisation's retention. `target`: the id acted on; `targetName`:
 * how a person recognises it (a contact's name and number, a user's name — never content);
 * `details`: ids and names as JSON, never secrets or message text.
 */
export const auditLog = sqliteTable('audit_log', {
  id: text('id').primaryKey(),
  orgId: text('org_id').notNull(),
  actorId: text('actor_id').notNull(),
  action: text('action').notNull(),
  target: text('target').notNull(),
  at: integer('at').notNull(),
  targetName: text('target_name'),
  details: text('details'),
  ip: text('ip'),
}, (t) => [index('audit_log_at').on(t.at), index('audit_log_actor_at').on(t.actorId, t.at), index('audit_log_action_at').on(t.action, t.at)]);
