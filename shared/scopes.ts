// Rows belong to scopes; visibility is decided per scope, never per row, so losing a
// conversation removes everything under it in one delete.
//
// Conversations and chats have two levels (DESIGN "Scopes carry privacy"): the CONTENT of
// `conv:<id>` / `chat:<id>` is every row of the scope (the full root row, messages, notes,
// invoices, checkouts / chat messages); the METADATA is the root row alone, projected by
// metadataRow() (preview blanked, metaOnly filled). A viewer has one access level per scope:
// 'content' (every row), 'meta' (the projected root only) or 'none'. Going from content to meta
// deletes the scope (the replica scrubs it, WAL included) and puts the projection back.
import { canSeeChat, canSeeChatMeta, canSeeConversation, canSeeConversationMeta, type Viewer } from './permissions';
import type { Chat, Conversation, RowOf, TableName } from './schema';

export type Scope = 'org' | `conv:${string}` | `chat:${string}` | `user:${string}` | `group:${string}`;

export function scopeOf<T extends TableName>(table: T, row: RowOf<T>): Scope {
  const r = row as Record<string, unknown>;
  switch (table) {
    case 'users':
    case 'groups':
    case 'memberships':
    case 'contacts':
    case 'labels':
      return 'org';
    case 'conversations':
      return `conv:${String(r.id)}`;
    case 'messages':
    case 'notes':
    case 'mentions':
    case 'invoices':
    case 'checkouts':
    case 'activities':
      return `conv:${String(r.conversationId)}`;
    case 'chats':
      return `chat:${String(r.id)}`;
    case 'chatMessages':
      return `chat:${String(r.chatId)}`;
    case 'readStates':
    case 'savedViews':
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
    { table: 'activities', column: 'conversationId' },
  ],
  chat: [
    { table: 'chats', column: 'id' },
    { table: 'chatMessages', column: 'chatId' },
  ],
};

export type ScopeAccess = 'content' | 'meta' | 'none';

/** What of a conversation this viewer receives. */
export function conversationAccess(v: Viewer, c: Pick<Conversation, 'groupId' | 'visibleTo'>): ScopeAccess {
  return canSeeConversation(v, c) ? 'content' : canSeeConversationMeta(v, c) ? 'meta' : 'none';
}
/** What of a chat this viewer receives. */
export function chatAccess(v: Viewer, c: Pick<Chat, 'members'>): ScopeAccess {
  return canSeeChat(v, c) ? 'content' : canSeeChatMeta(v, c) ? 'meta' : 'none';
}

/** The scope's root table: the one row a metadata-only viewer receives. */
export const scopeRoot = { conv: 'conversations', chat: 'chats' } as const;

/** What the content says that a metadata row must still tell (computed by the relay from its rows). */
export type MetaFacts = { kind: 'conv'; invoiceOutstanding: boolean } | { kind: 'chat'; messageCount: number };

/**
 * The metadata projection of a conversation or chat row: everything but content (the preview of
 * the last message), with `metaOnly` saying what the content would tell (an outstanding invoice,
 * how many messages).
 */
export function metadataRow(row: Conversation, facts: MetaFacts): Conversation;
export function metadataRow(row: Chat, facts: MetaFacts): Chat;
export function metadataRow(row: Conversation | Chat, facts: MetaFacts): Conversation | Chat {
  if (facts.kind === 'conv') return { ...(row as Conversation), lastPreview: '', metaOnly: { invoiceOutstanding: facts.invoiceOutstanding } };
  return { ...(row as Chat), lastPreview: '', metaOnly: { messageCount: facts.messageCount } };
}

// Who may see a scope is decided in permissions.ts (one source of truth); re-exported here
// for code that reads scopes and visibility together.
export { canSeeChat, canSeeChatMeta, canSeeConversation, canSeeConversationMeta, canSeeGroup, type Viewer } from './permissions';
