// "Accepting new conversations": the user's own switch for automatic assignment (issue 13 part 2).
// Shown when one of the user's teams assigns automatically (or while they are not accepting, so
// they can turn it back on). The relay skips a user who is not accepting.
import type { Session } from '../../../shared/bridge';
import { canSeeGroup, sessionViewer } from '../../../shared/permissions';
import { useDirectory } from '../lib/directory';
import { mutate } from '../lib/mutate';

export function AcceptingToggle({ session }: { session: Session }) {
  const dir = useDirectory();
  const me = dir.usersById.get(session.userId);
  if (!me) return null;
  const viewer = sessionViewer(session, dir.memberships);
  const autoTeams = dir.groups.filter((g) => g.autoAssign !== 'off' && viewer.groupIds.has(g.id) && canSeeGroup(viewer, g.id));
  if (autoTeams.length === 0 && me.accepting) return null;
  const label = me.accepting ? 'Accepting new conversations' : 'Not accepting conversations';
  const hint = me.accepting
    ? `Automatic assignment may give you new conversations in ${autoTeams.map((g) => g.name).join(', ')}. Switch off to stop receiving them.`
    : 'Automatic assignment skips you. Switch on to receive new conversations again.';
  return (
    <button
      type="button"
      role="switch"
      aria-checked={me.accepting}
      className={me.accepting ? 'accepting-toggle on' : 'accepting-toggle'}
      title={hint}
      onClick={() => void mutate('setAccepting', { accepting: !me.accepting })}
    >
      <span className="accepting-track" aria-hidden="true">
        <span className="accepting-thumb" />
      </span>
      <span className="ellipsis">{label}</span>
    </button>
  );
}
