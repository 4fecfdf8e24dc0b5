// Instant search from the replica: contacts (trigram, so digits of a phone number
// match), message text and notes (word prefixes), newest first, with snippets.
import type Database from 'better-sqlite3';
import type { SearchHit } from '../../../shared/bridge';
import { prefixQuery, trigramQuery } from './ftsQuery';

export function search(db: Database.Database, q: string, limit: number): SearchHit[] {
  const hits: SearchHit[] = [];
  const tri = trigramQuery(q);
  if (tri) {
    const rows = db
      .prepare(`SELECT k.id, k.name, k.updated_at AS at, snippet(contacts_fts, -1, char(2), char(3), '…', 8) AS snip
                FROM contacts_fts JOIN contacts k ON k.rowid = contacts_fts.rowid WHERE contacts_fts MATCH ? ORDER BY contacts_fts.rowid DESC LIMIT ?`)
      .all(tri, limit) as { id: string; name: string; at: number; snip: string }[];
    for (const r of rows) hits.push({ kind: 'contact', id: r.id, targetId: r.id, title: r.name, snippet: r.snip, at: r.at });
  }
  const pre = prefixQuery(q);
  if (pre) {
    const msgs = db
      .prepare(`SELECT m.id, m.conversation_id AS conv, m.created_at AS at, COALESCE(k.name, '') AS name,
                       snippet(messages_fts, 0, char(2), char(3), '…', 10) AS snip
                FROM messages_fts JOIN messages m ON m.rowid = messages_fts.rowid
                LEFT JOIN conversations c ON c.id = m.conversation_id LEFT JOIN contacts k ON k.id = c.contact_id
                WHERE messages_fts MATCH ? ORDER BY messages_fts.rowid DESC LIMIT ?`)
      .all(pre, limit) as { id: string; conv: string; at: number; name: string; snip: string }[];
    for (const r of msgs) hits.push({ kind: 'message', id: r.id, targetId: r.conv, title: r.name, snippet: r.snip, at: r.at });
    const notes = db
      .prepare(`SELECT n.id, n.conversation_id AS conv, n.created_at AS at, COALESCE(k.name, '') AS name,
                       snippet(notes_fts, 0, char(2), char(3), '…', 10) AS snip
                FROM notes_fts JOIN notes n ON n.rowid = notes_fts.rowid
                LEFT JOIN conversations c ON c.id = n.conversation_id LEFT JOIN contacts k ON k.id = c.contact_id
                WHERE notes_fts MATCH ? ORDER BY notes_fts.rowid DESC LIMIT ?`)
      .all(pre, limit) as { id: string; conv: string; at: number; name: string; snip: string }[];
    for (const r of notes) hits.push({ kind: 'note', id: r.id, targetId: r.conv, title: r.name, snippet: r.snip, at: r.at });
  }
  // contacts first (what people usually look for), then text hits newest first
  const contacts = hits.filter((h) => h.kind === 'contact');
  const text = hits.filter((h) => h.kind !== 'contact').sort((a, b) => b.at - a.at);
  return [...contacts, ...text].slice(0, limit);
}
