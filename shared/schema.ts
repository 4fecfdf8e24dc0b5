// The synced tables: the same rows live on the relay (authoritative) and in every
// replica (the subset its user may see). Defined once here so mutators, the relay
// and the core agree on every column. Pure drizzle column builders: no Node, no DOM.
import { sqliteTable, text, integer, index } from 'drizzle-orm/sqlite-core';
import type { LabelColor } from './labelColors';
import type { BusinessHours, SlaPeriod } from './domain/sla';

export type { LabelColor } from './labelColors';

export type Role = 'admin' | 'agent';
export type Channel = 'sms' | 'whatsapp';
export type Direction = 'inbound' | 'outbound';
/** `scheduled`: a reply the relay sends at `scheduledAt` (send later); it becomes `queued` then. */
export type DeliveryStatus = 'scheduled' | 'queued' | 'sent' | 'delivered' | 'read' | 'failed';
export type ConversationStatus = 'open' | 'archived';
export type InvoiceStatus = 'draft' | 'sent' | 'paid' | 'void';
export type CheckoutStatus = 'open' | 'paid' | 'expired';
export type ChatKind = 'self' | 'direct' | 'group';
/**
 * A group's automatic assignment of new inbound conversations (round robin with capacity):
 * off, among members online, or among members online or away (issue 13).
 */
export type AutoAssignMode = 'off' | 'online' | 'online_away';
/** A saved view's filters (all optional; combined with AND). */
export interface ViewFilters {
  labelId?: string;
  /** a user id, or 'unassigned' */
  assignee?: string;
  channel?: Channel;
  groupId?: string;
  status?: 'open' | 'snoozed' | 'archived';
  unreadOnly?: boolean;
}

/** What a metadata-only conversation row says of the content it leaves out. */
export interface ConversationMetaOnly {
  invoiceOutstanding: boolean;
}
/** What a metadata-only chat row says of the messages it leaves out. */
export interface ChatMetaOnly {
  messageCount: number;
}

export interface AttachmentRef {
  /** sha256 of the content, hex: attachments are content-addressed on the relay. */
  id: string;
  name: string;
  mime: string;
  size: number;
}
export interface Location {
  lat: number;
  lng: number;
  label?: string;
}
export interface WhatsAppTemplate {
  name: string;
  language: string;
  /** text with {{1}}-style placeholders */
  body: string;
  /** provider id (Twilio ContentSid or Meta template name) */
  providerId?: string;
  /** used for payment links outside the 24-hour window: {{1}} = what is due, {{2}} = the link */
  forPayments?: boolean;
}
/** Who carries a group's channel: a real provider account, the simulator (an admin's explicit choice), or nobody (sends refused). */
export type ChannelProviderKind = 'simulator' | 'twilio' | 'whatsapp-cloud';
export type ChannelProviders = Record<Channel, ChannelProviderKind | null>;
export const NO_CHANNEL_PROVIDERS: ChannelProviders = { sms: null, whatsapp: null };
export interface LineItem {
  description: string;
  quantity: number;
  /** minor units (pence, cents) */
  unitAmount: number;
}

/** Every synced row carries `version`: the relay's global version when it last changed. */
const version = () => integer('version').notNull().default(0);

export const users = sqliteTable('users', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  email: text('email').notNull(),
  role: text('role').$type<Role>().notNull(),
  active: integer('active', { mode: 'boolean' }).notNull(),
  createdAt: integer('created_at').notNull(),
  /** false: "not accepting new conversations" (automatic assignment skips them); set by the user */
  accepting: integer('accepting', { mode: 'boolean' }).notNull().default(true),
  version: version(),
}, (t) => [index('users_version').on(t.version)]);

