// Inbox list rows built in SQL: the hot path (Team inbox at 100k conversations) reads
// only the page it shows, through the (group, status, activity) indexes.
import type Database from 'better-sqlite3';
import type { ChatListItem, ConversationListItem } from '../../../shared/bridge';
import { chatTitleOf } from '../../../shared/chatTitle';
import { dueAt, type BusinessHours } from '../../../shared/domain/sla';
import type { Channel, ChatKind, ChatMetaOnly, ConversationMetaOnly, ConversationStatus } from '../../../shared/schema';

/** Columns of a conversation list item; `@me` is the viewer's id. */
export const convItemColumns = `
  c.id, c.contact_id, c.group_id, c.channel, c.status, c.last_activity_at, c.last_preview, c.assignees, c.visible_to,
  c.last_inbound_at, c.meta_only, c.snoozed_by, c.snoozed_until, c.labels, c.auto_assign_waiting, k.name AS contact_name, k.phone AS contact_phone, rs.last_read_at,
  (SELECT json_group_array(l.id) FROM conversation_labels cl JOIN labels l ON l.id = cl.label_id WHERE cl.conversation_id = c.id) AS live_labels,
  EXISTS(SELECT 1 FROM messages m WHERE m.conversation_id = c.id AND m.status = 'scheduled') AS scheduled,
  EXISTS(SELECT 1 FROM invoices i WHERE i.conversation_id = c.id AND i.status = 'sent') AS unpaid,
  EXISTS(SELECT 1 FROM messages m WHERE m.conversation_id = c.id AND m.status = 'failed') AS failed,
  EXISTS(SELECT 1 FROM undo_log u WHERE u.tbl = 'conversations' AND u.row_id = c.id) AS pending,
  sw.since AS sla_since, sg.sla_first_response_minutes AS sla_minutes, sg.business_hours AS sla_hours`;
export const convItemJoins = `
  LEFT JOIN contacts k ON k.id = c.contact_id
  LEFT JOIN sla_waiting sw ON sw.conversation_id = c.id
  LEFT JOIN groups sg ON sg.id = c.group_id
  LEFT JOIN read_states rs ON rs.id = @me || ':' || c.id`;

export interface ConvItemRaw {
  id: string;
  contact_id: string;
  group_id: string;
  channel: Channel;
  status: ConversationStatus;
  last_activity_at: number;
  last_preview: string;
  assignees: string;
  visible_to: string | null;
  last_inbound_at: number | null;
  meta_only: string | null;
  snoozed_by: string | null;
  snoozed_until: number | null;
  auto_assign_waiting: number;
  labels: string;
  live_labels: string;
  scheduled: number;
  contact_name: string | null;
  contact_phone: string | null;
  last_read_at: number | null;
  unpaid: number;
  failed: number;
  pending: number;
  sla_since: number | null;
  sla_minutes: number | null;
  sla_hours: string | null;
}

/** The first-response deadline of a waiting conversation in a group with a target (open ones only). */
export function slaDue(status: ConversationStatus, since: number | null, minutes: number | null, hours: string | null): number | null {
  if (status !== 'open' || since === null || minutes === null) return null;
  return dueAt(since, minutes, hours === null ? null : (JSON.parse(hours) as BusinessHours | null));
}

export function toConvItem(r: ConvItemRaw): ConversationListItem {
  // a metadata-only row (an admin outside "Visible to") carries what its missing invoices would tell
  const meta = r.meta_only === null ? null : (JSON.parse(r.meta_only) as ConversationMetaOnly);
  return {
    kind: 'conversation',
    id: r.id,
    contactId: r.contact_id,
    contactName: r.contact_name ?? 'Unknown contact',
    contactPhone: r.contact_phone ?? '',
    groupId: r.group_id,
    channel: r.channel,
    status: r.status,
    lastActivityAt: r.last_activity_at,
    lastPreview: r.last_preview,
    unread: r.last_inbound_at !== null && (r.last_read_at === null || r.last_read_at < r.last_inbound_at),
    assignees: JSON.parse(r.assignees) as string[],
    restricted: r.visible_to !== null,
    confidential: meta !== null,
    hasUnpaidInvoice: r.unpaid === 1 || meta?.invoiceOutstanding === true,
    hasFailedSend: r.failed === 1,
    pending: r.pending === 1,
    snoozed: r.snoozed_by !== null,
    snoozedUntil: r.snoozed_until,
    // in the conversation's order, without labels deleted since
    labels: ((live) => (JSON.parse(r.labels) as string[]).filter((l) => live.has(l)))(new Set(JSON.parse(r.live_labels) as string[])),
    hasScheduled: r.scheduled === 1,
    awaitingAssignment: r.auto_assign_waiting === 1 && r.status === 'open',
    slaDueAt: slaDue(r.status, r.sla_since, r.sla_minutes, r.sla_hours),
    waitingSince: r.status === 'open' ? r.sla_since : null,
  };
}

/** Columns of a chat list item; `@me` is the viewer's id. A chat an admin sees without
 *  being in it is never unread for them (it is not their conversation to answer). */
export const chatItemColumns = `
  ch.id, ch.kind, ch.title, ch.members, ch.last_activity_at, ch.last_preview, ch.meta_only,
  EXISTS(SELECT 1 FROM chat_members cmx WHERE cmx.chat_id = ch.id AND cmx.user_id = @me) AS is_member,
  (EXISTS(SELECT 1 FROM chat_members cmx WHERE cmx.chat_id = ch.id AND cmx.user_id = @me)
   AND EXISTS(SELECT 1 FROM chat_messages cm WHERE cm.chat_id = ch.id AND cm.author_id <> @me
         AND cm.created_at > COALESCE((SELECT last_read_at FROM read_states WHERE id = @me || ':' || ch.id), 0))) AS unread,
  EXISTS(SELECT 1 FROM undo_log u WHERE u.tbl = 'chats' AND u.row_id = ch.id) AS pending`;

export interface ChatItemRaw {
  id: string;
  kind: ChatKind;
  title: string | null;
  members: string;
  last_activity_at: number;
  last_preview: string;
  meta_only: string | null;
  is_member: number;
  unread: number;
  pending: number;
}

export function chatTitle(db: Database.Database, viewerId: string, kind: ChatKind, title: string | null, members: string[]): string {
  const names = (id: string) => (db.prepare('SELECT name FROM users WHERE id = ?').get(id) as { name: string } | undefined)?.name ?? 'Unknown';
  return chatTitleOf({ kind, title, members }, viewerId, names);
}

export function toChatItem(db: Database.Database, viewerId: string, r: ChatItemRaw): ChatListItem {
  const members = JSON.parse(r.members) as string[];
  return {
    kind: 'chat',
    id: r.id,
    chatKind: r.kind,
    title: chatTitle(db, viewerId, r.kind, r.title, members),
    members,
    lastActivityAt: r.last_activity_at,
    lastPreview: r.last_preview,
    unread: r.unread === 1,
    isMember: r.is_member === 1,
    messageCount: r.meta_only === null ? null : (JSON.parse(r.meta_only) as ChatMetaOnly).messageCount,
    pending: r.pending === 1,
  };
}
