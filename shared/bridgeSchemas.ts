// The shapes of what bridge queries return, as zod schemas: the single definition from which
// shared/bridge.ts infers its result types (ConversationListItem, Counts…) and with which tests
// check every query result at run time (shared/bridgeResults.ts). Rows are derived from the
// drizzle tables of schema.ts, the same definition `RowOf` is inferred from. Objects are
// strict: a result with a field the contract does not name (a leaked SQL column) fails.
// bridge.ts imports this file for types only, so the renderer bundle does not carry it.
import { getTableColumns, type Column } from 'drizzle-orm';
import { z } from 'zod';
import { args as mutationArgs, attachmentRefSchema, locationSchema, type MutationName } from './mutators/args';
import { conversationRights, type ConversationRights } from './permissions';
import { syncedTables, type RowOf, type TableName } from './schema';
import { WEEKDAYS } from './domain/sla';
import { errorCodes } from './tx';

const strings = z.array(z.string());
const providerKind = z.enum(['simulator', 'twilio', 'whatsapp-cloud']).nullable();
const businessHours = z.strictObject({ tz: z.string(), days: z.partialRecord(z.enum(WEEKDAYS), z.tuple([z.string(), z.string()])) });
/** The element types behind each `$type<…>()` JSON column, by column name. */
const jsonColumns: Record<string, z.ZodType> = {
  templates: z.array(z.strictObject({ name: z.string(), language: z.string(), body: z.string(), providerId: z.string().optional(), forPayments: z.boolean().optional() })),
  channelProviders: z.strictObject({ sms: providerKind, whatsapp: providerKind }),
  tags: strings,
  defaultVisibleTo: strings,
  defaultAssignees: strings,
  visibleTo: strings,
  assignees: strings,
  members: strings,
  attachments: z.array(attachmentRefSchema.strict()),
  location: locationSchema.strict(),
  labels: strings,
  filters: z.strictObject({
    labelId: z.string().optional(),
    assignee: z.string().optional(),
    channel: z.enum(['sms', 'whatsapp']).optional(),
    groupId: z.string().optional(),
    status: z.enum(['open', 'snoozed', 'archived']).optional(),
    unreadOnly: z.boolean().optional(),
  }),
  lineItems: z.array(z.strictObject({ description: z.string(), quantity: z.number(), unitAmount: z.number() })),
  /** activities: ActivityDetails (ids and times, never content) */
  details: z.strictObject({
    userIds: strings.optional(),
    visibleTo: strings.nullable().optional(),
    added: strings.optional(),
    removed: strings.optional(),
    labelId: z.string().optional(),
    invoiceId: z.string().optional(),
    until: z.number().nullable().optional(),
    mergedId: z.string().optional(),
    auto: z.boolean().optional(),
  }),
  /** groups: when the first-response SLA counts (shared/domain/sla.ts BusinessHours) */
  businessHours,
  /** groups: the SLA settings before the current one, oldest first (shared/domain/sla.ts SlaPeriod) */
  slaHistory: z.array(z.strictObject({ until: z.number(), minutes: z.number().int().nullable(), hours: businessHours.nullable() })),
  /** conversations: ConversationMetaOnly; chats: ChatMetaOnly (shared/scopes.ts metadataRow) */
  metaOnly: z.union([z.strictObject({ invoiceOutstanding: z.boolean() }), z.strictObject({ messageCount: z.number().int() })]),
};

function columnSchema(name: string, c: Column): z.ZodType {
  let s: z.ZodType;
  switch (c.dataType) {
    case 'string':
      s = c.enumValues?.length ? z.enum(c.enumValues as [string, ...string[]]) : z.string();
      break;
    case 'number':
      s = z.number();
      break;
    case 'boolean':
      s = z.boolean();
      break;
    case 'json': {
      const j = jsonColumns[name];
      if (!j) throw new Error(`bridgeSchemas: say what the JSON column ${name} holds`);
      s = j;
      break;
    }
    default:
      throw new Error(`bridgeSchemas: no schema for column ${name} (${c.dataType})`);
  }
  return c.notNull ? s : s.nullable();
}

const rowCache = new Map<TableName, z.ZodObject>();
function rowShape(table: TableName): z.ZodObject {
  let s = rowCache.get(table);
  if (!s) {
    const cols = getTableColumns(syncedTables[table]) as Record<string, Column>;
    s = z.strictObject(Object.fromEntries(Object.entries(cols).map(([k, c]) => [k, columnSchema(k, c)])));
    rowCache.set(table, s);
  }
  return s;
}
// The casts below are the one place where a run-time schema meets a compile-time type: the row
// schema is built from the same drizzle columns as `RowOf<T>` (enum-typed text columns check
// as strings), so it describes exactly that type.
export const rowSchema = <T extends TableName>(table: T) => rowShape(table) as unknown as z.ZodType<RowOf<T>>;
export const pendingRow = <T extends TableName>(table: T) => rowShape(table).extend({ pending: z.boolean() }) as unknown as z.ZodType<RowOf<T> & { pending: boolean }>;

