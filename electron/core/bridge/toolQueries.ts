// Canned responses and @mentions, answered from the replica. The replica holds only what its
// user may see (personal canned responses of its user, shared ones of visible groups; mentions
// of visible conversations), so these queries filter for presentation, not for secrecy.
import type Database from 'better-sqlite3';
import type { MentionItem, Page } from '../../../shared/bridge';
import type { CannedResponse } from '../../../shared/schema';
import type { RowStore } from '../../../shared/store/rowStore';

export function cannedResponses(db: Database.Database, store: RowStore, me: string, groupId: string | undefined): CannedResponse[] {
  const rows = db
    .prepare(
      `SELECT * FROM canned_responses WHERE owner_id = @me OR (owner_id IS NULL AND (@g IS NULL OR group_id = @g))
       ORDER BY owner_id IS NULL, title COLLATE NOCASE, id`,
    )
    .all({ me, g: groupId ?? null }) as Record<string, unknown>[];
  return rows.map((r) => store.decode('cannedResponses', r));
}

interface MentionRaw {
  id: string;
  note_id: string;
  conversation_id: string;
  contact_name: string | null;
  author_id: string;
  author_name: string | null;
  body: string | null;
  created_at: number;
  read_at: number | null;
}

export function mentions(db: Database.Database, me: string, a: { unreadOnly?: boolean; offset: number; limit: number }): Page<MentionItem> & { unread: number } {
  const where = `m.user_id = @me ${a.unreadOnly ? 'AND m.read_at IS NULL' : ''}`;
  const total = (db.prepare(`SELECT count(*) AS n FROM mentions m WHERE ${where}`).get({ me }) as { n: number }).n;
  const unread = (db.prepare('SELECT count(*) AS n FROM mentions WHERE user_id = ? AND read_at IS NULL').get(me) as { n: number }).n;
  const rows = db
    .prepare(
      `SELECT m.id, m.note_id, m.conversation_id, k.name AS contact_name, m.author_id, u.name AS author_name, n.body, m.created_at, m.read_at
       FROM mentions m
       LEFT JOIN notes n ON n.id = m.note_id
       LEFT JOIN conversations c ON c.id = m.conversation_id
       LEFT JOIN contacts k ON k.id = c.contact_id
       LEFT JOIN users u ON u.id = m.author_id
       WHERE ${where} ORDER BY m.created_at DESC, m.id DESC LIMIT @limit OFFSET @offset`,
    )
    .all({ me, limit: a.limit, offset: a.offset }) as MentionRaw[];
  return {
    total,
    offset: a.offset,
    unread,
    items: rows.map((r) => ({
      id: r.id,
      noteId: r.note_id,
      conversationId: r.conversation_id,
      contactName: r.contact_name ?? 'Conversation',
      authorId: r.author_id,
      authorName: r.author_name ?? 'Someone',
      body: r.body ?? '',
      createdAt: r.created_at,
      unread: r.read_at === null,
    })),
  };
}
