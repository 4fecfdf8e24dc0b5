// Every bridge query, answered from the replica.
import type Database from 'better-sqlite3';
import type { QueryName, QueryResults } from '../../../shared/bridge';
import { queryArgs } from '../../../shared/bridge';
import type { Role } from '../../../shared/schema';
import type { RowStore } from '../../../shared/store/rowStore';
import type { z } from 'zod';
import { allFailures } from './failures';
import { contactsPage, contactWithConversations, allTags } from './contactQueries';
import { chatDetail, conversationDetail } from './detailQueries';
import { counts, inbox } from './inboxQueries';
import { search } from './searchQuery';

export interface QueryContext {
  db: Database.Database;
  store: RowStore;
  me: string;
  role: Role;
}

type Parsed<K extends QueryName> = z.output<(typeof queryArgs)[K]>;
type ReplicaQuery = Exclude<QueryName, 'session' | 'syncStatus'>;

export function runQuery<K extends ReplicaQuery>(ctx: QueryContext, name: K, a: Parsed<K>): QueryResults[K] {
  const { db, store, me } = ctx;
  const viewer = { id: me, role: ctx.role };
  const r = ((): unknown => {
    switch (name) {
      case 'directory':
        return {
          users: (db.prepare('SELECT * FROM users ORDER BY name COLLATE NOCASE').all() as Record<string, unknown>[]).map((x) => store.decode('users', x)),
          groups: (db.prepare('SELECT * FROM groups ORDER BY name COLLATE NOCASE').all() as Record<string, unknown>[]).map((x) => store.decode('groups', x)),
          memberships: (db.prepare('SELECT * FROM memberships').all() as Record<string, unknown>[]).map((x) => store.decode('memberships', x)),
        };
      case 'counts':
        return counts(db, me);
      case 'inbox':
        return inbox(db, me, a as Parsed<'inbox'>, ctx.role);
      case 'conversation':
        return conversationDetail(db, store, viewer, (a as Parsed<'conversation'>).id);
      case 'contacts':
        return contactsPage(db, store, a as Parsed<'contacts'>);
      case 'contact':
        return contactWithConversations(db, store, me, (a as Parsed<'contact'>).id);
      case 'tags':
        return allTags(db);
      case 'chat':
        return chatDetail(db, store, viewer, (a as Parsed<'chat'>).id);
      case 'search': {
        const s = a as Parsed<'search'>;
        return s.q.trim() ? search(db, s.q, s.limit) : [];
      }
      case 'failures':
        return allFailures(db);
      case 'broadcasts':
        return (db.prepare('SELECT * FROM broadcasts ORDER BY created_at DESC').all() as Record<string, unknown>[]).map((x) => store.decode('broadcasts', x));
      case 'broadcast': {
        const b = store.get('broadcasts', (a as Parsed<'broadcast'>).id);
        if (!b) return null;
        const rows = db
          .prepare('SELECT r.*, COALESCE(k.name, \'\') AS contact_name FROM broadcast_recipients r LEFT JOIN contacts k ON k.id = r.contact_id WHERE r.broadcast_id = ? ORDER BY contact_name COLLATE NOCASE')
          .all(b.id) as (Record<string, unknown> & { contact_name: string })[];
        return { broadcast: b, recipients: rows.map((x) => ({ ...store.decode('broadcastRecipients', x), contactName: x.contact_name })) };
      }
      default:
        throw new Error(`unknown query ${String(name)}`);
    }
  })();
  return r as QueryResults[K];
}
