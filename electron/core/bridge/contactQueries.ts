// Contacts list (search, tag, paging), one contact with its conversations, tags.
import type Database from 'better-sqlite3';
import type { ConversationListItem, Page, QueryResults } from '../../../shared/bridge';
import type { Contact } from '../../../shared/schema';
import type { RowStore } from '../../../shared/store/rowStore';
import { convItemColumns, convItemJoins, toConvItem, type ConvItemRaw } from './listItems';
import { trigramQuery } from './ftsQuery';

export function contactsPage(db: Database.Database, store: RowStore, a: { search?: string; tag?: string; offset: number; limit: number }): Page<Contact> {
  const where: string[] = [];
  const params: Record<string, unknown> = {};
  const q = a.search?.trim();
  if (q) {
    const match = trigramQuery(q);
    if (match) {
      where.push('k.rowid IN (SELECT rowid FROM contacts_fts WHERE contacts_fts MATCH @match)');
      params.match = match;
    } else {
      where.push(`(k.name LIKE @like ESCAPE '\\' OR k.phone LIKE @like ESCAPE '\\' OR k.email LIKE @like ESCAPE '\\')`);
      params.like = `%${q.replace(/[\\%_]/g, (c) => '\\' + c)}%`;
    }
  }
  if (a.tag) {
    where.push('EXISTS (SELECT 1 FROM json_each(k.tags) WHERE value = @tag)');
    params.tag = a.tag;
  }
  const w = where.length ? `WHERE ${where.join(' AND ')}` : '';
  const total = (db.prepare(`SELECT count(*) AS n FROM contacts k ${w}`).get(params) as { n: number }).n;
  const rows = db.prepare(`SELECT k.* FROM contacts k ${w} ORDER BY k.name COLLATE NOCASE, k.id LIMIT @limit OFFSET @offset`).all({ ...params, limit: a.limit, offset: a.offset }) as Record<string, unknown>[];
  return { total, offset: a.offset, items: rows.map((r) => store.decode('contacts', r)) };
}

export function contactWithConversations(db: Database.Database, store: RowStore, me: string, id: string): QueryResults['contact'] {
  const contact = store.get('contacts', id);
  if (!contact) return null;
  const rows = db.prepare(`SELECT ${convItemColumns} FROM conversations c ${convItemJoins} WHERE c.contact_id = @id ORDER BY c.last_activity_at DESC`).all({ me, id }) as ConvItemRaw[];
  const conversations: ConversationListItem[] = rows.map(toConvItem);
  return { contact, conversations };
}

export function allTags(db: Database.Database): string[] {
  return (db.prepare('SELECT DISTINCT j.value AS tag FROM contacts k, json_each(k.tags) j ORDER BY j.value COLLATE NOCASE').all() as { tag: string }[]).map((r) => r.tag);
}
