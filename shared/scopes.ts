// Rows belong to scopes; visibility is decided per scope, never per row, so losing a
// conversation removes everything under it in one delete.
import type { Chat, Conversation, Role, RowOf, TableName } from './schema';

export type Scope = 'org' | `conv:${string}` | `chat:${string}` | `user:${string}` | `group:${string}`;

export function scopeOf<T extends TableName>(table: T, row: RowOf<T>): Scope {
  const r = row as Record<string, unknown>;
  switch (table) {
    case 'users':
    case 'groups':
    case 'memberships':
    case 'contacts':
      return 'org';
    case 'conversations':
      return `conv:${String(r.id)}`;
    case 'messages':
    case 'notes':
    case 'invoices':
    case 'checkouts':
      return `conv:${String(r.conversationId)}`;
    case 'chats':
      return `chat:${String(r.id)}`;
    case 'chatMessages':
      return `chat:${String(r.chatId)}`;
    case 'readStates':
      return `user:${String(r.userId)}`;
    case 'broadcasts':
    case 'broadcastRecipients':
      return `group:${String(r.groupId)}`;
    default:
      throw new Error(`no scope for table ${String(table)}`);
  }
}

/** Tables whose rows hang under a scope id, and the column naming it: used to delete a scope. */
export const scopeChildren: Record<'conv' | 'chat', { table: TableName; column: string }[]> = {
  conv: [
    { table: 'conversations', column: 'id' },
    { table: 'messages', column: 'conversationId' },
    { table: 'notes', column: 'conversationId' },
    { table: 'invoices', column: 'conversationId' },
    { table: 'checkouts', column: 'conversationId' },
  ],
  chat: [
    { table: 'chats', column: 'id' },
    { table: 'chatMessages', column: 'chatId' },
  ],
};

export interface Viewer {
  id: string;
  role: Role;
  groupIds: ReadonlySet<string>;
}

/** Admins see every conversation of the organisation; agents need the group, and the list when restricted. */
export function canSeeConversation(v: Viewer, c: Pick<Conversation, 'groupId' | 'visibleTo'>): boolean {
  if (v.role === 'admin') return true;
  if (!v.groupIds.has(c.groupId)) return false;
  return c.visibleTo === null || c.visibleTo.includes(v.id);
}

/** Participants see a chat; admins too, because only they may delete one. */
export function canSeeChat(v: Viewer, c: Pick<Chat, 'members'>): boolean {
  return v.role === 'admin' || c.members.includes(v.id);
}

export function canSeeGroup(v: Viewer, groupId: string): boolean {
  return v.role === 'admin' || v.groupIds.has(groupId);
}
