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

export const inboxViewSchema = z.enum(['team', 'mine', 'archived', 'chats']);
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

/** A user as the relay returns it after `createUser` (POST /admin/users). */
export interface AdminUserView {
  id: string;
  name: string;
  email: string;
  role: Role;
}

export type ProviderKind = 'twilio' | 'whatsapp-cloud' | 'stripe';

/**
 * A provider account as the relay shows it to admins (mirrors server/providers/accountView.ts):
 * public fields, the names of the stored secrets (never their values), and the webhook URLs
 * to paste into the provider's console.
 */
export interface ProviderAccountView {
  id: string;
  kind: ProviderKind;
  groupId: string | null;
  groupName: string | null;
  channel: 'sms' | 'whatsapp' | 'payments';
  sendRatePerSecond: number;
  public: Record<string, string | number | null>;
  /** names of the stored secrets, or an error when the relay cannot open them */
  secrets: string[] | { error: string };
  webhooks: { label: string; url: string }[];
  updatedAt: number;
}

// Provider account input (mirrors server/providers/config.ts `accountInput`). Shapes only:
// the relay validates every field (SID formats, phone numbers, keys) and says what is wrong.
const providerRate = z.coerce.number().int().min(1).max(1000).optional();
const optField = z.string().max(2000).optional();
const field = z.string().max(2000);
export const providerAccountInputSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('twilio'),
    groupId: z.string().min(1).max(128),
    channel: z.enum(['sms', 'whatsapp']),
    sendRatePerSecond: providerRate,
    public: z.looseObject({ accountSid: field, number: field, messagingServiceSid: optField, apiBaseUrl: optField }),
    secrets: z.looseObject({ authToken: field }).optional(),
  }),
  z.object({
    kind: z.literal('whatsapp-cloud'),
    groupId: z.string().min(1).max(128),
    channel: z.literal('whatsapp'),
    sendRatePerSecond: providerRate,
    public: z.looseObject({ phoneNumberId: field, number: field, businessAccountId: optField, apiVersion: optField, graphBaseUrl: optField }),
    secrets: z.looseObject({ accessToken: field, appSecret: field, verifyToken: field }).optional(),
  }),
  z.object({
    kind: z.literal('stripe'),
    groupId: z.null().optional(),
    channel: z.literal('payments').optional(),
    sendRatePerSecond: providerRate,
    public: z.looseObject({ successUrl: optField, cancelUrl: optField, apiHost: optField, apiPort: z.coerce.number().int().optional(), apiProtocol: z.enum(['http', 'https']).optional() }),
    secrets: z.looseObject({ secretKey: field, webhookSecret: field }).optional(),
  }),
]);
export type ProviderAccountInput = z.input<typeof providerAccountInputSchema>;

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
  createUser: z.object({
    email: z.string().trim().email().max(254),
    name: z.string().trim().min(1).max(120),
    role: z.enum(['admin', 'agent']),
    password: z.string().min(8).max(1024),
    groupIds: z.array(z.string().min(1).max(128)).max(100).default([]),
  }),
  providerAccounts: z.object({}),
  saveProviderAccount: providerAccountInputSchema,
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
  providerAccounts: { publicUrl: string; accounts: ProviderAccountView[] };
  saveProviderAccount: ProviderAccountView;
  removeProviderAccount: null;
}

export type QueryName = keyof typeof queryArgs;
export type QueryArgs<K extends QueryName> = z.input<(typeof queryArgs)[K]>;
export type CommandName = keyof typeof commandArgs;
export type CommandArgs<K extends CommandName> = z.input<(typeof commandArgs)[K]>;

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
