// The bridge: the only API between the renderer and the core. Electron exposes it
// through the preload (IPC); the browser host over a local WebSocket. The renderer
// cannot tell which. Query/command args are zod-checked on the core side.
import { z } from 'zod';
import type {
  Broadcast, BroadcastRecipient, Channel, Chat, ChatMessage, Checkout, Contact, Conversation, Group, Invoice,
  Membership, Message, Note, Role, TableName, User, AttachmentRef,
} from './schema';
import type { MutationArgs, MutationName } from './mutators/args';
import type { MutationErrorCode } from './tx';
import { createUserRequest, providerAccountInput, type AdminUserView, type ProviderAccountList, type ProviderAccountView } from './http';

/** `outdated`: the relay no longer serves this version of Parley (it needs an update). */
export type SyncState = 'signedOut' | 'connecting' | 'syncing' | 'online' | 'offline' | 'outdated';

export interface Session {
  userId: string;
  name: string;
  email: string;
  role: Role;
  relayUrl: string;
  /** the organisation's display name, when the relay has one (additive) */
  orgName?: string;
}

export interface SyncStatus {
  state: SyncState;
  /** mutations waiting in the outbox */
  pending: number;
  lastSyncedAt: number | null;
  /** why the last connection attempt failed, in plain words */
  error: string | null;
}

/** A relay refusal kept until the user dismisses it. */
export interface Failure {
  mutationId: number;
  name: MutationName;
  args: unknown;
  code: MutationErrorCode | 'transport';
  message: string;
  at: number;
  /** the conversation, contact or chat the mutation was about, to show it on the item */
  targetId: string | null;
}

export interface ConversationListItem {
  kind: 'conversation';
  id: string;
  contactId: string;
  contactName: string;
  contactPhone: string;
  groupId: string;
  channel: Channel;
  status: Conversation['status'];
  lastActivityAt: number;
  lastPreview: string;
  unread: boolean;
  assignees: string[];
  restricted: boolean;
  hasUnpaidInvoice: boolean;
  hasFailedSend: boolean;
  /** an optimistic change is waiting to be confirmed */
  pending: boolean;
}

export interface ChatListItem {
  kind: 'chat';
  id: string;
  chatKind: Chat['kind'];
  title: string;
  members: string[];
  lastActivityAt: number;
  lastPreview: string;
  unread: boolean;
  /** false for a chat an admin sees without being in it: show "You are not in this chat", no composer */
  isMember: boolean;
  pending: boolean;
}

export type InboxItem = ConversationListItem | ChatListItem;

export interface Page<T> {
  total: number;
  offset: number;
  items: T[];
}

export type Pending<T> = T & { pending: boolean };

export interface ConversationDetail {
  conversation: Conversation;
  contact: Contact;
  group: Group;
  messages: Pending<Message>[];
  notes: Pending<Note>[];
  invoices: Pending<Invoice>[];
  checkouts: Pending<Checkout>[];
  failures: Failure[];
  /** ms when the WhatsApp 24-hour window closes; null if never opened */
  whatsappWindowClosesAt: number | null;
  permissions: { canManage: boolean; canArchive: boolean; canDelete: boolean; canMarkPaid: boolean };
  otherConversations: { id: string; status: Conversation['status']; groupId: string; lastActivityAt: number }[];
}

export interface ChatDetail {
  chat: Chat;
  messages: Pending<ChatMessage>[];
  failures: Failure[];
  canDelete: boolean;
}

export interface SearchHit {
  kind: 'contact' | 'message' | 'note';
  id: string;
  /** conversation to open for message and note hits, contact id for contacts */
  targetId: string;
  title: string;
  /** text around the match; the match is wrapped in \u0002…\u0003 */
  snippet: string;
  at: number;
}

export interface Directory {
  users: User[];
  groups: Group[];
  memberships: Membership[];
}

export interface Counts {
  /** unread in My inbox (assigned conversations + chats) */
  mine: number;
  /** unread per group in the Team inbox */
  team: Record<string, number>;
  teamAll: number;
  chats: number;
  archived: number;
}

/** The inbox views, defined once: the query's argument, the sidebar's targets, the list's empty texts. */
export const inboxViewSchema = z.enum(['team', 'mine', 'archived', 'chats']);
export type InboxViewName = z.infer<typeof inboxViewSchema>;
/** The views that list conversations (and, for My inbox, chats); `chats` is the team chat screen. */
export type ConversationViewName = Exclude<InboxViewName, 'chats'>;
const pageArgs = { offset: z.number().int().min(0).default(0), limit: z.number().int().min(1).max(500).default(100) };

