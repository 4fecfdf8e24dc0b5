// Automatic assignment of new inbound conversations (issue 13 part 2): round robin with capacity,
// decided by the relay in one system mutation (`autoAssign`). The relay passes the members it
// sees online (or online or away, per the group's mode) as candidates; everything else is checked
// here, in the writing transaction, so two relays racing over one conversation produce one
// assignment: the conversation must still wait, the chosen member must still be an active member
// of the group, accepting, able to read the conversation (contact defaults restrict it: defaults
// win) and under the group's capacity. The round-robin pointer (groups.autoAssignLast) is written
// in the same transaction.
import { canSeeConversation, viewerFromTx } from '../permissions';
import type { AutoAssignMode, Conversation, Group } from '../schema';
import type { ReadTx } from '../tx';

export const AUTO_ASSIGN_CAPACITY_MAX = 100;

/** Whether a member whose presence is `status` takes part in the group's round robin. */
export function presenceQualifies(mode: AutoAssignMode, status: 'online' | 'away' | 'offline' | null): boolean {
  if (mode === 'off' || status === null || status === 'offline') return false;
  return status === 'online' || mode === 'online_away';
}

/**
 * The member a waiting conversation goes to, or null when nobody may take it now: the first
 * eligible candidate after the group's pointer, in the order of user ids (a stable ring).
 */
export function chooseAssignee(tx: ReadTx, group: Group, c: Conversation, candidates: readonly string[]): string | null {
  if (group.autoAssign === 'off') return null;
  const offered = new Set(candidates);
  const ring = tx
    .find('memberships', { groupId: group.id })
    .map((m) => m.userId)
    .filter((u) => offered.has(u))
    .sort();
  const start = group.autoAssignLast === null ? 0 : ring.findIndex((u) => u > (group.autoAssignLast as string));
  const ordered = start <= 0 ? ring : [...ring.slice(start), ...ring.slice(0, start)];
  const counts = ordered.length ? countsByAssignee(tx, group.id) : new Map<string, number>();
  for (const userId of ordered) {
    const user = tx.get('users', userId);
    if (!user?.active || !user.accepting) continue;
    const viewer = viewerFromTx(tx, userId);
    if (!viewer || !canSeeConversation(viewer, c)) continue;
    if ((counts.get(userId) ?? 0) >= group.autoAssignCapacity) continue;
    return userId;
  }
  return null;
}

function countsByAssignee(tx: ReadTx, groupId: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const c of tx.find('conversations', { groupId, status: 'open' })) for (const u of c.assignees) counts.set(u, (counts.get(u) ?? 0) + 1);
  return counts;
}
