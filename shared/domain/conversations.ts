// Conversation routing, activity and cascades, shared by every mutator that adds
// a message or removes a conversation.
import type { Channel, Contact, Conversation, Message } from '../schema';
import { MutationError, type MutatorContext, type ReadTx, type Tx } from '../tx';

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
    visibilityVersion: 0,
    version: 0,
  };
}

/**
 * Routes to the open conversation of (contact, group) or creates one. Contact
 * defaults (visibility, assignees) apply only when an inbound message creates it.
 */
export function routeOrCreate(
  tx: Tx,
  ctx: MutatorContext,
  f: { contact: Contact; groupId: string; channel: Channel; newId: string; inbound: boolean },
): { conversation: Conversation; created: boolean } {
  const existing = routedConversation(tx, f.contact.id, f.groupId);
  if (existing) return { conversation: existing, created: false };
  if (tx.get('conversations', f.newId)) throw new MutationError('conflict', 'A conversation with this id already exists.');
  const visibleTo = f.inbound ? f.contact.defaultVisibleTo : null;
  let assignees = f.inbound ? f.contact.defaultAssignees : [];
  if (visibleTo) assignees = assignees.filter((a) => visibleTo.includes(a));
  const conversation = newConversation(ctx, { id: f.newId, contactId: f.contact.id, groupId: f.groupId, channel: f.channel, visibleTo, assignees });
  tx.put('conversations', conversation);
  return { conversation, created: true };
}

/** Stores the message and moves the conversation's activity, preview and channel to it. */
export function addMessage(tx: Tx, conversation: Conversation, message: Message): Conversation {
  tx.put('messages', message);
  const fresh = tx.get('conversations', conversation.id) ?? conversation;
  const updated: Conversation = {
    ...fresh,
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
  for (const r of tx.find('readStates', { targetId: conversationId })) tx.del('readStates', r.id);
  tx.del('conversations', conversationId);
  return [...attachmentIds].sort();
}
