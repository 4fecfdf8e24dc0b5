import { presenceUpFrame, type PresenceUser } from './protocol/presence';
// The bridge: the only API between the renderer and the core. Electron exposes it
// through the preload (IPC); the browser host over a local WebSocket. The renderer
// cannot tell which. Query/command args are zod-checked on the core side.
import { z } from 'zod';
import type { AttachmentRef, Broadcast, CannedResponse, Contact, Label, TableName } from './schema';
import type * as S from './bridgeSchemas';
import type { MutationArgs, MutationName } from './mutators/args';
import type { MutationErrorCode } from './tx';
import {
  auditFilters, auditRetention, auditSearchRequest, createUserRequest, providerAccountInput,
  type AdminUserView, type AuditExport, type AuditPage, type AuditRetention, type FetchedTemplates, type ProviderAccountList, type ProviderAccountView,
} from './http';

// The result shapes are zod schemas in bridgeSchemas.ts (imported for types only): one
// definition for these types and for the run-time check of every query result in tests.
export type Session = z.infer<typeof S.session>;
export type SyncStatus = z.infer<typeof S.syncStatus>;
/** `outdated`: the relay no longer serves this version of Parley (it needs an update). */
export type SyncState = SyncStatus['state'];
/** A relay refusal kept until the user dismisses it. */
export type Failure = z.infer<typeof S.failure>;
export type ConversationListItem = z.infer<typeof S.conversationListItem>;
export type ChatListItem = z.infer<typeof S.chatListItem>;
export type InboxItem = ConversationListItem | ChatListItem;

export interface Page<T> {
  total: number;
  offset: number;
  items: T[];
}

export type Pending<T> = T & { pending: boolean };

export type ConversationDetail = z.infer<typeof S.conversationDetail>;
export type ChatDetail = z.infer<typeof S.chatDetail>;
export type SearchHit = z.infer<typeof S.searchHit>;
export type Directory = z.infer<typeof S.directory>;
export type Counts = z.infer<typeof S.counts>;
export type SavedViewItem = z.infer<typeof S.savedViewItem>;
export type MentionItem = z.infer<typeof S.mentionItem>;
export type DurationStats = z.infer<typeof S.durationStats>;
export type ReportVolume = z.infer<typeof S.reportVolume>;
export type ReportTimes = z.infer<typeof S.reportTimes>;
export type ReportChannels = z.infer<typeof S.reportChannels>;
export type ReportHours = z.infer<typeof S.reportHours>;
export type ReportBacklog = z.infer<typeof S.reportBacklog>;
export type ReportSla = z.infer<typeof S.reportSla>;

export const inboxViewSchema = z.enum(['team', 'mine', 'snoozed', 'archived', 'chats']);
export type InboxViewName = z.infer<typeof inboxViewSchema>;
/** The views that list conversations (and, for My inbox, chats); `chats` is the team chat screen. */
export type ConversationViewName = Exclude<InboxViewName, 'chats'>;
/** The longest range a report covers (a year and a bit: the picker offers up to 90 days and custom ranges). */
export const REPORT_MAX_RANGE_MS = 400 * 86_400_000;
/**
 * A report's period: [from, to) in ms since the epoch, and the viewer's offset from UTC in
 * minutes (local = UTC + offset; -Date#getTimezoneOffset()) so days and hours are the viewer's.
 */
export const reportRangeArgs = z
  .object({
    from: z.number().int().min(0),
    to: z.number().int().min(0),
    tzOffsetMinutes: z.number().int().min(-14 * 60).max(14 * 60).default(0),
  })
  .refine((r) => r.to > r.from, { message: 'The end of the period must come after its start' })
  .refine((r) => r.to - r.from <= REPORT_MAX_RANGE_MS, { message: 'A report covers at most 400 days' });
const pageArgs = { offset: z.number().int().min(0).default(0), limit: z.number().int().min(1).max(500).default(100) };