export const groups = sqliteTable('groups', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  smsNumber: text('sms_number'),
  whatsappNumber: text('whatsapp_number'),
  /** approved WhatsApp templates usable outside the 24-hour window */
  templates: text('templates', { mode: 'json' }).$type<WhatsAppTemplate[]>().notNull(),
  createdAt: integer('created_at').notNull(),
  /** shown on the manual payment page: how to pay this group (bank details, cash on delivery…) */
  paymentInstructions: text('payment_instructions').notNull().default(''),
  /**
   * Per channel: 'twilio' / 'whatsapp-cloud' (kept by the relay from its provider accounts),
   * 'simulator' (an admin chose it; shown as Simulated), or null (sends are refused).
   * Groups that existed before this column keep the simulator they silently used.
   */
  channelProviders: text('channel_providers', { mode: 'json' }).$type<ChannelProviders>().notNull().default({ sms: 'simulator', whatsapp: 'simulator' }),
  /** automatic assignment of new inbound conversations (admins set it) */
  autoAssign: text('auto_assign').$type<AutoAssignMode>().notNull().default('off'),
  /** automatic assignment: at most this many open conversations assigned to one member of the group */
  autoAssignCapacity: integer('auto_assign_capacity').notNull().default(5),
  /** the round-robin pointer: the member the relay assigned last (written in the same transaction) */
  autoAssignLast: text('auto_assign_last'),
  /** first-response target in business minutes (shared/domain/sla.ts); null = no SLA */
  slaFirstResponseMinutes: integer('sla_first_response_minutes'),
  /** when the group answers (time zone + per-weekday open/close); null = around the clock */
  businessHours: text('business_hours', { mode: 'json' }).$type<BusinessHours | null>(),
  /**
   * The SLA settings this group had before its current one, oldest first: each applied until its
   * `until` (setGroupSla appends one when the target or the hours change; the last
   * SLA_HISTORY_MAX kept). Reports judge a conversation by the setting in force when it arrived.
   */
  slaHistory: text('sla_history', { mode: 'json' }).$type<SlaPeriod[]>().notNull().default([]),
  version: version(),
}, (t) => [index('groups_version').on(t.version)]);

export const memberships = sqliteTable('memberships', {
  /** `${groupId}:${userId}` */
  id: text('id').primaryKey(),
  groupId: text('group_id').notNull(),
  userId: text('user_id').notNull(),
  version: version(),
}, (t) => [index('memberships_user').on(t.userId), index('memberships_group').on(t.groupId), index('memberships_version').on(t.version)]);

export const contacts = sqliteTable('contacts', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  /** E.164 */
  phone: text('phone').notNull(),
  email: text('email'),
  tags: text('tags', { mode: 'json' }).$type<string[]>().notNull(),
  notes: text('notes').notNull().default(''),
  optedOut: integer('opted_out', { mode: 'boolean' }).notNull(),
  /** Defaults for new inbound conversations: null = everyone in the group. */
  defaultVisibleTo: text('default_visible_to', { mode: 'json' }).$type<string[] | null>(),
  defaultAssignees: text('default_assignees', { mode: 'json' }).$type<string[]>().notNull(),
  createdAt: integer('created_at').notNull(),
  updatedAt: integer('updated_at').notNull(),
  version: version(),
}, (t) => [index('contacts_phone').on(t.phone), index('contacts_version').on(t.version)]);

export const conversations = sqliteTable('conversations', {
  id: text('id').primaryKey(),
  contactId: text('contact_id').notNull(),
  groupId: text('group_id').notNull(),
  /** channel of the latest message; the composer starts on it */
  channel: text('channel').$type<Channel>().notNull(),
  status: text('status').$type<ConversationStatus>().notNull(),
  /** null = every member of the group (and admins); otherwise only these user ids read it, admins included. */
  visibleTo: text('visible_to', { mode: 'json' }).$type<string[] | null>(),
  assignees: text('assignees', { mode: 'json' }).$type<string[]>().notNull(),
  createdAt: integer('created_at').notNull(),
  /** created or last unarchived: new messages route to the open conversation with the highest value */
  openedAt: integer('opened_at').notNull(),
  archivedAt: integer('archived_at'),
  lastActivityAt: integer('last_activity_at').notNull(),
  lastPreview: text('last_preview').notNull().default(''),
  lastInboundAt: integer('last_inbound_at'),
  /** snoozed (left the inboxes) while not null: who snoozed it */
  snoozedBy: text('snoozed_by'),
  /** when the relay wakes it; null while snoozed = until the contact replies */
  snoozedUntil: integer('snoozed_until'),
  /** when it last woke from a snooze (the relay's timer or a reply) */
  wokenAt: integer('woken_at'),
  /** label ids (labels table); ids of deleted labels are ignored */
  labels: text('labels', { mode: 'json' }).$type<string[]>().notNull().default([]),
  /** a new inbound conversation waiting for automatic assignment (nobody had capacity yet) */
  autoAssignWaiting: integer('auto_assign_waiting', { mode: 'boolean' }).notNull().default(false),
  /** the relay assigned it automatically: to whom and when ("Assigned to Ben automatically") */
  autoAssignedTo: text('auto_assigned_to'),
  autoAssignedAt: integer('auto_assigned_at'),
  /** relay version when group or visibleTo last changed: catch-up sends whole scopes from here */
  visibilityVersion: integer('visibility_version').notNull().default(0),
  /** who last changed visibleTo: a Manage save from an older view is stale unless that was the saver themselves */
  visibilityChangedBy: text('visibility_changed_by'),
  /**
   * null: the full row. Set only in the metadata row the relay sends someone who may not read
   * the conversation (an admin outside "Visible to"): lastPreview is blank and this says what
   * the missing content would tell (shared/scopes.ts metadataRow). Never stored on the relay.
   */
  metaOnly: text('meta_only', { mode: 'json' }).$type<ConversationMetaOnly | null>(),
  version: version(),
}, (t) => [
  index('conversations_contact_group').on(t.contactId, t.groupId, t.status),
  index('conversations_activity').on(t.status, t.lastActivityAt),
  index('conversations_group_activity').on(t.groupId, t.status, t.lastActivityAt),
  index('conversations_version').on(t.version),
  // catch-up reads conversations whose audience changed since the cookie (relay)
  index('conversations_visibility_version').on(t.visibilityVersion),
  // the relay's automatic assignment reads a group's waiting conversations after most commits
  index('conversations_auto_assign_waiting').on(t.groupId, t.autoAssignWaiting),
]);

