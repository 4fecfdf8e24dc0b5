// Team inbox, My inbox, Archived, Chats, and the unread counts.
import type Database from 'better-sqlite3';
import type { Counts, InboxItem, Page, QueryArgs } from '../../../shared/bridge';
import { hasAdminRole } from '../../../shared/permissions';
import type { Role } from '../../../shared/schema';
import { chatItemColumns, convItemColumns, convItemJoins, toChatItem, toConvItem, type ChatItemRaw, type ConvItemRaw } from './listItems';

type InboxArgs = Required<Pick<QueryArgs<'inbox'>, 'view' | 'offset' | 'limit'>> & { groupId?: string | null; unreadOnly?: boolean };

/** Totals kept by triggers (conversation_counts): no count over 100k rows per page. */
function keptTotal(db: Database.Database, status: string, g: string | null): number {
  const r = g
    ? db.prepare('SELECT n FROM conversation_counts WHERE group_id = ? AND status = ?').get(g, status)
    : db.prepare('SELECT COALESCE(sum(n), 0) AS n FROM conversation_counts WHERE status = ?').get(status);
  return (r as { n: number } | undefined)?.n ?? 0;
}

function convPage(db: Database.Database, me: string, where: string, params: Record<string, unknown>, a: InboxArgs, status: string): Page<InboxItem> {
  const g = (params.g as string | undefined) ?? null;
  // "unread only" starts from the trigger-kept unread set, which is small
  const from = a.unreadOnly ? 'unread_conversations u JOIN conversations c ON c.id = u.conversation_id' : 'conversations c';
  const total = a.unreadOnly
    ? (db.prepare(`SELECT count(*) AS n FROM unread_conversations WHERE status = @status${g ? ' AND group_id = @g' : ''}`).get({ status, ...(g ? { g } : {}) }) as { n: number }).n
    : keptTotal(db, status, g);
  // rowid as the tie-breaker: it is the index's last column, so the page is read in index order
  const rows = db
    .prepare(`SELECT ${convItemColumns} FROM ${from} ${convItemJoins} WHERE ${where} ORDER BY c.last_activity_at DESC, c.rowid DESC LIMIT @limit OFFSET @offset`)
    .all({ me, ...params, limit: a.limit, offset: a.offset }) as ConvItemRaw[];
  return { total, offset: a.offset, items: rows.map(toConvItem) };
}

export function inbox(db: Database.Database, me: string, a: InboxArgs, role: Role = 'agent'): Page<InboxItem> {
  const g = a.groupId ?? null;
  switch (a.view) {
    case 'team':
      return g
        ? convPage(db, me, `c.group_id = @g AND c.status = 'open'`, { g }, a, 'open')
        : convPage(db, me, `c.status = 'open'`, {}, a, 'open');
    case 'archived':
      return g
        ? convPage(db, me, `c.group_id = @g AND c.status = 'archived'`, { g }, a, 'archived')
        : convPage(db, me, `c.status = 'archived'`, {}, a, 'archived');
    case 'chats':
      return chatPage(db, me, a, role);
    case 'mine':
      return minePage(db, me, a);
  }
}

/** Team chats: an admin's replica holds the metadata row of every chat (permissions.canSeeChatMeta:
 *  only admins may delete one; the messages stay with the participants), members see theirs; each
 *  item says whether the viewer is in it. */
function chatPage(db: Database.Database, me: string, a: InboxArgs, role: Role): Page<InboxItem> {
  const unread = a.unreadOnly ? ' AND unread = 1' : '';
  const base = hasAdminRole({ role })
    ? `SELECT ${chatItemColumns} FROM chats ch`
    : `SELECT ${chatItemColumns} FROM chat_members cmem JOIN chats ch ON ch.id = cmem.chat_id WHERE cmem.user_id = @me`;
  const total = (db.prepare(`SELECT count(*) AS n FROM (${base}) WHERE 1${unread}`).get({ me }) as { n: number }).n;
  const rows = db.prepare(`SELECT * FROM (${base}) WHERE 1${unread} ORDER BY last_activity_at DESC, id LIMIT @limit OFFSET @offset`).all({ me, limit: a.limit, offset: a.offset }) as ChatItemRaw[];
  return { total, offset: a.offset, items: rows.map((r) => toChatItem(db, me, r)) };
}

/** Assigned open conversations and my chats, merged by latest activity. */
function minePage(db: Database.Database, me: string, a: InboxArgs): Page<InboxItem> {
  const convUnreadFilter = a.unreadOnly ? ' AND EXISTS (SELECT 1 FROM unread_conversations u WHERE u.conversation_id = c.id)' : '';
  const chatUnreadFilter = a.unreadOnly ? ' WHERE unread = 1' : '';
  const convs = `SELECT 'conversation' AS k, c.id, c.last_activity_at FROM conversation_assignees ca JOIN conversations c ON c.id = ca.conversation_id
    WHERE ca.user_id = @me AND c.status = 'open'${convUnreadFilter}`;
  const chats = `SELECT 'chat' AS k, id, last_activity_at FROM (SELECT ${chatItemColumns} FROM chat_members cmem JOIN chats ch ON ch.id = cmem.chat_id WHERE cmem.user_id = @me)${chatUnreadFilter}`;
  const union = `${convs} UNION ALL ${chats}`;
  const total = (db.prepare(`SELECT count(*) AS n FROM (${union})`).get({ me }) as { n: number }).n;
  const keys = db.prepare(`SELECT k, id FROM (${union}) ORDER BY last_activity_at DESC, id LIMIT @limit OFFSET @offset`).all({ me, limit: a.limit, offset: a.offset }) as { k: string; id: string }[];
  const convStmt = db.prepare(`SELECT ${convItemColumns} FROM conversations c ${convItemJoins} WHERE c.id = @id`);
  const chatStmt = db.prepare(`SELECT ${chatItemColumns} FROM chats ch WHERE ch.id = @id`);
  const items: InboxItem[] = [];
  for (const key of keys) {
    if (key.k === 'conversation') {
      const r = convStmt.get({ me, id: key.id }) as ConvItemRaw | undefined;
      if (r) items.push(toConvItem(r));
    } else {
      const r = chatStmt.get({ me, id: key.id }) as ChatItemRaw | undefined;
      if (r) items.push(toChatItem(db, me, r));
    }
  }
  return { total, offset: a.offset, items };
}

export function counts(db: Database.Database, me: string): Counts {
  const perGroup = db.prepare(`SELECT group_id AS g, count(*) AS n FROM unread_conversations WHERE status = 'open' GROUP BY group_id`).all() as { g: string; n: number }[];
  const team: Record<string, number> = {};
  let teamAll = 0;
  for (const r of perGroup) {
    team[r.g] = r.n;
    teamAll += r.n;
  }
  const mineConvs = (db
    .prepare(`SELECT count(*) AS n FROM conversation_assignees ca JOIN unread_conversations u ON u.conversation_id = ca.conversation_id WHERE ca.user_id = @me AND u.status = 'open'`)
    .get({ me }) as { n: number }).n;
  const chats = (db
    .prepare(`SELECT count(*) AS n FROM (SELECT ${chatItemColumns} FROM chat_members cmem JOIN chats ch ON ch.id = cmem.chat_id WHERE cmem.user_id = @me) WHERE unread = 1`)
    .get({ me }) as { n: number }).n;
  const archived = keptTotal(db, 'archived', null);
  const mentions = (db.prepare('SELECT count(*) AS n FROM mentions WHERE user_id = ? AND read_at IS NULL').get(me) as { n: number }).n;
  return { mine: mineConvs + chats, team, teamAll, chats, archived, mentions };
}