export const queryArgs = {
  session: z.object({}),
  syncStatus: z.object({}),
  directory: z.object({}),
  counts: z.object({}),
  inbox: z.object({
    view: inboxViewSchema,
    groupId: z.string().nullable().optional(),
    unreadOnly: z.boolean().optional(),
    /** filters (the filter bar, saved views): a label id; a user id or 'unassigned'; a channel */
    labelId: z.string().max(128).optional(),
    assignee: z.string().max(128).optional(),
    channel: z.enum(['sms', 'whatsapp']).optional(),
    /** 'sla': waiting conversations with a first-response target first, the closest deadline first; then the rest by activity */
    sort: z.enum(['activity', 'sla']).optional(),
    ...pageArgs,
  }),
  /** the organisation's labels, by name */
  labels: z.object({}),
  /** the signed-in user's saved views, each with its counts */
  savedViews: z.object({}),
  conversation: z.object({ id: z.string().min(1) }),
  contacts: z.object({ search: z.string().max(200).optional(), tag: z.string().max(40).optional(), ...pageArgs }),
  contact: z.object({ id: z.string().min(1) }),
  tags: z.object({}),
  chat: z.object({ id: z.string().min(1) }),
  /** the existing chat with yourself or a direct chat with these members (the caller included), if any */
  chatWith: z.object({ members: z.array(z.string().min(1).max(128)).max(2) }),
  search: z.object({ q: z.string().max(200), limit: z.number().int().min(1).max(100).default(30) }),
  failures: z.object({}),
  broadcasts: z.object({}),
  broadcast: z.object({ id: z.string().min(1) }),
  /** other users' presence (issue 13): ephemeral, from the relay, never in the replica */
  presence: z.object({}),
  /** saved replies I may use: my personal ones and the shared ones of `groupId` (every visible group when omitted) */
  cannedResponses: z.object({ groupId: z.string().min(1).optional() }),
  /** notes that @mention me, newest first */
  mentions: z.object({ unreadOnly: z.boolean().optional(), ...pageArgs }),
  reportVolume: reportRangeArgs,
  reportTimes: reportRangeArgs,
  reportChannels: reportRangeArgs,
  reportHours: reportRangeArgs,
  /** first-response SLA: share answered within the group's target, for conversations whose customer first wrote in the period */
  reportSla: reportRangeArgs,
  /** now, not a period: what is open and waiting */
  reportBacklog: z.object({}),
} as const;

const convTables = ['conversations', 'messages', 'notes', 'invoices', 'checkouts', 'contacts', 'readStates', 'activities'] as const satisfies readonly TableName[];

/**
 * Which synced tables each query reads: a `changed` event naming one of them refetches the
 * query (renderer/src/lib/queries.logic.ts). Every query must say; `null` = it follows its own
 * event (`session`, `sync`). `failures` (relay refusals) also follows every change.
 */
export const queryReads = {
  session: null,
  syncStatus: null,
  directory: ['users', 'groups', 'memberships'],
  counts: ['conversations', 'messages', 'readStates', 'chats', 'chatMessages', 'memberships', 'notes', 'mentions'],
  inbox: [...convTables, 'chats', 'chatMessages', 'memberships', 'users', 'labels', 'groups'],
  labels: ['labels'],
  savedViews: ['savedViews', 'conversations', 'readStates', 'messages', 'labels'],
  conversation: [...convTables, 'groups', 'users', 'memberships', 'labels'],
  contacts: ['contacts'],
  contact: ['contacts', 'conversations', 'messages', 'readStates'],
  tags: ['contacts'],
  chat: ['chats', 'chatMessages', 'users', 'conversations', 'contacts'],
  chatWith: ['chats'],
  search: ['contacts', 'messages', 'notes', 'conversations', 'chats', 'chatMessages'],
  failures: [],
  broadcasts: ['broadcasts', 'broadcastRecipients'],
  broadcast: ['broadcasts', 'broadcastRecipients', 'contacts'],
  presence: [],
  cannedResponses: ['cannedResponses'],
  mentions: ['mentions', 'notes', 'conversations', 'contacts', 'users'],
  reportVolume: ['conversations'],
  reportTimes: ['conversations', 'messages', 'users', 'groups'],
  reportChannels: ['messages'],
  reportHours: ['messages'],
  reportSla: ['conversations', 'messages', 'users', 'groups'],
  reportBacklog: ['conversations', 'groups'],
} as const satisfies Record<QueryName, readonly TableName[] | null>;

