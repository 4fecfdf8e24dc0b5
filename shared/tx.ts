// The one interface mutators see. The relay implements it over its database (stamping
// versions, recording changes); the core over the replica (recording undo images).
import type { Role, RowOf, TableName } from './schema';

export interface ReadTx {
  get<T extends TableName>(table: T, id: string): RowOf<T> | undefined;
  /** Equality match on the given columns (use indexed ones); JSON columns cannot be matched. */
  find<T extends TableName>(table: T, where: Partial<RowOf<T>>): RowOf<T>[];
}

export interface Tx extends ReadTx {
  /** Full-row upsert. */
  put<T extends TableName>(table: T, row: RowOf<T>): void;
  del<T extends TableName>(table: T, id: string): void;
}

/** Work the relay does after the mutation commits; clients ignore these. */
export type ServerEffect =
  | { kind: 'sendMessage'; messageId: string }
  | { kind: 'paymentLink'; invoiceId: string }
  | { kind: 'checkoutLink'; checkoutId: string }
  | { kind: 'broadcast'; broadcastId: string }
  | { kind: 'attachmentsReleased'; ids: string[] }
  | { kind: 'userDeactivated'; userId: string };

export interface MutatorContext {
  userId: string;
  role: Role;
  /** ms since epoch: the client's clock optimistically, the relay's authoritatively */
  now: number;
  side: 'client' | 'server';
  /** ids for rows the mutator creates that the args did not name (UUIDv7) */
  newId(): string;
  effect(e: ServerEffect): void;
  /**
   * Records a sensitive act in the relay's append-only audit log, in this transaction (the
   * relay only; clients leave it undefined). `target`: the id acted on; `entry`: how a person
   * recognises it and ids/names worth keeping — never secrets, never message content.
   */
  audit?(action: AuditAction, target: string, entry?: AuditEntryInfo): void;
}

/** What the audit log records (server/db/localSchema.ts auditLog, server/audit/). */
export const auditActions = [
  /** an admin added themselves to a conversation's "Visible to" and so gained its content */
  'grantSelfAccess',
  /** "Visible to" of a conversation changed (details: added, removed user ids) */
  'visibilityChanged',
  'signIn',
  'signInFailed',
  'userCreated',
  'userDeactivated',
  'userReactivated',
  'roleChanged',
  'memberAdded',
  'memberRemoved',
  'providerAccountSaved',
  'providerAccountRemoved',
  'templateSaved',
  'templateRemoved',
  'conversationDeleted',
  'chatDeleted',
  /** a CSV export (audit log, contacts) */
  'exported',
  'auditRetentionChanged',
] as const;
export type AuditAction = (typeof auditActions)[number];
/** JSON-safe details of an audit entry: ids, names, counts — never secrets or content. */
export type AuditDetails = Record<string, string | number | boolean | null | string[]>;
export interface AuditEntryInfo {
  /** how a person recognises the target (a contact's name and number, a user's name, a group's template) */
  targetName?: string;
  details?: AuditDetails;
}

export const errorCodes = [
  'forbidden',
  'not_found',
  'invalid',
  'unpaid_invoice',
  'outstanding_invoice',
  'opted_out',
  'whatsapp_window_closed',
  'sms_no_attachments',
  'assignee_not_visible',
  /** an @mention of someone who may not see the conversation */
  'mention_not_visible',
  'conflict',
  'stale',
  'internal',
] as const;
export type MutationErrorCode = (typeof errorCodes)[number];

export class MutationError extends Error {
  constructor(
    readonly code: MutationErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'MutationError';
  }
}
