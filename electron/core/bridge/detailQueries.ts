// Conversation and chat detail: the rows of one scope, each flagged when a pending
// mutation touched it, plus failures, permissions and the WhatsApp window.
import type Database from 'better-sqlite3';
import type { ChatDetail, ConversationDetail, Failure, Pending } from '../../../shared/bridge';
import type { Role, RowOf, TableName } from '../../../shared/schema';
import type { RowStore } from '../../../shared/store/rowStore';
import { failuresFor } from './failures';
import { canDeleteChat, canEditChat, canLeaveChat, canRemoveChatMember, conversationRightsOf, viewerFromTx } from '../../../shared/permissions';

const WHATSAPP_WINDOW_MS = 24 * 60 * 60 * 1000;

export interface Viewer {
  id: string;
  role: Role;
}

function pendingRows<T extends TableName>(db: Database.Database, store: RowStore, table: T, column: string, id: string, order: string): Pending<RowOf<T>>[] {
  const names = store.sqlNames(table);
  const rows = db
    .prepare(`SELECT x.*, EXISTS(SELECT 1 FROM undo_log u WHERE u.tbl = @t AND u.row_id = x.id) AS __pending FROM "${names.table}" x WHERE x."${column}" = @id ORDER BY ${order}`)
    .all({ t: table, id }) as (Record<string, unknown> & { __pending: number })[];
  return rows.map((r) => ({ ...store.decode(table, r), pending: r.__pending === 1 }));
}

export function conversationDetail(db: Database.Database, store: RowStore, v: Viewer, id: string): ConversationDetail | null {
  const conversation = store.get('conversations', id);
  if (!conversation) return null;
  const contact = store.get('contacts', conversation.contactId);
  const group = store.get('groups', conversation.groupId);
  if (!contact || !group) return null;
  const lastWhatsApp = db
    .prepare(`SELECT max(created_at) AS at FROM messages WHERE conversation_id = ? AND direction = 'inbound' AND channel = 'whatsapp'`)
    .get(id) as { at: number | null };
  const actor = viewerFromTx(store, v.id) ?? { id: v.id, role: v.role, active: true, groupIds: new Set<string>() };
  const others = db
    .prepare(`SELECT id, status, group_id AS groupId, last_activity_at AS lastActivityAt FROM conversations WHERE contact_id = ? AND id <> ? ORDER BY last_activity_at DESC`)
    .all(conversation.contactId, id) as ConversationDetail['otherConversations'];
  return {
    conversation,
    contact,
    group,
    messages: pendingRows(db, store, 'messages', 'conversation_id', id, 'x.created_at, x.rowid'),
    notes: pendingRows(db, store, 'notes', 'conversation_id', id, 'x.created_at, x.rowid'),
    invoices: pendingRows(db, store, 'invoices', 'conversation_id', id, 'x.created_at, x.rowid'),
    checkouts: pendingRows(db, store, 'checkouts', 'conversation_id', id, 'x.created_at, x.rowid'),
    activities: pendingRows(db, store, 'activities', 'conversation_id', id, 'x.at, x.rowid'),
    failures: failuresFor(db, id),
    whatsappWindowClosesAt: lastWhatsApp.at === null ? null : lastWhatsApp.at + WHATSAPP_WINDOW_MS,
    // the relay's own predicates, so the UI offers only what will be accepted
    permissions: conversationRightsOf(actor, conversation),
    otherConversations: others,
  };
}

export function chatDetail(db: Database.Database, store: RowStore, v: Viewer, id: string): ChatDetail | null {
  const chat = store.get('chats', id);
  if (!chat) return null;
  const failures: Failure[] = failuresFor(db, id);
  const actor = viewerFromTx(store, v.id) ?? { id: v.id, role: v.role, active: true, groupIds: new Set<string>() };
  // the conversation a "Discuss with…" chat is about: named only when it is in this replica (visible)
  const conv = chat.conversationId ? store.get('conversations', chat.conversationId) : undefined;
  const about = chat.conversationId ? { conversationId: chat.conversationId, title: conv ? (store.get('contacts', conv.contactId)?.name ?? 'Conversation') : null } : null;
  return {
    chat,
    messages: pendingRows(db, store, 'chatMessages', 'chat_id', id, 'x.created_at, x.rowid'),
    failures,
    canDelete: canDeleteChat(actor),
    canEdit: canEditChat(actor, chat),
    canRemoveMembers: canRemoveChatMember(actor, chat),
    canLeave: canLeaveChat(actor, chat),
    about,
  };
}