export const messages = sqliteTable('messages', {
  id: text('id').primaryKey(),
  conversationId: text('conversation_id').notNull(),
  direction: text('direction').$type<Direction>().notNull(),
  channel: text('channel').$type<Channel>().notNull(),
  body: text('body').notNull(),
  authorId: text('author_id'),
  status: text('status').$type<DeliveryStatus>().notNull(),
  failureReason: text('failure_reason'),
  /** SMS texts this message is sent as (1 for WhatsApp) */
  segments: integer('segments').notNull().default(1),
  attachments: text('attachments', { mode: 'json' }).$type<AttachmentRef[]>().notNull(),
  location: text('location', { mode: 'json' }).$type<Location | null>(),
  templateName: text('template_name'),
  providerMessageId: text('provider_message_id'),
  broadcastId: text('broadcast_id'),
  /** `invoice:ID` or `checkout:ID` when the message carries a payment link */
  paymentRef: text('payment_ref'),
  /** send later: when the relay sends it (status `scheduled` until then) */
  scheduledAt: integer('scheduled_at'),
  createdAt: integer('created_at').notNull(),
  version: version(),
}, (t) => [index('messages_conversation').on(t.conversationId, t.createdAt), index('messages_version').on(t.version), index('messages_provider').on(t.providerMessageId)]);

export const notes = sqliteTable('notes', {
  id: text('id').primaryKey(),
  conversationId: text('conversation_id').notNull(),
  authorId: text('author_id').notNull(),
  body: text('body').notNull(),
  createdAt: integer('created_at').notNull(),
  version: version(),
}, (t) => [index('notes_conversation').on(t.conversationId), index('notes_version').on(t.version)]);

export const invoices = sqliteTable('invoices', {
  id: text('id').primaryKey(),
  conversationId: text('conversation_id').notNull(),
  number: text('number').notNull(),
  currency: text('currency').notNull(),
  lineItems: text('line_items', { mode: 'json' }).$type<LineItem[]>().notNull(),
  /** minor units */
  total: integer('total').notNull(),
  dueDate: text('due_date').notNull(),
  status: text('status').$type<InvoiceStatus>().notNull(),
  paymentUrl: text('payment_url'),
  providerRef: text('provider_ref'),
  createdBy: text('created_by').notNull(),
  createdAt: integer('created_at').notNull(),
  paidAt: integer('paid_at'),
  /** minor units given back by the payment provider; a full refund voids the invoice */
  refundedAmount: integer('refunded_amount').notNull().default(0),
  /** the provider's link expired unpaid (Stripe sessions last 24 hours): "Send a new link" */
  linkExpired: integer('link_expired', { mode: 'boolean' }).notNull().default(false),
  version: version(),
}, (t) => [index('invoices_conversation').on(t.conversationId), index('invoices_version').on(t.version)]);

export const checkouts = sqliteTable('checkouts', {
  id: text('id').primaryKey(),
  conversationId: text('conversation_id').notNull(),
  description: text('description').notNull(),
  amount: integer('amount').notNull(),
  currency: text('currency').notNull(),
  status: text('status').$type<CheckoutStatus>().notNull(),
  paymentUrl: text('payment_url'),
  providerRef: text('provider_ref'),
  createdBy: text('created_by').notNull(),
  createdAt: integer('created_at').notNull(),
  paidAt: integer('paid_at'),
  version: version(),
}, (t) => [index('checkouts_conversation').on(t.conversationId), index('checkouts_version').on(t.version)]);

