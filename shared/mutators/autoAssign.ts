// Automatic assignment (issue 13 part 2): the admin's per-group setting, each user's
// "not accepting new conversations", and the relay's decision (shared/domain/autoAssign.ts).
// An inbound message that creates a conversation in a group with automatic assignment on marks
// it waiting (messages.ts receiveInbound) unless its contact's defaults assigned it (defaults win).
import { recordAssignees } from '../domain/activity';
import { mustGet, requireActor, requireAdmin } from '../domain/actor';
import { chooseAssignee } from '../domain/autoAssign';
import { args } from './args';
import { defineMutator } from './define';

export const autoAssignMutators = {
  setAutoAssign: defineMutator({
    args: args.setAutoAssign,
    run(tx, ctx, a) {
      requireAdmin(tx, ctx, 'change automatic assignment');
      const g = mustGet(tx, 'groups', a.groupId, 'group');
      if (g.autoAssign === a.mode && g.autoAssignCapacity === a.capacity) return;
      tx.put('groups', { ...g, autoAssign: a.mode, autoAssignCapacity: a.capacity });
    },
  }),
  setAccepting: defineMutator({
    args: args.setAccepting,
    run(tx, ctx, a) {
      requireActor(tx, ctx);
      const u = mustGet(tx, 'users', ctx.userId, 'user');
      if (u.accepting !== a.accepting) tx.put('users', { ...u, accepting: a.accepting });
    },
  }),
  autoAssign: defineMutator({
    args: args.autoAssign,
    system: true,
    run(tx, ctx, a) {
      const c = tx.get('conversations', a.conversationId);
      // One decision per conversation: assigned (by a person or another relay), archived or
      // deleted since it began to wait, it waits no more.
      if (!c?.autoAssignWaiting) return;
      const group = tx.get('groups', c.groupId);
      if (c.status !== 'open' || c.assignees.length > 0 || !group || group.autoAssign === 'off') {
        tx.put('conversations', { ...c, autoAssignWaiting: false });
        return;
      }
      const userId = chooseAssignee(tx, group, c, a.candidates);
      if (userId === null) return; // nobody has capacity: it waits, oldest first, for the next turn
      tx.put('conversations', { ...c, assignees: [userId], autoAssignWaiting: false, autoAssignedTo: userId, autoAssignedAt: ctx.now });
      tx.put('groups', { ...group, autoAssignLast: userId });
      // the timeline's "Assigned to Ben automatically", like every other state change
      recordAssignees(tx, ctx, c.id, [], [userId], true);
    },
  }),
};
