// Team inbox, My inbox, Snoozed, Archived, Chats, filters, and the unread counts.
import type Database from 'better-sqlite3';
import type { Counts, InboxItem, Page, ParsedQueryArgs } from '../../../shared/bridge';
import { hasAdminRole } from '../../../shared/permissions';
import type { Role } from '../../../shared/schema';
import { chatItemColumns, convItemColumns, convItemJoins, slaDue, toChatItem, toConvItem, type ChatItemRaw, type ConvItemRaw } from './listItems';

type InboxArgs = Pick<ParsedQueryArgs<'inbox'>, 'view' | 'offset' | 'limit' | 'groupId' | 'unreadOnly' | 'labelId' | 'assignee' | 'channel'> & Partial<Pick<ParsedQueryArgs<'inbox'>, 'sort'>>;

const viewWhere = {
  team: `c.status = 'open' AND c.snoozed_by IS NULL`,
  mine: `c.status = 'open' AND c.snoozed_by IS NULL`,
  snoozed: `c.status = 'open' AND c.snoozed_by IS NOT NULL`,
  archived: `c.status = 'archived'`,
} as const;
/**
 * Where a conversation of each view stands in the trigger-kept tables (conversation_counts,
 * unread_conversations): a snoozed conversation counts under 'snoozed', not 'open'.
 */
const countedAs = { team: 'open', mine: 'open', snoozed: 'snoozed', archived: 'archived' } as const;

/** Totals kept by triggers (conversation_counts): no count over 100k rows per page. */
function keptTotal(db: Database.Database, status: string, g: string | null): number {
  const r = g
    ? db.prepare('SELECT n FROM conversation_counts WHERE group_id = ? AND status = ?').get(g, status)
    : db.prepare('SELECT COALESCE(sum(n), 0) AS n FROM conversation_counts WHERE status = ?').get(status);
  return (r as { n: number } | undefined)?.n ?? 0;
}

/** The filter bar's conditions (label, assignee, channel) as SQL over `c`. */
export function filterWhere(a: Pick<InboxArgs, 'labelId' | 'assignee' | 'channel'>): { sql: string; params: Record<string, unknown> } {
  const parts: string[] = [];
  const params: Record<string, unknown> = {};
  if (a.labelId) {
    parts.push('EXISTS (SELECT 1 FROM conversation_labels cl WHERE cl.conversation_id = c.id AND cl.label_id = @labelId)');
    params.labelId = a.labelId;
  }
  if (a.assignee === 'unassigned') parts.push('json_array_length(c.assignees) = 0');
  else if (a.assignee) {
    parts.push('EXISTS (SELECT 1 FROM conversation_assignees fa WHERE fa.conversation_id = c.id AND fa.user_id = @assignee)');
    params.assignee = a.assignee;
  }
  if (a.channel) {
    parts.push('c.channel = @channel');
    params.channel = a.channel;
  }
  return { sql: parts.map((p) => ` AND ${p}`).join(''), params };
}

function convPage(db: Database.Database, me: string, view: keyof typeof viewWhere, a: InboxArgs): Page<InboxItem> {
  const g = a.groupId ?? null;
  const f = filterWhere(a);
  const mine = view === 'mine' ? ' AND EXISTS (SELECT 1 FROM conversation_assignees ca WHERE ca.conversation_id = c.id AND ca.user_id = @me)' : '';
  const where = `${viewWhere[view]}${g ? ' AND c.group_id = @g' : ''}${mine}${f.sql}`;
  const params = { me, ...(g ? { g } : {}), ...f.params };
  const status = countedAs[view];
  // "unread only" starts from the trigger-kept unread set, which is small
  const from = a.unreadOnly ? 'unread_conversations u JOIN conversations c ON c.id = u.conversation_id' : 'conversations c';
  const unreadWhere = a.unreadOnly ? ` AND u.status = '${status}'` : '';
  let total: number;
  if (f.sql || mine) total = (db.prepare(`SELECT count(*) AS n FROM ${from} WHERE ${where}${unreadWhere}`).get(params) as { n: number }).n;
  else if (a.unreadOnly) total = (db.prepare(`SELECT count(*) AS n FROM unread_conversations WHERE status = @status${g ? ' AND group_id = @g' : ''}`).get({ status, ...(g ? { g } : {}) }) as { n: number }).n;
  else total = keptTotal(db, status, g);
  if (a.sort === 'sla' && view !== 'archived') return { total, offset: a.offset, items: slaOrder(db, { from, where: `${where}${unreadWhere}`, params, g, offset: a.offset, limit: a.limit }) };
  // rowid as the tie-breaker: it is the index's last column, so the page is read in index order
  const rows = db
    .prepare(`SELECT ${convItemColumns} FROM ${from} ${convItemJoins} WHERE ${where}${unreadWhere} ORDER BY c.last_activity_at DESC, c.rowid DESC LIMIT @limit OFFSET @offset`)
    .all({ ...params, limit: a.limit, offset: a.offset }) as ConvItemRaw[];
  return { total, offset: a.offset, items: rows.map(toConvItem) };
}

/**
 * "SLA: most urgent first": the waiting conversations of groups with a first-response target,
 * closest deadline first, then every other one by latest activity. A deadline depends on the
 * group's business hours (computed in code), but within a group it grows with the wait's start,
 * so each group's waiting rows are read in `since` order (sla_waiting_since) and merged: a page
 * reads at most offset + limit rows per group with a target, never the whole inbox.
 */
