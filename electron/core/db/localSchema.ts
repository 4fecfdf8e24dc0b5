// Client-only tables of the replica: session meta, the outbox, the undo log of
// optimistic effects, relay refusals, and index tables the inbox queries need.
import { sqliteTable, text, integer, index, primaryKey, uniqueIndex } from 'drizzle-orm/sqlite-core';

/** One row (id = 1): who this replica belongs to and where sync stands. */
export const meta = sqliteTable('meta', {
  id: integer('id').primaryKey(),
  clientId: text('client_id').notNull(),
  userId: text('user_id').notNull(),
  relayUrl: text('relay_url').notNull(),
  role: text('role').notNull().default('agent'),
  /** relay version the replica reflects; null = empty replica */
  cookie: integer('cookie'),
  nextMutationId: integer('next_mutation_id').notNull().default(1),
  lastSyncedAt: integer('last_synced_at'),
  /**
   * Tables the relay sent that this build did not know (JSON array; protocol 2 clients skip
   * them). A later build that knows one of them refetches everything once (see Replica.open).
   */
  skippedTables: text('skipped_tables'),
});

/** Mutations applied locally and not yet acknowledged by the relay, in id order. */
export const outbox = sqliteTable('outbox', {
  id: integer('id').primaryKey(),
  name: text('name').notNull(),
  args: text('args', { mode: 'json' }).notNull(),
  createdAt: integer('created_at').notNull(),
});

/** Before-images of rows written by pending mutations: undone (reverse seq) before every poke. */
export const undoLog = sqliteTable('undo_log', {
  seq: integer('seq').primaryKey({ autoIncrement: true }),
  mutationId: integer('mutation_id').notNull(),
  tbl: text('tbl').notNull(),
  rowId: text('row_id').notNull(),
  before: text('before', { mode: 'json' }),
}, (t) => [index('undo_log_row').on(t.tbl, t.rowId), index('undo_log_mutation').on(t.mutationId)]);

/**
 * Relay refusals, kept until the user dismisses them. A failure is named by its own `id`:
 * mutation ids restart at 1 under a new client id (Engine.becomeNewClient), so a mutation id
 * alone may name two refusals. AUTOINCREMENT: an id is never given again, even after the row
 * is deleted, so a dismiss naming an old id never reaches a newer failure. (client_id,
 * mutation_id) is unique: a refusal recorded again (welcome.rejected repeats a pushResult)
 * updates its row.
 */
export const failures = sqliteTable('failures', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  clientId: text('client_id').notNull(),
  mutationId: integer('mutation_id').notNull(),
  name: text('name').notNull(),
  args: text('args', { mode: 'json' }),
  code: text('code').notNull(),
  message: text('message').notNull(),
  at: integer('at').notNull(),
  targetId: text('target_id'),
  dismissed: integer('dismissed', { mode: 'boolean' }).notNull().default(false),
}, (t) => [uniqueIndex('failures_client_mutation').on(t.clientId, t.mutationId), index('failures_target').on(t.targetId)]);

/** conversations.assignees exploded (kept by triggers): My inbox without scanning JSON. */
export const conversationAssignees = sqliteTable('conversation_assignees', {
  userId: text('user_id').notNull(),
  conversationId: text('conversation_id').notNull(),
}, (t) => [primaryKey({ columns: [t.userId, t.conversationId] }), index('conversation_assignees_conv').on(t.conversationId)]);

/** chats.members exploded (kept by triggers). */
export const chatMembers = sqliteTable('chat_members', {
  userId: text('user_id').notNull(),
  chatId: text('chat_id').notNull(),
}, (t) => [primaryKey({ columns: [t.userId, t.chatId] }), index('chat_members_chat').on(t.chatId)]);

/** conversations.labels exploded (kept by triggers): the label filter without scanning JSON. */
export const conversationLabels = sqliteTable('conversation_labels', {
  labelId: text('label_id').notNull(),
  conversationId: text('conversation_id').notNull(),
}, (t) => [primaryKey({ columns: [t.labelId, t.conversationId] }), index('conversation_labels_conv').on(t.conversationId)]);

/**
 * Secondary indexes dropped for a full fetch (inserting into them row by row cost more than
 * building them once afterwards), with their exact CREATE statement: recreated verbatim when the
 * fetch ends (Replica.restoreIndexes), or when the replica is opened after an interrupted fetch.
 */
export const deferredIndexes = sqliteTable('deferred_indexes', {
  name: text('name').primaryKey(),
  sql: text('sql').notNull(),
});

export const localTables = { meta, outbox, undoLog, failures, conversationAssignees, chatMembers, conversationLabels, deferredIndexes } as const;
