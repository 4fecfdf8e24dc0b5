// A conversation's activity timeline (issue 13): every state change of a conversation writes one
// `activities` row through recordActivity, in the mutation's own transaction, so a refused
// mutation writes none and an optimistic one is undone with it. The row holds ids (users, labels,
// invoices) and times, never content; it lives in the conversation's scope (shared/scopes.ts).
import type { ActivityDetails, ActivityKind, Conversation } from '../schema';
import type { MutatorContext, ReadTx, Tx } from '../tx';

/** The user id system mutations run as on the relay (server/sync/engine.ts SYSTEM_ACTOR). */
export const SYSTEM_USER_ID = 'system';

/**
 * Appends one line to the conversation's timeline. The actor is the caller, or nobody when the
 * relay runs it (a timer, the payment provider); `auto: true` marks a rule's doing
 * ("Assigned to Ben automatically").
 */
export function recordActivity(tx: Tx, ctx: MutatorContext, conversationId: string, kind: ActivityKind, details: ActivityDetails = {}): void {
  const actorId = ctx.userId === SYSTEM_USER_ID ? null : ctx.userId;
  tx.put('activities', { id: ctx.newId(), conversationId, kind, actorId, at: ctx.now, details, version: 0 });
}

const added = (before: readonly string[], after: readonly string[]) => after.filter((u) => !before.includes(u));

/** The assignment lines of a change of assignees: who was assigned, who unassigned. */
export function recordAssignees(tx: Tx, ctx: MutatorContext, conversationId: string, before: readonly string[], after: readonly string[], auto = false): void {
  const on = added(before, after);
  const off = added(after, before);
  const flag = auto ? { auto: true } : {};
  if (on.length) recordActivity(tx, ctx, conversationId, 'assigned', { userIds: on, ...flag });
  if (off.length) recordActivity(tx, ctx, conversationId, 'unassigned', { userIds: off, ...flag });
}

/** The visibility line of a change of "Visible to" (null = everyone in the group). */
export function recordVisibility(tx: Tx, ctx: MutatorContext, conversationId: string, before: string[] | null, after: string[] | null): { added: string[]; removed: string[] } {
  const change = { added: after === null ? [] : added(before ?? [], after), removed: before === null || after === null ? [] : added(after, before) };
  recordActivity(tx, ctx, conversationId, 'visibility', { visibleTo: after, ...change });
  return change;
}

/** Moves the timeline of a conversation merged into another (contact merge). */
export function moveActivities(tx: Tx, fromId: string, toId: string): void {
  for (const a of tx.find('activities', { conversationId: fromId })) tx.put('activities', { ...a, conversationId: toId });
}

/**
 * How the audit log names a conversation: its contact's name and number, never its content
 * (a restricted conversation's entry tells an admin which conversation, not what it says).
 */
export function conversationName(tx: ReadTx, c: Pick<Conversation, 'contactId'>): string {
  const contact = tx.get('contacts', c.contactId);
  return contact ? `${contact.name} (${contact.phone})` : 'a deleted contact';
}
