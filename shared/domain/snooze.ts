// Waking a snoozed conversation: back in the inboxes, at the top of the list.
import type { Conversation } from '../schema';
import type { MutatorContext, Tx } from '../tx';

export const isSnoozed = (c: Pick<Conversation, 'snoozedBy'>): boolean => c.snoozedBy !== null;

/**
 * Clears the snooze and moves the conversation to the top of the lists. `unread`: the time
 * passed (nobody wrote), so it comes back unread for those it was put away for — the person who
 * snoozed it and its assignees (their read marks go); everyone else's read mark is theirs and
 * stays. A reply makes it unread by itself.
 */
export function wake(tx: Tx, ctx: MutatorContext, c: Conversation, o: { unread: boolean }): Conversation {
  const woken: Conversation = { ...c, snoozedBy: null, snoozedUntil: null, wokenAt: ctx.now, lastActivityAt: Math.max(c.lastActivityAt, ctx.now) };
  tx.put('conversations', woken);
  if (o.unread) {
    const forWhom = new Set([...(c.snoozedBy === null ? [] : [c.snoozedBy]), ...c.assignees]);
    for (const r of tx.find('readStates', { targetId: c.id })) if (forWhom.has(r.userId)) tx.del('readStates', r.id);
  }
  return woken;
}
