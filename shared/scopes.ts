// Rows belong to scopes; visibility is decided per scope, never per row, so losing a
// conversation removes everything under it in one delete.
import type { RowOf, TableName } from './schema';

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
    case 'mentions':
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
    case 'cannedResponses':
      // personal → its owner only; shared → the group (members and admins)
      return typeof r.ownerId === 'string' ? `user:${r.ownerId}` : `group:${String(r.groupId)}`;
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
    { table: 'mentions', column: 'conversationId' },
    { table: 'invoices', column: 'conversationId' },
    { table: 'checkouts', column: 'conversationId' },
  ],
  chat: [
    { table: 'chats', column: 'id' },
    { table: 'chatMessages', column: 'chatId' },
  ],
};

// Who may see a scope is decided in permissions.ts (one source of truth); re-exported here
// for code that reads scopes and visibility together.
export { canSeeChat, canSeeConversation, canSeeGroup, type Viewer } from './permissions';
