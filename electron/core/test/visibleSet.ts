// What a user may see on the relay, computed independently of the relay's sync code
// from shared/permissions predicates, and a table-by-table comparison with a replica.
import type Database from 'better-sqlite3';
import { canSeeChat, canSeeChatMeta, canSeeConversation, canSeeConversationMeta, canSeeGroup, type Viewer } from '../../../shared/permissions';
import { metadataRow, scopeOf } from '../../../shared/scopes';
import { tableNames, type RowOf, type TableName } from '../../../shared/schema';
import { RowStore } from '../../../shared/store/rowStore';
import type { SqliteStore } from '../../../server/store/sqlite';
import type { RelayStore } from '../../../server/store/types';

export interface RowSource {
  db: Database.Database;
  store: RowStore;
}

/**
 * A synchronous, read-only view of the relay's SQLite file for this test oracle (it runs with
 * the relay's embedded store; the relay itself reads through its asynchronous RelayStore).
 */
export function relaySource(store: RelayStore): RowSource {
  const db = (store as SqliteStore).sqlite;
  return { db, store: new RowStore(db) };
}

export function allRows<T extends TableName>(src: RowSource, table: T): RowOf<T>[] {
  const name = src.store.sqlNames(table).table;
  return (src.db.prepare(`SELECT * FROM "${name}" ORDER BY id`).all() as Record<string, unknown>[]).map((r) => src.store.decode(table, r));
}

export function viewerOf(relay: RowSource, userId: string): Viewer {
  const u = relay.store.get('users', userId);
  if (!u) throw new Error(`no user ${userId}`);
  return { id: u.id, role: u.role, groupIds: new Set(relay.store.find('memberships', { userId }).map((m) => m.groupId)) };
}

export function maySee(relay: RowSource, v: Viewer, scope: string): boolean {
  if (scope === 'org') return true;
  const [kind, id] = [scope.slice(0, scope.indexOf(':')), scope.slice(scope.indexOf(':') + 1)];
  if (kind === 'conv') {
    const c = relay.store.get('conversations', id);
    return !!c && canSeeConversation(v, c);
  }
  if (kind === 'chat') {
    const c = relay.store.get('chats', id);
    return !!c && canSeeChat(v, c);
  }
  if (kind === 'user') return id === v.id;
  if (kind === 'group') return canSeeGroup(v, id);
  return false;
}

/**
 * The metadata row a user who may not read a conversation or chat holds (an admin outside it),
 * computed here from the relay's rows; undefined when the user gets nothing of it.
 */
function metadataOf(relay: RowSource, v: Viewer, t: TableName, r: RowOf<TableName>): RowOf<TableName> | undefined {
  if (t === 'conversations') {
    const c = r as RowOf<'conversations'>;
    if (!canSeeConversationMeta(v, c)) return undefined;
    const invoiceOutstanding = allRows(relay, 'invoices').some((i) => i.conversationId === c.id && i.status === 'sent');
    return metadataRow(c, { kind: 'conv', invoiceOutstanding });
  }
  if (t === 'chats') {
    const c = r as RowOf<'chats'>;
    if (!canSeeChatMeta(v, c)) return undefined;
    return metadataRow(c, { kind: 'chat', messageCount: allRows(relay, 'chatMessages').filter((m) => m.chatId === c.id).length });
  }
  return undefined;
}

function scopeExists(relay: RowSource, scope: string): boolean {
  const [kind, id] = [scope.slice(0, scope.indexOf(':')), scope.slice(scope.indexOf(':') + 1)];
  if (kind === 'conv') return relay.store.get('conversations', id) !== undefined;
  if (kind === 'chat') return relay.store.get('chats', id) !== undefined;
  return true;
}