export interface QueryResults {
  session: Session | null;
  syncStatus: SyncStatus;
  directory: Directory;
  counts: Counts;
  inbox: Page<InboxItem>;
  labels: Label[];
  savedViews: SavedViewItem[];
  conversation: ConversationDetail | null;
  contacts: Page<Contact>;
  contact: z.infer<typeof S.contactWithConversations> | null;
  tags: string[];
  chat: ChatDetail | null;
  chatWith: string | null;
  search: SearchHit[];
  failures: Failure[];
  broadcasts: Broadcast[];
  broadcast: z.infer<typeof S.broadcastWithRecipients> | null;
  presence: PresenceUser[];
  cannedResponses: CannedResponse[];
  mentions: Page<MentionItem> & { unread: number };
  reportVolume: ReportVolume;
  reportTimes: ReportTimes;
  reportChannels: ReportChannels;
  reportHours: ReportHours;
  reportSla: ReportSla;
  reportBacklog: ReportBacklog;
}

export const commandArgs = {
  signIn: z.object({ relayUrl: z.string().url(), email: z.string().email(), password: z.string().min(1).max(500) }),
  signOut: z.object({}),
  /** `id`: the failure's own (Failure.id), not its mutation id */
  dismissFailure: z.object({ id: z.number().int().positive() }),
  /** bytes as base64; the core uploads to the relay and returns the content-addressed ref */
  uploadAttachment: z.object({ name: z.string().min(1).max(255), mime: z.string().min(1).max(127), dataBase64: z.string().max(30_000_000) }),
  attachmentData: z.object({ id: z.string().regex(/^[0-9a-f]{64}$/) }),
  /** what an import would do with every line: new / matches an existing contact / invalid; writes nothing */
  previewContactsCsv: z.object({ csv: z.string().max(20_000_000) }),
  /** onMatch: for lines whose phone belongs to a contact (update its fields, keep it as it is, skip the line); choices per line override it */
  importContactsCsv: z.object({
    csv: z.string().max(20_000_000),
    onMatch: z.enum(['update', 'keep', 'skip']).default('keep'),
    choices: z.record(z.string().regex(/^\d+$/), z.enum(['update', 'keep', 'skip'])).default({}),
  }),
  exportContactsCsv: z.object({}),
  // Admin commands: straight to the relay's admin HTTP API (they need a connection).
  createUser: createUserRequest.extend({ groupIds: createUserRequest.shape.groupIds.unwrap().default([]) }),
  providerAccounts: z.object({}),
  saveProviderAccount: providerAccountInput,
  removeProviderAccount: z.object({ id: z.string().min(1).max(128) }),
  /** this device's presence: status (away by hand or idle), the conversation open, replying there */
  setPresence: presenceUpFrame.omit({ type: true }),
  /** "Fetch approved templates" from the group's WhatsApp provider (adds or updates them by name) */
  fetchTemplates: z.object({ groupId: z.string().min(1).max(128) }),
  /** the organisation's audit log (admins; relay only, never in the replica): a page, newest first */
  auditLog: auditSearchRequest,
  /** the filtered audit log as CSV (the relay records the export) */
  exportAuditLog: auditFilters,
  auditRetention: z.object({}),
  setAuditRetention: auditRetention,
} as const;

