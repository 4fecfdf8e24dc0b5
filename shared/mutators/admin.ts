// Administration: groups, memberships, user status and role. Admins only.
import { ensure, ensureNew, mustGet, requireAdmin } from '../domain/actor';
import { hasAdminRole } from '../permissions';
import { args } from './args';
import { defineMutator } from './define';

const blankToNull = (s: string | null | undefined) => (s === undefined ? undefined : s === null || !s.trim() ? null : s.trim());

export const adminMutators = {
  createGroup: defineMutator({
    args: args.createGroup,
    run(tx, ctx, a) {
      requireAdmin(tx, ctx, 'create groups');
      ensureNew(tx, 'groups', a.id, 'group');
      tx.put('groups', {
        id: a.id, name: a.name, smsNumber: blankToNull(a.smsNumber) ?? null, whatsappNumber: blankToNull(a.whatsappNumber) ?? null,
        templates: [], createdAt: ctx.now, version: 0,
      });
    },
  }),
  updateGroup: defineMutator({
    args: args.updateGroup,
    run(tx, ctx, a) {
      requireAdmin(tx, ctx, 'edit groups');
      const g = mustGet(tx, 'groups', a.id, 'group');
      const sms = blankToNull(a.smsNumber);
      const wa = blankToNull(a.whatsappNumber);
      tx.put('groups', { ...g, name: a.name ?? g.name, smsNumber: sms === undefined ? g.smsNumber : sms, whatsappNumber: wa === undefined ? g.whatsappNumber : wa });
    },
  }),
  addMember: defineMutator({
    args: args.addMember,
    run(tx, ctx, a) {
      requireAdmin(tx, ctx, 'change group members');
      mustGet(tx, 'groups', a.groupId, 'group');
      mustGet(tx, 'users', a.userId, 'user');
      const id = `${a.groupId}:${a.userId}`;
      if (!tx.get('memberships', id)) tx.put('memberships', { id, groupId: a.groupId, userId: a.userId, version: 0 });
    },
  }),
  removeMember: defineMutator({
    args: args.removeMember,
    run(tx, ctx, a) {
      requireAdmin(tx, ctx, 'change group members');
      for (const m of tx.find('memberships', { groupId: a.groupId, userId: a.userId })) tx.del('memberships', m.id);
      // A former member cannot stay an assignee of the group's conversations.
      const user = tx.get('users', a.userId);
      if (user && hasAdminRole(user)) return;
      for (const c of tx.find('conversations', { groupId: a.groupId })) {
        if (c.assignees.includes(a.userId)) tx.put('conversations', { ...c, assignees: c.assignees.filter((u) => u !== a.userId) });
      }
    },
  }),
  setUserActive: defineMutator({
    args: args.setUserActive,
    run(tx, ctx, a) {
      const actor = requireAdmin(tx, ctx, 'activate or deactivate people');
      ensure(a.userId !== actor.id, 'invalid', 'You cannot deactivate or reactivate yourself.');
      const u = mustGet(tx, 'users', a.userId, 'user');
      tx.put('users', { ...u, active: a.active });
      if (!a.active) ctx.effect({ kind: 'userDeactivated', userId: u.id });
    },
  }),
  setUserRole: defineMutator({
    args: args.setUserRole,
    run(tx, ctx, a) {
      const actor = requireAdmin(tx, ctx, 'change roles');
      ensure(a.userId !== actor.id, 'invalid', 'You cannot change your own role.');
      const u = mustGet(tx, 'users', a.userId, 'user');
      tx.put('users', { ...u, role: a.role });
    },
  }),
};