/** Differences between a replica and the relay's visible set for its user; empty when equal. */
export function diffReplica(relay: RowSource, replica: RowSource, userId: string, limit = 5): string[] {
  const v = viewerOf(relay, userId);
  const out: string[] = [];
  for (const t of tableNames) {
    const expected = new Map<string, string>();
    for (const r of allRows(relay, t)) {
      if (maySee(relay, v, scopeOf(t, r))) expected.set((r as { id: string }).id, JSON.stringify(r));
      else {
        const meta = metadataOf(relay, v, t, r);
        if (meta) expected.set((r as { id: string }).id, JSON.stringify(meta));
      }
    }
    const actual = new Map<string, string>();
    for (const r of allRows(replica, t)) actual.set((r as { id: string }).id, JSON.stringify(r));
    for (const [id, json] of actual) {
      if (!expected.has(id)) {
        const scope = scopeOf(t, JSON.parse(json) as RowOf<typeof t>);
        const why = maySee(relay, v, scope) ? 'missing on relay' : scopeExists(relay, scope) ? 'NOT VISIBLE to the user' : `NOT VISIBLE (scope ${scope} gone from the relay)`;
        out.push(`${t}/${id}: in replica but ${why}`);
      } else if (expected.get(id) !== json) out.push(`${t}/${id}: differs\n  replica ${json}\n  relay   ${expected.get(id)}`);
      if (out.length >= limit) return out;
    }
    for (const id of expected.keys()) {
      if (!actual.has(id)) out.push(`${t}/${id}: missing from replica`);
      if (out.length >= limit) return out;
    }
  }
  return out;
}

/** The replica's trigger-kept tables agree with the rows they summarise. */
export function checkLocalIndexes(db: Database.Database): string[] {
  const out: string[] = [];
  // a snoozed open conversation is kept under the status 'snoozed' (drizzle/client/0010_snooze_labels_triggers.sql)
  const bucket = `CASE WHEN c.snoozed_by IS NOT NULL AND c.status = 'open' THEN 'snoozed' ELSE c.status END`;
  const counts = db.prepare(`SELECT c.group_id || '/' || ${bucket} AS k, count(*) AS n FROM conversations c GROUP BY k ORDER BY k`).all();
  const kept = db.prepare(`SELECT group_id || '/' || status AS k, n FROM conversation_counts WHERE n <> 0 ORDER BY k`).all();
  if (JSON.stringify(counts) !== JSON.stringify(kept)) out.push(`conversation_counts ${JSON.stringify(kept)} != ${JSON.stringify(counts)}`);
  const assignees = db.prepare(`SELECT j.value || ':' || c.id AS k FROM conversations c, json_each(c.assignees) j ORDER BY k`).all();
  const keptAssignees = db.prepare(`SELECT user_id || ':' || conversation_id AS k FROM conversation_assignees ORDER BY k`).all();
  if (JSON.stringify(assignees) !== JSON.stringify(keptAssignees)) out.push('conversation_assignees out of step');
  const members = db.prepare(`SELECT j.value || ':' || c.id AS k FROM chats c, json_each(c.members) j ORDER BY k`).all();
  const keptMembers = db.prepare(`SELECT user_id || ':' || chat_id AS k FROM chat_members ORDER BY k`).all();
  if (JSON.stringify(members) !== JSON.stringify(keptMembers)) out.push('chat_members out of step');
  const unread = db.prepare(`SELECT c.id || '/' || c.group_id || '/' || ${bucket} AS k FROM conversations c LEFT JOIN read_states r ON r.target_id = c.id
    WHERE c.last_inbound_at IS NOT NULL AND (r.last_read_at IS NULL OR r.last_read_at < c.last_inbound_at) ORDER BY k`).all();
  const keptUnread = db.prepare(`SELECT conversation_id || '/' || group_id || '/' || status AS k FROM unread_conversations ORDER BY k`).all();
  if (JSON.stringify(unread) !== JSON.stringify(keptUnread)) out.push(`unread_conversations ${JSON.stringify(keptUnread)} != ${JSON.stringify(unread)}`);
  try {
    for (const t of ['messages_fts', 'notes_fts', 'contacts_fts']) db.prepare(`INSERT INTO ${t}(${t}, rank) VALUES ('integrity-check', 1)`).run();
  } catch (e) {
    out.push(`search index: ${(e as Error).message}`);
  }
  return out;
}