export interface ImportPreviewRow {
  line: number;
  status: 'new' | 'match' | 'invalid';
  name: string;
  phone: string;
  email: string | null;
  tags: string[];
  reason: string | null;
  existing: { id: string; name: string; email: string | null; tags: string[] } | null;
  /** for a match: the existing contact's fields this line would change ("name (Daisy Ward → Dup Of Daisy)") */
  differences: string[];
}
export interface ImportOutcomeRow {
  line: number;
  name: string;
  phone: string;
  outcome: 'created' | 'updated' | 'kept' | 'skipped' | 'invalid' | 'refused';
  reason: string | null;
}

export interface CommandResults {
  signIn: Session;
  signOut: null;
  dismissFailure: null;
  uploadAttachment: AttachmentRef;
  attachmentData: { mime: string; dataBase64: string };
  previewContactsCsv: { rows: ImportPreviewRow[] };
  /** rows: what happened to every line of the file */
  importContactsCsv: { imported: number; errors: { line: number; message: string }[]; rows: ImportOutcomeRow[] };
  exportContactsCsv: { csv: string; count: number };
  createUser: AdminUserView;
  providerAccounts: ProviderAccountList;
  saveProviderAccount: ProviderAccountView;
  removeProviderAccount: null;
  setPresence: null;
  fetchTemplates: FetchedTemplates;
  auditLog: AuditPage;
  exportAuditLog: AuditExport;
  auditRetention: AuditRetention;
  setAuditRetention: AuditRetention & { pruned: number };
}

export type QueryName = keyof typeof queryArgs;
export type QueryArgs<K extends QueryName> = z.input<(typeof queryArgs)[K]>;
export type CommandName = keyof typeof commandArgs;
export type CommandArgs<K extends CommandName> = z.input<(typeof commandArgs)[K]>;
/** What a handler receives: the arguments after their schema parsed them (defaults applied). */
export type ParsedQueryArgs<K extends QueryName> = z.output<(typeof queryArgs)[K]>;
export type ParsedCommandArgs<K extends CommandName> = z.output<(typeof commandArgs)[K]>;

/**
 * The core implements the Bridge as two handler maps keyed by the contract's names: a missing
 * handler, an extra one, or one whose arguments or result differ from the contract does not
 * compile (electron/core/bridge/queries.ts, commands.ts).
 */
export type QueryHandlers<Env> = { [K in QueryName]: (env: Env, args: ParsedQueryArgs<K>) => QueryResults[K] };
export type CommandHandlers<Env> = { [K in CommandName]: (env: Env, args: ParsedCommandArgs<K>) => Promise<CommandResults[K]> };

export type MutateResult = { ok: true; mutationId: number } | { ok: false; code: MutationErrorCode; message: string };

/** Thrown across the bridge as a plain object: `{ bridgeError: true, code, message }`. */
export interface BridgeErrorShape {
  bridgeError: true;
  code: string;
  message: string;
}

export type BridgeEvent =
  | { type: 'changed'; tables: TableName[]; ids: string[] }
  | { type: 'sync'; status: SyncStatus }
  /** other users' presence changed (issue 13): the whole list, as the `presence` query answers */
  | { type: 'presence'; users: PresenceUser[] }
  | { type: 'notify'; title: string; body: string; target: { kind: 'conversation' | 'chat'; id: string; noteId?: string } }
  | { type: 'session'; session: Session | null }
  /** from the shell (deep link parley://conversation/ID, click on a notification): open this item */
  | { type: 'navigate'; target: { kind: 'conversation' | 'chat'; id: string } };

export interface Bridge {
  query<K extends QueryName>(name: K, args: QueryArgs<K>): Promise<QueryResults[K]>;
  command<K extends CommandName>(name: K, args: CommandArgs<K>): Promise<CommandResults[K]>;
  mutate<N extends MutationName>(name: N, args: MutationArgs<N>): Promise<MutateResult>;
  subscribe(listener: (e: BridgeEvent) => void): () => void;
}