export const queryArgs = {
  session: z.object({}),
  syncStatus: z.object({}),
  directory: z.object({}),
  counts: z.object({}),
  inbox: z.object({ view: inboxViewSchema, groupId: z.string().nullable().optional(), unreadOnly: z.boolean().optional(), ...pageArgs }),
  conversation: z.object({ id: z.string().min(1) }),
  contacts: z.object({ search: z.string().max(200).optional(), tag: z.string().max(40).optional(), ...pageArgs }),
  contact: z.object({ id: z.string().min(1) }),
  tags: z.object({}),
  chat: z.object({ id: z.string().min(1) }),
  search: z.object({ q: z.string().max(200), limit: z.number().int().min(1).max(100).default(30) }),
  failures: z.object({}),
  broadcasts: z.object({}),
  broadcast: z.object({ id: z.string().min(1) }),
} as const;

const convTables = ['conversations', 'messages', 'notes', 'invoices', 'checkouts', 'contacts', 'readStates'] as const satisfies readonly TableName[];

/**
 * Which synced tables each query reads: a `changed` event naming one of them refetches the
 * query (renderer/src/lib/queries.logic.ts). Every query must say; `null` = it follows its own
 * event (`session`, `sync`). `failures` (relay refusals) also follows every change.
 */
export const queryReads = {
  session: null,
  syncStatus: null,
  directory: ['users', 'groups', 'memberships'],
  counts: ['conversations', 'messages', 'readStates', 'chats', 'chatMessages', 'memberships', 'notes'],
  inbox: [...convTables, 'chats', 'chatMessages', 'memberships', 'users'],
  conversation: [...convTables, 'groups', 'users', 'memberships'],
  contacts: ['contacts'],
  contact: ['contacts', 'conversations', 'messages', 'readStates'],
  tags: ['contacts'],
  chat: ['chats', 'chatMessages', 'users'],
  search: ['contacts', 'messages', 'notes', 'conversations'],
  failures: [],
  broadcasts: ['broadcasts', 'broadcastRecipients'],
  broadcast: ['broadcasts', 'broadcastRecipients', 'contacts'],
} as const satisfies Record<QueryName, readonly TableName[] | null>;

export interface QueryResults {
  session: Session | null;
  syncStatus: SyncStatus;
  directory: Directory;
  counts: Counts;
  inbox: Page<InboxItem>;
  conversation: ConversationDetail | null;
  contacts: Page<Contact>;
  contact: { contact: Contact; conversations: ConversationListItem[] } | null;
  tags: string[];
  chat: ChatDetail | null;
  search: SearchHit[];
  failures: Failure[];
  broadcasts: Broadcast[];
  broadcast: { broadcast: Broadcast; recipients: (BroadcastRecipient & { contactName: string })[] } | null;
}

export const commandArgs = {
  signIn: z.object({ relayUrl: z.string().url(), email: z.string().email(), password: z.string().min(1).max(500) }),
  signOut: z.object({}),
  dismissFailure: z.object({ mutationId: z.number().int().positive() }),
  /** bytes as base64; the core uploads to the relay and returns the content-addressed ref */
  uploadAttachment: z.object({ name: z.string().min(1).max(255), mime: z.string().min(1).max(127), dataBase64: z.string().max(30_000_000) }),
  attachmentData: z.object({ id: z.string().regex(/^[0-9a-f]{64}$/) }),
  importContactsCsv: z.object({ csv: z.string().max(20_000_000) }),
  exportContactsCsv: z.object({}),
  // Admin commands: straight to the relay's admin HTTP API (they need a connection).
  createUser: createUserRequest.extend({ groupIds: createUserRequest.shape.groupIds.unwrap().default([]) }),
  providerAccounts: z.object({}),
  saveProviderAccount: providerAccountInput,
  removeProviderAccount: z.object({ id: z.string().min(1).max(128) }),
} as const;

export interface CommandResults {
  signIn: Session;
  signOut: null;
  dismissFailure: null;
  uploadAttachment: AttachmentRef;
  attachmentData: { mime: string; dataBase64: string };
  importContactsCsv: { imported: number; errors: { line: number; message: string }[] };
  exportContactsCsv: { csv: string; count: number };
  createUser: AdminUserView;
  providerAccounts: ProviderAccountList;
  saveProviderAccount: ProviderAccountView;
  removeProviderAccount: null;
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
  | { type: 'notify'; title: string; body: string; target: { kind: 'conversation' | 'chat'; id: string } }
  | { type: 'session'; session: Session | null }
  /** from the shell (deep link parley://conversation/ID, click on a notification): open this item */
  | { type: 'navigate'; target: { kind: 'conversation' | 'chat'; id: string } };

export interface Bridge {
  query<K extends QueryName>(name: K, args: QueryArgs<K>): Promise<QueryResults[K]>;
  command<K extends CommandName>(name: K, args: CommandArgs<K>): Promise<CommandResults[K]>;
  mutate<N extends MutationName>(name: N, args: MutationArgs<N>): Promise<MutateResult>;
  subscribe(listener: (e: BridgeEvent) => void): () => void;
}