const role = z.enum(['admin', 'agent']);
const channel = z.enum(['sms', 'whatsapp']);
const convStatus = z.enum(['open', 'archived']);
export const page = <T extends z.ZodType>(item: T) => z.strictObject({ total: z.number().int().nonnegative(), offset: z.number().int().nonnegative(), items: z.array(item) });

export const session = z.strictObject({
  userId: z.string(),
  name: z.string(),
  email: z.string(),
  role,
  relayUrl: z.string(),
  /** the organisation's display name, when the relay has one (additive) */
  orgName: z.string().optional(),
});
export const syncStatus = z.strictObject({
  /** `outdated`: the relay no longer serves this version of Parley (it needs an update) */
  state: z.enum(['signedOut', 'connecting', 'syncing', 'online', 'offline', 'outdated']),
  /** mutations waiting in the outbox */
  pending: z.number().int().nonnegative(),
  lastSyncedAt: z.number().nullable(),
  /** why the last connection attempt failed, in plain words */
  error: z.string().nullable(),
});
/** A relay refusal kept until the user dismisses it. */
export const failure = z.strictObject({
  /** the failure's own id: what Dismiss names (a mutation id restarts at 1 under a new client id) */
  id: z.number().int().positive(),
  /** the refused mutation's id, under the client id the replica had then */
  mutationId: z.number().int(),
  name: z.enum(Object.keys(mutationArgs) as [MutationName, ...MutationName[]]),
  args: z.unknown(),
  code: z.enum([...errorCodes, 'transport']),
  message: z.string(),
  at: z.number(),
  /** the conversation, contact or chat the mutation was about, to show it on the item */
  targetId: z.string().nullable(),
});
export const conversationListItem = z.strictObject({
  kind: z.literal('conversation'),
  id: z.string(),
  contactId: z.string(),
  contactName: z.string(),
  contactPhone: z.string(),
  groupId: z.string(),
  channel,
  status: convStatus,
  lastActivityAt: z.number(),
  lastPreview: z.string(),
  unread: z.boolean(),
  assignees: strings,
  restricted: z.boolean(),
  /** the viewer has its metadata only (an admin outside "Visible to"): no preview, no content */
  confidential: z.boolean(),
  hasUnpaidInvoice: z.boolean(),
  hasFailedSend: z.boolean(),
  /** an optimistic change is waiting to be confirmed */
  pending: z.boolean(),
  /** snoozed (left the inboxes); snoozedUntil null = until the contact replies */
  snoozed: z.boolean(),
  snoozedUntil: z.number().nullable(),
  /** label ids that still exist */
  labels: strings,
  /** replies waiting to be sent later */
  hasScheduled: z.boolean(),
  /** open, unassigned and waiting for the relay's automatic assignment (nobody had capacity yet) */
  awaitingAssignment: z.boolean(),
  /** first-response deadline (ms) while the customer waits for a reply in a group with a target; else null */
  slaDueAt: z.number().nullable(),
  /** when the customer started waiting (the first unanswered inbound message), with or without a target */
  waitingSince: z.number().nullable(),
});
export const chatListItem = z.strictObject({
  kind: z.literal('chat'),
  id: z.string(),
  chatKind: z.enum(['self', 'direct', 'group']),
  title: z.string(),
  members: strings,
  lastActivityAt: z.number(),
  lastPreview: z.string(),
  unread: z.boolean(),
  /** false for a chat an admin sees without being in it: its metadata only ("Private chat between A and B"), no messages */
  isMember: z.boolean(),
  /** how many messages a chat the viewer is not in holds (its metadata); null for the viewer's own chats */
  messageCount: z.number().int().nullable(),
  pending: z.boolean(),
});

export const inboxItem = z.discriminatedUnion('kind', [conversationListItem, chatListItem]);

export const conversationDetail = z.strictObject({
  conversation: rowSchema('conversations'),
  contact: rowSchema('contacts'),
  group: rowSchema('groups'),
  messages: z.array(pendingRow('messages')),
  notes: z.array(pendingRow('notes')),
  invoices: z.array(pendingRow('invoices')),
  checkouts: z.array(pendingRow('checkouts')),
  /** state changes (assigned, visibility, archived…), quiet lines between the messages */
  activities: z.array(pendingRow('activities')),
  failures: z.array(failure),
  /** ms when the WhatsApp 24-hour window closes; null if never opened */
  whatsappWindowClosesAt: z.number().nullable(),
  /** the relay's own predicates (shared/permissions.ts), so the UI offers only what will be accepted */
  permissions: z.strictObject(Object.fromEntries(Object.keys(conversationRights).map((k) => [k, z.boolean()]))) as unknown as z.ZodType<ConversationRights>,
  otherConversations: z.array(z.strictObject({ id: z.string(), status: convStatus, groupId: z.string(), lastActivityAt: z.number() })),
});