export const chats = sqliteTable('chats', {
  id: text('id').primaryKey(),
  kind: text('kind').$type<ChatKind>().notNull(),
  title: text('title'),
  members: text('members', { mode: 'json' }).$type<string[]>().notNull(),
  createdBy: text('created_by').notNull(),
  createdAt: integer('created_at').notNull(),
  lastActivityAt: integer('last_activity_at').notNull(),
  lastPreview: text('last_preview').notNull().default(''),
  /** "Discuss with…": the conversation this chat is about (members who cannot see it see only that it exists) */
  conversationId: text('conversation_id'),
  /** null: the full row; set in the metadata row an admin who is not a participant receives */
  metaOnly: text('meta_only', { mode: 'json' }).$type<ChatMetaOnly | null>(),
  version: version(),
}, (t) => [index('chats_activity').on(t.lastActivityAt), index('chats_version').on(t.version)]);

export const chatMessages = sqliteTable('chat_messages', {
  id: text('id').primaryKey(),
  chatId: text('chat_id').notNull(),
  authorId: text('author_id').notNull(),
  body: text('body').notNull(),
  attachments: text('attachments', { mode: 'json' }).$type<AttachmentRef[]>().notNull(),
  createdAt: integer('created_at').notNull(),
  version: version(),
}, (t) => [index('chat_messages_chat').on(t.chatId, t.createdAt), index('chat_messages_version').on(t.version)]);

/** Per-user read marks: private to their user. id = `${userId}:${targetId}` */
export const readStates = sqliteTable('read_states', {
  id: text('id').primaryKey(),
  userId: text('user_id').notNull(),
  /** a conversation id or a chat id */
  targetId: text('target_id').notNull(),
  lastReadAt: integer('last_read_at').notNull(),
  version: version(),
}, (t) => [index('read_states_user').on(t.userId), index('read_states_version').on(t.version)]);

export const broadcasts = sqliteTable('broadcasts', {
  id: text('id').primaryKey(),
  groupId: text('group_id').notNull(),
  channel: text('channel').$type<Channel>().notNull(),
  body: text('body').notNull(),
  templateName: text('template_name'),
  createdBy: text('created_by').notNull(),
  createdAt: integer('created_at').notNull(),
  status: text('status').$type<'sending' | 'done'>().notNull(),
  total: integer('total').notNull(),
  sent: integer('sent').notNull().default(0),
  skipped: integer('skipped').notNull().default(0),
  failed: integer('failed').notNull().default(0),
  version: version(),
}, (t) => [index('broadcasts_version').on(t.version)]);

export const broadcastRecipients = sqliteTable('broadcast_recipients', {
  /** `${broadcastId}:${contactId}` */
  id: text('id').primaryKey(),
  broadcastId: text('broadcast_id').notNull(),
  groupId: text('group_id').notNull(),
  contactId: text('contact_id').notNull(),
  status: text('status').$type<'pending' | 'sent' | 'skipped' | 'failed'>().notNull(),
  reason: text('reason'),
  messageId: text('message_id'),
  version: version(),
}, (t) => [index('broadcast_recipients_broadcast').on(t.broadcastId), index('broadcast_recipients_version').on(t.version)]);

/** Conversation labels of the organisation: admins define them, anyone who sees a conversation sets them. */
export const labels = sqliteTable('labels', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  color: text('color').$type<LabelColor>().notNull(),
  createdAt: integer('created_at').notNull(),
  version: version(),
}, (t) => [index('labels_version').on(t.version)]);

/** A user's saved inbox filters (private to their user, like read marks). */
export const savedViews = sqliteTable('saved_views', {
  id: text('id').primaryKey(),
  userId: text('user_id').notNull(),
  name: text('name').notNull(),
  filters: text('filters', { mode: 'json' }).$type<ViewFilters>().notNull(),
  createdAt: integer('created_at').notNull(),
  version: version(),
}, (t) => [index('saved_views_user').on(t.userId), index('saved_views_version').on(t.version)]);
/**
 * Saved replies. Personal (ownerId set: scope `user:ownerId`, only its owner sees and edits it)
 * or shared with a group (groupId set: scope `group:groupId`, members see it, admins manage it).
 * Exactly one of ownerId / groupId is set, fixed at creation. The body holds `{{variables}}`.
 */
export const cannedResponses = sqliteTable('canned_responses', {
  id: text('id').primaryKey(),
  ownerId: text('owner_id'),
  groupId: text('group_id'),
  title: text('title').notNull(),
  body: text('body').notNull(),
  /** sent with the reply on WhatsApp only (SMS cannot carry files) */
  attachments: text('attachments', { mode: 'json' }).$type<AttachmentRef[]>().notNull(),
  createdBy: text('created_by').notNull(),
  createdAt: integer('created_at').notNull(),
  updatedAt: integer('updated_at').notNull(),
  version: version(),
}, (t) => [index('canned_responses_version').on(t.version)]);

