// Every bridge query: one handler per name of the contract (shared/bridge.ts `queryArgs`),
// answered from the replica. The map is typed by the contract, so a missing handler or a
// result of the wrong shape does not compile; tests also check every result at run time
// against the result schemas of shared/bridgeResults.ts.
import type Database from 'better-sqlite3';
import { queryArgs, type ParsedQueryArgs, type QueryHandlers, type QueryName, type QueryResults, type Session, type SyncStatus } from '../../../shared/bridge';
import type { Role } from '../../../shared/schema';
import type { RowStore } from '../../../shared/store/rowStore';
import { allFailures } from './failures';
import type { PresenceUser } from '../../../shared/protocol/presence';
import { contactsPage, contactWithConversations, allTags } from './contactQueries';
import { chatDetail, conversationDetail } from './detailQueries';
import { bridgeError } from './errors';
import { counts, inbox, viewCounts } from './inboxQueries';
import { search } from './searchQuery';
import { cannedResponses, mentions } from './toolQueries';
import { reportBacklog, reportChannels, reportHours, reportSla, reportTimes, reportVolume } from './reportQueries';
import { issuesSentence } from '../../../shared/refusals';

/** The signed-in user's replica, as queries read it. */
export interface QueryContext {
  db: Database.Database;
  store: RowStore;
  me: string;
  role: Role;
}

/** What the core lends its query handlers. */
export interface QueryEnv {
  session(): Session | null;
  syncStatus(): SyncStatus;
  /** other users' presence, as the relay last said */
  presence(): PresenceUser[];
  /** the replica of the signed-in user; throws `signed_out` when there is none */
  replica(): QueryContext;
}

const rows = (db: Database.Database, sql: string, ...params: unknown[]) => db.prepare(sql).all(...params) as Record<string, unknown>[];

export const queryHandlers: QueryHandlers<QueryEnv> = {
  session: (env) => env.session(),
  syncStatus: (env) => env.syncStatus(),
  directory: (env) => {
    const { db, store } = env.replica();
    return {
      users: rows(db, 'SELECT * FROM users ORDER BY name COLLATE NOCASE').map((x) => store.decode('users', x)),
      groups: rows(db, 'SELECT * FROM groups ORDER BY name COLLATE NOCASE').map((x) => store.decode('groups', x)),
      memberships: rows(db, 'SELECT * FROM memberships').map((x) => store.decode('memberships', x)),
    };
  },
  counts: (env) => {
    const { db, me } = env.replica();
    return counts(db, me);
  },
  inbox: (env, a) => {
    const { db, me, role } = env.replica();
    return inbox(db, me, a, role);
  },
  labels: (env) => {
    const { db, store } = env.replica();
    return rows(db, 'SELECT * FROM labels ORDER BY name COLLATE NOCASE').map((x) => store.decode('labels', x));
  },
  savedViews: (env) => {
    const { db, store, me } = env.replica();
    return rows(db, 'SELECT * FROM saved_views WHERE user_id = ? ORDER BY name COLLATE NOCASE', me).map((x) => {
      const view = store.decode('savedViews', x);
      return { view, ...viewCounts(db, me, view.filters) };
    });
  },
  conversation: (env, a) => {
    const { db, store, me, role } = env.replica();
    return conversationDetail(db, store, { id: me, role }, a.id);
  },
  contacts: (env, a) => {
    const { db, store } = env.replica();
    return contactsPage(db, store, a);
  },
  contact: (env, a) => {
    const { db, store, me } = env.replica();
    return contactWithConversations(db, store, me, a.id);
  },
  tags: (env) => allTags(env.replica().db),
  chat: (env, a) => {
    const { db, store, me, role } = env.replica();
    return chatDetail(db, store, { id: me, role }, a.id);
  },
  chatWith: (env, a) => {
    const { store, me } = env.replica();
    const members = [...new Set([me, ...a.members])];
    const kind = members.length === 1 ? 'self' : 'direct';
    return store.find('chats', { kind }).find((c) => c.members.length === members.length && members.every((m) => c.members.includes(m)))?.id ?? null;
  },
  search: (env, a) => {
    const { db, me } = env.replica();
    return a.q.trim() ? search(db, me, a.q, a.limit) : [];
  },
  failures: (env) => allFailures(env.replica().db),
  presence: (env) => env.presence(),
  broadcasts: (env) => {
    const { db, store } = env.replica();
    return rows(db, 'SELECT * FROM broadcasts ORDER BY created_at DESC').map((x) => store.decode('broadcasts', x));
  },
  cannedResponses: (env, a) => {
    const { db, store, me } = env.replica();
    return cannedResponses(db, store, me, a.groupId);
  },
  mentions: (env, a) => {
    const { db, me } = env.replica();
    return mentions(db, me, a);
  },
  broadcast: (env, a) => {
    const { db, store } = env.replica();
    const b = store.get('broadcasts', a.id);
    if (!b) return null;
    const recipients = db
      .prepare('SELECT r.*, COALESCE(k.name, \'\') AS contact_name FROM broadcast_recipients r LEFT JOIN contacts k ON k.id = r.contact_id WHERE r.broadcast_id = ? ORDER BY contact_name COLLATE NOCASE')
      .all(b.id) as (Record<string, unknown> & { contact_name: string })[];
    return { broadcast: b, recipients: recipients.map((x) => ({ ...store.decode('broadcastRecipients', x), contactName: x.contact_name })) };
  },
  reportVolume: (env, a) => reportVolume(env.replica().db, a),
  reportTimes: (env, a) => reportTimes(env.replica().db, a),
  reportSla: (env, a) => reportSla(env.replica().db, a),
  reportChannels: (env, a) => reportChannels(env.replica().db, a),
  reportHours: (env, a) => reportHours(env.replica().db, a),
  reportBacklog: (env) => reportBacklog(env.replica().db),
};

const has = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);

/** Validates the arguments with the contract's schema and runs the query's handler. */
export function runQuery<K extends QueryName>(env: QueryEnv, name: K, args: unknown): QueryResults[K] {
  if (!has(queryArgs, name)) throw bridgeError('unknown_query', `unknown query ${String(name)}`);
  const parsed = queryArgs[name].safeParse(args ?? {});
  if (!parsed.success) throw bridgeError('invalid_args', issuesSentence(parsed.error.issues));
  // zod's safeParse over queryArgs[K] loses the link to K; the data is that schema's output
  return queryHandlers[name](env, parsed.data as ParsedQueryArgs<K>);
}