function slaOrder(db: Database.Database, q: { from: string; where: string; params: Record<string, unknown>; g: string | null; offset: number; limit: number }): InboxItem[] {
  const want = q.offset + q.limit;
  const groups = db
    .prepare(`SELECT id, sla_first_response_minutes AS minutes, business_hours AS hours FROM groups WHERE sla_first_response_minutes IS NOT NULL${q.g ? ' AND id = @g' : ''}`)
    .all(q.g ? { g: q.g } : {}) as { id: string; minutes: number; hours: string | null }[];
  const waiting: { id: string; due: number }[] = [];
  let slaTotal = 0;
  const base = `${q.from} JOIN sla_waiting w ON w.conversation_id = c.id WHERE ${q.where} AND c.group_id = @slaGroup`;
  for (const sg of groups) {
    const p = { ...q.params, slaGroup: sg.id };
    slaTotal += (db.prepare(`SELECT count(*) AS n FROM ${base}`).get(p) as { n: number }).n;
    const rows = db.prepare(`SELECT c.id, w.since FROM ${base} ORDER BY w.since, c.id LIMIT @want`).all({ ...p, want }) as { id: string; since: number }[];
    for (const r of rows) waiting.push({ id: r.id, due: slaDue('open', r.since, sg.minutes, sg.hours) ?? Number.POSITIVE_INFINITY });
  }
  waiting.sort((x, y) => x.due - y.due || (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
  const ids = waiting.slice(q.offset, want).map((w) => w.id);
  if (want > slaTotal) {
    const restOffset = Math.max(0, q.offset - slaTotal);
    const restLimit = want - Math.max(q.offset, slaTotal);
    const notWaiting = `NOT EXISTS (SELECT 1 FROM sla_waiting w JOIN groups wg ON wg.id = c.group_id WHERE w.conversation_id = c.id AND wg.sla_first_response_minutes IS NOT NULL)`;
    const rest = db
      .prepare(`SELECT c.id FROM ${q.from} WHERE ${q.where} AND ${notWaiting} ORDER BY c.last_activity_at DESC, c.rowid DESC LIMIT @restLimit OFFSET @restOffset`)
      .all({ ...q.params, restLimit, restOffset }) as { id: string }[];
    ids.push(...rest.map((r) => r.id));
  }
  const one = db.prepare(`SELECT ${convItemColumns} FROM conversations c ${convItemJoins} WHERE c.id = @id`);
  const me = q.params.me;
  return ids.flatMap((id) => {
    const r = one.get({ me, id }) as ConvItemRaw | undefined;
    return r ? [toConvItem(r)] : [];
  });
}

export function inbox(db: Database.Database, me: string, a: InboxArgs, role: Role = 'agent'): Page<InboxItem> {
  switch (a.view) {
    case 'chats':
      return chatPage(db, me, a, role);
    case 'mine':
      // My inbox mixes in chats; filtered, it is conversations only
      return a.labelId || a.assignee || a.channel || a.groupId || a.sort === 'sla' ? convPage(db, me, 'mine', a) : minePage(db, me, a);
    default:
      return convPage(db, me, a.view, a);
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

/** Assigned open (not snoozed) conversations and my chats, merged by latest activity. */
function minePage(db: Database.Database, me: string, a: InboxArgs): Page<InboxItem> {
  const convUnreadFilter = a.unreadOnly ? ' AND EXISTS (SELECT 1 FROM unread_conversations u WHERE u.conversation_id = c.id)' : '';
  const chatUnreadFilter = a.unreadOnly ? ' WHERE unread = 1' : '';
  const convs = `SELECT 'conversation' AS k, c.id, c.last_activity_at FROM conversation_assignees ca JOIN conversations c ON c.id = ca.conversation_id
    WHERE ca.user_id = @me AND ${viewWhere.mine}${convUnreadFilter}`;
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
  // unread_conversations.status is 'snoozed' for a snoozed conversation: these leave it out
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
  const snoozed = keptTotal(db, 'snoozed', null);
  const mentions = (db.prepare('SELECT count(*) AS n FROM mentions WHERE user_id = ? AND read_at IS NULL').get(me) as { n: number }).n;
  return { mine: mineConvs + chats, team, teamAll, chats, archived, snoozed, mentions };
}

/** Total and unread of a view's filters (a saved view in the sidebar). */
export function viewCounts(db: Database.Database, me: string, f: { labelId?: string; assignee?: string; channel?: 'sms' | 'whatsapp'; groupId?: string; status?: 'open' | 'snoozed' | 'archived' }): { total: number; unread: number } {
  const view = f.status === 'snoozed' ? 'snoozed' : f.status === 'archived' ? 'archived' : 'team';
  const w = filterWhere(f);
  const where = `${viewWhere[view]}${f.groupId ? ' AND c.group_id = @g' : ''}${w.sql}`;
  const params = { me, ...(f.groupId ? { g: f.groupId } : {}), ...w.params };
  const total = (db.prepare(`SELECT count(*) AS n FROM conversations c WHERE ${where}`).get(params) as { n: number }).n;
  const unread = (db.prepare(`SELECT count(*) AS n FROM unread_conversations u JOIN conversations c ON c.id = u.conversation_id WHERE ${where}`).get(params) as { n: number }).n;
  return { total, unread };
}