/**
 * An @mention of a user in a note. Lives in the conversation's scope (`conv:ID`): it reaches only
 * those who may see the conversation and leaves a replica with it. id = `${noteId}:${userId}`.
 */
export const mentions = sqliteTable('mentions', {
  id: text('id').primaryKey(),
  noteId: text('note_id').notNull(),
  conversationId: text('conversation_id').notNull(),
  userId: text('user_id').notNull(),
  authorId: text('author_id').notNull(),
  createdAt: integer('created_at').notNull(),
  /** when the mentioned user opened it; null = unread */
  readAt: integer('read_at'),
  version: version(),
}, (t) => [index('mentions_conversation').on(t.conversationId), index('mentions_note').on(t.noteId), index('mentions_user').on(t.userId, t.createdAt), index('mentions_version').on(t.version)]);

/** What happened to a conversation (its timeline's quiet lines); shared/domain/activity.ts. */
export type ActivityKind =
  | 'assigned'
  | 'unassigned'
  | 'visibility'
  | 'archived'
  | 'unarchived'
  | 'snoozed'
  | 'unsnoozed'
  | 'woke'
  | 'labelled'
  | 'unlabelled'
  | 'invoiceSent'
  | 'invoicePaid'
  | 'invoiceVoided'
  | 'merged';
/** Ids only (users, labels, invoices, conversations) and times: never message content. */
export interface ActivityDetails {
  /** assigned / unassigned: who */
  userIds?: string[];
  /** visibility: the new list (null = everyone in the group), who was added and removed */
  visibleTo?: string[] | null;
  added?: string[];
  removed?: string[];
  labelId?: string;
  invoiceId?: string;
  /** snoozed: until when (null = until the contact replies) */
  until?: number | null;
  /** merged: the conversation folded into this one */
  mergedId?: string;
  /** done by a rule (auto-assignment, the payment provider) rather than by a person */
  auto?: boolean;
}

/**
 * A conversation's activity: one row per state change (assigned, visibility, archived, snoozed,
 * labelled, invoice sent/paid/voided, merged), written by the mutators in the same transaction
 * (recordActivity). Lives in the conversation's scope: it reaches exactly those who may read the
 * conversation and leaves a replica with it (metadata-only viewers never receive it).
 */
export const activities = sqliteTable('activities', {
  id: text('id').primaryKey(),
  conversationId: text('conversation_id').notNull(),
  kind: text('kind').$type<ActivityKind>().notNull(),
  /** who did it; null = the relay (a timer, the payment provider, an automatic rule) */
  actorId: text('actor_id'),
  at: integer('at').notNull(),
  details: text('details', { mode: 'json' }).$type<ActivityDetails>().notNull(),
  version: version(),
}, (t) => [index('activities_conversation').on(t.conversationId, t.at), index('activities_version').on(t.version)]);

/** Every synced table, by the name used on the wire and in Tx calls. */
export const syncedTables = {
  users,
  groups,
  memberships,
  contacts,
  conversations,
  messages,
  notes,
  invoices,
  checkouts,
  chats,
  chatMessages,
  readStates,
  broadcasts,
  broadcastRecipients,
  labels,
  savedViews,
  cannedResponses,
  mentions,
  activities,
} as const;

export type SyncedTables = typeof syncedTables;
export type TableName = keyof SyncedTables;
export type RowOf<T extends TableName> = SyncedTables[T]['$inferSelect'];
export const tableNames = Object.keys(syncedTables) as TableName[];

export type User = RowOf<'users'>;
export type Group = RowOf<'groups'>;
export type Membership = RowOf<'memberships'>;
export type Contact = RowOf<'contacts'>;
export type Conversation = RowOf<'conversations'>;
export type Message = RowOf<'messages'>;
export type Note = RowOf<'notes'>;
export type Invoice = RowOf<'invoices'>;
export type Checkout = RowOf<'checkouts'>;
export type Chat = RowOf<'chats'>;
export type ChatMessage = RowOf<'chatMessages'>;
export type ReadState = RowOf<'readStates'>;
export type Broadcast = RowOf<'broadcasts'>;
export type BroadcastRecipient = RowOf<'broadcastRecipients'>;
export type Label = RowOf<'labels'>;
export type SavedView = RowOf<'savedViews'>;
export type CannedResponse = RowOf<'cannedResponses'>;
export type Mention = RowOf<'mentions'>;
export type Activity = RowOf<'activities'>;
