// Instant search from the replica: contacts (trigram, so digits of a phone number
// match), message text, notes and team-chat messages (word prefixes), newest first, with
// snippets. The replica holds only chats its user may read, so every hit is theirs to see.
import type Database from 'better-sqlite3';
import type { SearchHit } from '../../../shared/bridge';
import { expandedQuery, trigramQuery } from './ftsQuery';
import { chatTitle } from './listItems';
import type { ChatKind } from '../../../shared/schema';

export function search(db: Database.Database, me: string, q: string, limit: number): SearchHit[] {
  const hits: SearchHit[] = [];
  const tri = trigramQuery(q);
  if (tri) {
    const rows = db
      .prepare(`SELECT k.id, k.name, k.updated_at AS at, snippet(contacts_fts, -1, char(2), char(3), '…', 8) AS snip
                FROM contacts_fts JOIN contacts k ON k.rowid = contacts_fts.rowid WHERE contacts_fts MATCH ? ORDER BY contacts_fts.rowid DESC LIMIT ?`)
      .all(tri, limit) as { id: string; name: string; at: number; snip: string }[];
    for (const r of rows) hits.push({ kind: 'contact', id: r.id, targetId: r.id, title: r.name, snippet: r.snip, at: r.at });
  }
  const textHits = (kind: 'message' | 'note', table: 'messages' | 'notes') => {
    const match = expandedQuery(db, `${table}_fts_vocab`, q);
    if (!match) return;
    const rows = db
      .prepare(`SELECT x.id, x.conversation_id AS conv, x.created_at AS at, COALESCE(k.name, '') AS name,
                       snippet(${table}_fts, 0, char(2), char(3), '…', 10) AS snip
                FROM ${table}_fts JOIN ${table} x ON x.rowid = ${table}_fts.rowid
                LEFT JOIN conversations c ON c.id = x.conversation_id LEFT JOIN contacts k ON k.id = c.contact_id
                WHERE ${table}_fts MATCH ? ORDER BY ${table}_fts.rowid DESC LIMIT ?`)
      .all(match, limit) as { id: string; conv: string; at: number; name: string; snip: string }[];
    for (const r of rows) hits.push({ kind, id: r.id, targetId: r.conv, title: r.name, snippet: r.snip, at: r.at });
  };
  textHits('message', 'messages');
  textHits('note', 'notes');
  const chatMatch = expandedQuery(db, 'chat_messages_fts_vocab', q);
  if (chatMatch) {
    // only chats this user is in: an admin's replica may hold chats (metadata) they are not part of
    const rows = db
      .prepare(`SELECT x.id, x.chat_id AS chat, x.created_at AS at, ch.kind, ch.title, ch.members,
                       snippet(chat_messages_fts, 0, char(2), char(3), '…', 10) AS snip
                FROM chat_messages_fts JOIN chat_messages x ON x.rowid = chat_messages_fts.rowid
                JOIN chats ch ON ch.id = x.chat_id
                WHERE chat_messages_fts MATCH ? AND EXISTS (SELECT 1 FROM chat_members cm WHERE cm.chat_id = x.chat_id AND cm.user_id = ?)
                ORDER BY chat_messages_fts.rowid DESC LIMIT ?`)
      .all(chatMatch, me, limit) as { id: string; chat: string; at: number; kind: ChatKind; title: string | null; members: string; snip: string }[];
    for (const r of rows) hits.push({ kind: 'chatMessage', id: r.id, targetId: r.chat, title: chatTitle(db, me, r.kind, r.title, JSON.parse(r.members) as string[]), snippet: r.snip, at: r.at });
  }
  // contacts first (what people usually look for), then text hits newest first
  const contacts = hits.filter((h) => h.kind === 'contact');
  const text = hits.filter((h) => h.kind !== 'contact').sort((a, b) => b.at - a.at);
  return [...contacts, ...text].slice(0, limit);
}
