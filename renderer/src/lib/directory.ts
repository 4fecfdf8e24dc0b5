// Users and groups by id, from the `directory` query.
import { useMemo } from 'react';
import type { Group, User } from '../../../shared/schema';
import { useBridgeQuery } from './queries';

export function useDirectory() {
  const q = useBridgeQuery('directory', {});
  return useMemo(() => {
    const d = q.data ?? { users: [], groups: [], memberships: [] };
    const users = new Map<string, User>(d.users.map((u) => [u.id, u]));
    const groups = new Map<string, Group>(d.groups.map((g) => [g.id, g]));
    const membersOf = (groupId: string) =>
      d.memberships.filter((m) => m.groupId === groupId).map((m) => users.get(m.userId)).filter((u): u is User => !!u && u.active);
    const userName = (id: string) => users.get(id)?.name ?? 'Unknown user';
    const groupName = (id: string) => groups.get(id)?.name ?? 'Unknown team';
    return { ...d, users: d.users, usersById: users, groupsById: groups, membersOf, userName, groupName };
  }, [q.data]);
}

export function useSession() {
  return useBridgeQuery('session', {}).data ?? null;
}
