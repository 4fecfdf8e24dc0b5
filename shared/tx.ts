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
   * relay only; clients leave it undefined). `target`: the id acted on.
   */
  audit?(action: AuditAction, target: string): void;
}

/** What the audit log records (server/db/localSchema.ts auditLog). */
export type AuditAction = 'grantSelfAccess';

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
