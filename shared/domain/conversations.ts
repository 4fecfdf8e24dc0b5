// Conversation routing, activity and cascades, shared by every mutator that adds
// a message or removes a conversation.
import type { Channel, Contact, Conversation, Message } from '../schema';
import { MutationError, type MutatorContext, type ReadTx, type Tx } from '../tx';
import { moveActivities, recordActivity } from './activity';

export const PREVIEW_MAX = 140;

/** One line, at most 140 characters, for inbox rows. */
export function previewOf(m: Pick<Message, 'body' | 'attachments' | 'location'>): string {
  const line = m.body.replace(/\s+/g, ' ').trim();
  const text = line || (m.attachments.length ? `📎 ${m.attachments[0]?.name ?? 'Attachment'}` : m.location ? '📍 Location' : '');
  const chars = [...text];
  return chars.length <= PREVIEW_MAX ? text : `${chars.slice(0, PREVIEW_MAX - 1).join('')}…`;
}

/** The open conversation new messages go to: greatest openedAt (ties: greatest id, for determinism). */
export function routedConversation(tx: ReadTx, contactId: string, groupId: string): Conversation | undefined {
  const open = tx.find('conversations', { contactId, groupId, status: 'open' });
  let best: Conversation | undefined;
  for (const c of open) {
    if (!best || c.openedAt > best.openedAt || (c.openedAt === best.openedAt && c.id > best.id)) best = c;
  }
  return best;
}

export function newConversation(
  ctx: MutatorContext,
  f: { id: string; contactId: string; groupId: string; channel: Channel; visibleTo?: string[] | null; assignees?: string[] },
): Conversation {
  return {
    id: f.id,
    contactId: f.contactId,
    groupId: f.groupId,
    channel: f.channel,
    status: 'open',
    visibleTo: f.visibleTo ?? null,
    assignees: f.assignees ?? [],
    createdAt: ctx.now,
    openedAt: ctx.now,
    archivedAt: null,
    lastActivityAt: ctx.now,
    lastPreview: '',
    lastInboundAt: null,
    snoozedBy: null,
    snoozedUntil: null,
    wokenAt: null,
    labels: [],
    autoAssignWaiting: false,
    autoAssignedTo: null,
    autoAssignedAt: null,
    visibilityVersion: 0,
    visibilityChangedBy: null,
    metaOnly: null,
    version: 0,
  };
}

/**
 * A contact's defaults as they apply to a new conversation of `groupId` (issue 10 item 5):
 * defaults are org-wide but a conversation belongs to a group, so the visible-to list keeps only
 * active members of that group, and falls back to the whole group (null) when none remain;
 * assignees keep active group members within the resulting list. Defaults never hide a
 * conversation from its own group.
 */
export function defaultsForGroup(tx: ReadTx, contact: Pick<Contact, 'defaultVisibleTo' | 'defaultAssignees'>, groupId: string): { visibleTo: string[] | null; assignees: string[] } {
  const inGroup = (userId: string) => tx.get('users', userId)?.active === true && tx.find('memberships', { groupId, userId }).length > 0;
  const listed = contact.defaultVisibleTo?.filter(inGroup) ?? [];
  const visibleTo = listed.length > 0 ? listed : null;
  const assignees = contact.defaultAssignees.filter((a) => inGroup(a) && (visibleTo === null || visibleTo.includes(a)));
  return { visibleTo, assignees };
}

/**
 * Routes to the open conversation of (contact, group) or creates one. Contact defaults
 * (visibility, assignees) apply only when an inbound message creates it; an outbound message may
 * restrict the conversation it creates (`visibleTo`, `assignees`, already checked by the caller).
 */
export function routeOrCreate(
  tx: Tx,
  ctx: MutatorContext,
  f: { contact: Contact; groupId: string; channel: Channel; newId: string; inbound: boolean; visibleTo?: string[] | null; assignees?: string[] },
): { conversation: Conversation; created: boolean } {
  const existing = routedConversation(tx, f.contact.id, f.groupId);
  if (existing) return { conversation: existing, created: false };
  if (tx.get('conversations', f.newId)) throw new MutationError('conflict', 'A conversation with this id already exists.');
  const { visibleTo, assignees } = f.inbound ? defaultsForGroup(tx, f.contact, f.groupId) : { visibleTo: f.visibleTo ?? null, assignees: f.assignees ?? [] };
  const conversation = newConversation(ctx, { id: f.newId, contactId: f.contact.id, groupId: f.groupId, channel: f.channel, visibleTo, assignees });
  tx.put('conversations', conversation);
  return { conversation, created: true };
}

/**
 * Stores the message and moves the conversation's activity, preview and channel to it. An
 * inbound message wakes a snoozed conversation (snooze "until the contact replies", or early).
 */
export function addMessage(tx: Tx, conversation: Conversation, message: Message): Conversation {
  tx.put('messages', message);
  const fresh = tx.get('conversations', conversation.id) ?? conversation;
  const wakes = message.direction === 'inbound' && fresh.snoozedBy !== null;
  const updated: Conversation = {
    ...fresh,
    ...(wakes ? { snoozedBy: null, snoozedUntil: null, wokenAt: message.createdAt } : {}),
    channel: message.channel,
    lastActivityAt: Math.max(fresh.lastActivityAt, message.createdAt),
    lastPreview: previewOf(message),
    lastInboundAt: message.direction === 'inbound' ? message.createdAt : fresh.lastInboundAt,
  };
  tx.put('conversations', updated);
  return updated;
}

