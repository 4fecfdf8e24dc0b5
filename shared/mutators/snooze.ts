// Snooze: a conversation leaves Team inbox and My inbox until a time or until the contact
// replies. The relay's timer wakes it (wakeConversation, server/timers/); an inbound message
// wakes it too (domain/conversations.ts addMessage). Who may: the rule of archive.
import { ensure, requireActor } from '../domain/actor';
import { recordActivity } from '../domain/activity';
import { wake } from '../domain/snooze';
import { canSnooze } from '../permissions';
import { args } from './args';
import { knownConversation } from './conversations';
import { defineMutator } from './define';

const MINUTE = 60_000;
const YEAR = 366 * 24 * 60 * MINUTE;

export const snoozeMutators = {
  snoozeConversation: defineMutator({
    args: args.snoozeConversation,
    run(tx, ctx, a) {
      const actor = requireActor(tx, ctx);
      const c = knownConversation(tx, actor, a.conversationId);
      ensure(canSnooze(actor, c), 'forbidden', 'Only assignees and admins can snooze this conversation.');
      ensure(c.status === 'open', 'invalid', 'This conversation is archived. Unarchive it before snoozing.');
      if (a.until !== null) {
        // Offline, the time is checked when it is chosen; the relay takes a time that passed
        // while the snooze waited to sync (its timer then wakes it at once).
        if (ctx.side === 'client') ensure(a.until > ctx.now, 'invalid', 'Choose a time in the future.');
        ensure(a.until <= ctx.now + YEAR, 'invalid', 'A conversation can be snoozed for at most a year.');
      }
      tx.put('conversations', { ...c, snoozedBy: actor.id, snoozedUntil: a.until });
      recordActivity(tx, ctx, c.id, 'snoozed', { until: a.until });
    },
  }),
  unsnoozeConversation: defineMutator({
    args: args.unsnoozeConversation,
    run(tx, ctx, a) {
      const actor = requireActor(tx, ctx);
      const c = knownConversation(tx, actor, a.conversationId);
      ensure(canSnooze(actor, c), 'forbidden', 'Only assignees and admins can unsnooze this conversation.');
      if (c.snoozedBy === null) return;
      tx.put('conversations', { ...c, snoozedBy: null, snoozedUntil: null });
      recordActivity(tx, ctx, c.id, 'unsnoozed');
    },
  }),
  wakeConversation: defineMutator({
    args: args.wakeConversation,
    system: true,
    run(tx, ctx, a) {
      const c = tx.get('conversations', a.conversationId);
      // Unsnoozed, re-snoozed later or deleted since the timer was set: nothing to do.
      if (!c || c.snoozedBy === null || c.snoozedUntil === null || c.snoozedUntil > ctx.now) return;
      wake(tx, ctx, c, { unread: true });
      recordActivity(tx, ctx, c.id, 'woke');
    },
  }),
};
