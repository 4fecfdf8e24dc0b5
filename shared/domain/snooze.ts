// Waking a snoozed conversation: back in the inboxes, at the top of the list.
import type { Conversation } from '../schema';
import type { MutatorContext, Tx } from '../tx';

export const isSnoozed = (c: Pick<Conversation, 'snoozedBy'>): boolean => c.snoozedBy !== null;

/**
 * Clears the snooze and moves the conversation to the top of the lists. `unread`: the time
 * passed (nobody wrote), so everyone's read mark goes and it shows unread again; a reply
 * makes it unread by itself.
 */
export function wake(tx: Tx, ctx: MutatorContext, c: Conversation, o: { unread: boolean }): Conversation {
  const woken: Conversation = { ...c, snoozedBy: null, snoozedUntil: null, wokenAt: ctx.now, lastActivityAt: Math.max(c.lastActivityAt, ctx.now) };
  tx.put('conversations', woken);
  if (o.unread) for (const r of tx.find('readStates', { targetId: c.id })) tx.del('readStates', r.id);
  return woken;
}