export const ARCHIVE_BLOCKED_BY_INVOICE = 'This conversation has an unpaid invoice. Mark it paid or void it before archiving.';
export const DELETE_BLOCKED_BY_INVOICE = 'This conversation has an outstanding invoice. Mark it paid or void it before deleting.';

/** The rule of hasSentInvoice over a conversation's invoices as the UI holds them: why Archive and Delete are unavailable, or null. */
export function blockedByInvoice(invoices: readonly { status: string }[], action: 'archive' | 'delete'): string | null {
  if (!invoices.some((i) => i.status === 'sent')) return null;
  return action === 'archive' ? ARCHIVE_BLOCKED_BY_INVOICE : DELETE_BLOCKED_BY_INVOICE;
}

export function hasSentInvoice(tx: ReadTx, conversationId: string): boolean {
  // a replica holding the metadata row only (an admin outside "Visible to") has no invoices, but the flag
  if (tx.get('conversations', conversationId)?.metaOnly?.invoiceOutstanding) return true;
  return tx.find('invoices', { conversationId, status: 'sent' }).length > 0;
}

/** Deletes a conversation and everything under it; returns the attachment ids it referenced. */
export function deleteConversationCascade(tx: Tx, conversationId: string): string[] {
  const attachmentIds = new Set<string>();
  for (const m of tx.find('messages', { conversationId })) {
    for (const a of m.attachments) attachmentIds.add(a.id);
    tx.del('messages', m.id);
  }
  for (const n of tx.find('notes', { conversationId })) tx.del('notes', n.id);
  for (const m of tx.find('mentions', { conversationId })) tx.del('mentions', m.id);
  for (const i of tx.find('invoices', { conversationId })) tx.del('invoices', i.id);
  for (const c of tx.find('checkouts', { conversationId })) tx.del('checkouts', c.id);
  for (const a of tx.find('activities', { conversationId })) tx.del('activities', a.id);
  for (const r of tx.find('readStates', { targetId: conversationId })) tx.del('readStates', r.id);
  tx.del('conversations', conversationId);
  return [...attachmentIds].sort();
}

const sameAudience = (a: Conversation, b: Conversation): boolean => {
  if (a.visibleTo === null || b.visibleTo === null) return a.visibleTo === b.visibleTo;
  const x = [...a.visibleTo].sort();
  const y = [...b.visibleTo].sort();
  return x.length === y.length && x.every((u, i) => u === y[i]);
};

export type MergeOutcome = { groupId: string; kept: string; other: string; outcome: 'merged' | 'archived' | 'left_open' };

/**
 * After a contact merge: at most one open conversation per (contact, group). The most recently
 * opened one stays. Another one visible to the same people is merged into it (its messages,
 * notes, invoices and checkouts move; nothing is lost); one visible to different people is
 * archived instead (merging would show its content to people it was hidden from), unless it
 * holds an unpaid invoice, which archiving refuses: then both stay open (the allowed exception).
 */
export function mergeOpenConversations(tx: Tx, ctx: MutatorContext, contactId: string): MergeOutcome[] {
  const now = ctx.now;
  const byGroup = new Map<string, Conversation[]>();
  for (const c of tx.find('conversations', { contactId, status: 'open' })) byGroup.set(c.groupId, [...(byGroup.get(c.groupId) ?? []), c]);
  const outcomes: MergeOutcome[] = [];
  for (const [groupId, open] of byGroup) {
    if (open.length < 2) continue;
    open.sort((a, b) => b.openedAt - a.openedAt || (a.id < b.id ? 1 : -1));
    let keep = open[0] as Conversation;
    for (const other of open.slice(1)) {
      if (sameAudience(keep, other)) {
        for (const m of tx.find('messages', { conversationId: other.id })) tx.put('messages', { ...m, conversationId: keep.id });
        for (const n of tx.find('notes', { conversationId: other.id })) tx.put('notes', { ...n, conversationId: keep.id });
        for (const i of tx.find('invoices', { conversationId: other.id })) tx.put('invoices', { ...i, conversationId: keep.id });
        for (const c of tx.find('checkouts', { conversationId: other.id })) tx.put('checkouts', { ...c, conversationId: keep.id });
        for (const r of tx.find('readStates', { targetId: other.id })) tx.del('readStates', r.id);
        moveActivities(tx, other.id, keep.id);
        const later = other.lastActivityAt > keep.lastActivityAt;
        keep = {
          ...keep,
          assignees: [...new Set([...keep.assignees, ...other.assignees])],
          createdAt: Math.min(keep.createdAt, other.createdAt),
          lastActivityAt: Math.max(keep.lastActivityAt, other.lastActivityAt),
          lastPreview: later ? other.lastPreview : keep.lastPreview,
          channel: later ? other.channel : keep.channel,
          lastInboundAt: Math.max(keep.lastInboundAt ?? 0, other.lastInboundAt ?? 0) || null,
        };
        tx.put('conversations', keep);
        tx.del('conversations', other.id);
        recordActivity(tx, ctx, keep.id, 'merged', { mergedId: other.id });
        outcomes.push({ groupId, kept: keep.id, other: other.id, outcome: 'merged' });
      } else if (!hasSentInvoice(tx, other.id)) {
        tx.put('conversations', { ...other, status: 'archived', archivedAt: now });
        recordActivity(tx, ctx, other.id, 'archived', { mergedId: keep.id });
        outcomes.push({ groupId, kept: keep.id, other: other.id, outcome: 'archived' });
      } else {
        outcomes.push({ groupId, kept: keep.id, other: other.id, outcome: 'left_open' });
      }
    }
  }
  return outcomes;
}
