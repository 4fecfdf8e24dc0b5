// What one committed transaction changed, kept for poke fan-out.
import type { Role, RowOf, TableName } from '../../shared/schema';
import type { Scope } from '../../shared/scopes';

/** Who may see a conversation or a chat: what visibility predicates need. */
export type Audience = { kind: 'conv'; groupId: string; visibleTo: string[] | null } | { kind: 'chat'; members: string[] };

export interface RowChange {
  t: TableName;
  id: string;
  scope: Scope;
  row: RowOf<TableName>;
}
export interface RowDelete {
  t: TableName;
  id: string;
  scope: Scope;
}
export interface VisibilityChange {
  /** audience before the transaction (null: the scope did not exist) */
  before: Audience | null;
  /** audience after (null: the scope was deleted) */
  after: Audience | null;
}

export interface ChangeSet {
  /** the version the transaction committed at; 0 when it wrote nothing */
  version: number;
  puts: Map<string, RowChange>;
  dels: Map<string, RowDelete>;
  /** conversations/chats whose audience changed or that were deleted */
  visibility: Map<Scope, VisibilityChange>;
  /** users whose role, active flag or memberships changed */
  viewerChanges: Set<string>;
  /** users deactivated by this transaction */
  deactivated: Set<string>;
}

export function emptyChangeSet(): ChangeSet {
  return { version: 0, puts: new Map(), dels: new Map(), visibility: new Map(), viewerChanges: new Set(), deactivated: new Set() };
}

export const rowKey = (t: TableName, id: string) => `${t}\u0000${id}`;

export function audienceOf(t: TableName, row: RowOf<TableName>): Audience | null {
  const r = row as Record<string, unknown>;
  if (t === 'conversations') return { kind: 'conv', groupId: String(r.groupId), visibleTo: (r.visibleTo as string[] | null) ?? null };
  if (t === 'chats') return { kind: 'chat', members: (r.members as string[]) ?? [] };
  return null;
}

export function sameAudience(a: Audience | null, b: Audience | null): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

export interface ViewerLike {
  id: string;
  role: Role;
  groupIds: ReadonlySet<string>;
}