export const chatDetail = z.strictObject({
  chat: rowSchema('chats'),
  messages: z.array(pendingRow('chatMessages')),
  failures: z.array(failure),
  canDelete: z.boolean(),
  /** group chats: add people and rename (members), remove others (the creator), leave */
  canEdit: z.boolean(),
  canRemoveMembers: z.boolean(),
  canLeave: z.boolean(),
  /** "Discuss with…": the conversation it is about; title null when this user cannot see it */
  about: z.strictObject({ conversationId: z.string(), title: z.string().nullable() }).nullable(),
});

/** A note that @mentions me (only notes of conversations I see are in my replica). */
export const mentionItem = z.strictObject({
  id: z.string(),
  noteId: z.string(),
  conversationId: z.string(),
  contactName: z.string(),
  authorId: z.string(),
  authorName: z.string(),
  body: z.string(),
  createdAt: z.number(),
  unread: z.boolean(),
});

export const searchHit = z.strictObject({
  kind: z.enum(['contact', 'message', 'note', 'chatMessage']),
  id: z.string(),
  /** conversation to open for message and note hits, chat for team-chat hits, contact id for contacts */
  targetId: z.string(),
  title: z.string(),
  /** text around the match; the match is wrapped in \u0002…\u0003 */
  snippet: z.string(),
  at: z.number(),
});

export const directory = z.strictObject({ users: z.array(rowSchema('users')), groups: z.array(rowSchema('groups')), memberships: z.array(rowSchema('memberships')) });

export const counts = z.strictObject({
  /** unread in My inbox (assigned conversations + chats) */
  mine: z.number().int(),
  /** unread per group in the Team inbox */
  team: z.record(z.string(), z.number().int()),
  teamAll: z.number().int(),
  chats: z.number().int(),
  archived: z.number().int(),
  /** unread @mentions of me */
  mentions: z.number().int(),
  /** snoozed conversations the user sees (all of them, not only unread) */
  snoozed: z.number().int(),
});

export const savedViewItem = z.strictObject({
  view: rowSchema('savedViews'),
  /** conversations matching it */
  total: z.number().int().nonnegative(),
  unread: z.number().int().nonnegative(),
});

export const contactWithConversations = z.strictObject({ contact: rowSchema('contacts'), conversations: z.array(conversationListItem) });

export const broadcastWithRecipients = z.strictObject({
  broadcast: rowSchema('broadcasts'),
  recipients: z.array(rowShape('broadcastRecipients').extend({ contactName: z.string() }) as unknown as z.ZodType<RowOf<'broadcastRecipients'> & { contactName: string }>),
});

// Reports (electron/core/bridge/reportQueries.ts): figures over the replica, so they only ever
// count what this user holds. Durations in ms; `null` when there is nothing to measure.
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const count = z.number().int().nonnegative();
export const durationStats = z.strictObject({ count, medianMs: z.number().nonnegative().nullable(), p90Ms: z.number().nonnegative().nullable() });
const statRow = durationStats.extend({ id: z.string(), name: z.string() });
const statBreakdown = z.strictObject({ overall: durationStats, byGroup: z.array(statRow), byAgent: z.array(statRow) });
export const reportVolume = z.strictObject({
  days: z.array(z.strictObject({ day, opened: count, archived: count })),
  totals: z.strictObject({ opened: count, archived: count }),
});
export const reportTimes = z.strictObject({
  firstResponse: statBreakdown.extend({ unanswered: count }),
  resolution: statBreakdown,
});
export const reportChannels = z.strictObject({
  days: z.array(z.strictObject({ day, sms: count, whatsapp: count })),
  totals: z.array(z.strictObject({ channel: z.enum(['sms', 'whatsapp']), inbound: count, outbound: count })),
});
export const reportHours = z.strictObject({
  /** 7 rows (Monday first) of 24 hourly counts of inbound messages, local time */
  cells: z.array(z.array(count).length(24)).length(7),
  total: count,
  max: count,
});
/** First-response SLA: conversations answered within their group's target, missed, and still running. */
const slaCounts = z.strictObject({ met: count, missed: count, pending: count, /** met / (met + missed); null when none is decided */ share: z.number().min(0).max(1).nullable() });
export const reportSla = z.strictObject({
  overall: slaCounts,
  /**
   * each group with a target in force at some time in the range; `targets`: those targets in
   * minutes, oldest first (more than one when an admin changed it during the range). Each
   * conversation is judged by the target in force when its customer first wrote.
   */
  byGroup: z.array(slaCounts.extend({ id: z.string(), name: z.string(), targets: z.array(count).min(1) })),
  /** by who replied first (a missed conversation nobody answered has no one) */
  byAgent: z.array(slaCounts.extend({ id: z.string(), name: z.string() })),
});
const backlogCounts = z.strictObject({ open: count, unassigned: count, waitingOnUs: count });
export const reportBacklog = backlogCounts.extend({
  /** when the longest-waiting conversation's customer last wrote */
  oldestWaitingSince: z.number().nullable(),
  byGroup: z.array(backlogCounts.extend({ id: z.string(), name: z.string() })),
});
