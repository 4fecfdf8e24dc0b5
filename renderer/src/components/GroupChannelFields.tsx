// "From team" and "Channel" pickers, shared by every form that starts outbound messages.
import { canSendInGroup, sessionViewer } from '../../../shared/permissions';
import type { Channel, Group, Role } from '../../../shared/schema';

export function GroupChannelFields(props: {
  idPrefix: string;
  groups: Group[];
  groupId: string;
  channel: Channel;
  onGroup(id: string): void;
  onChannel(c: Channel): void;
}) {
  const { idPrefix, groups } = props;
  return (
    <div className="row form-row">
      <div className="field">
        <label htmlFor={`${idPrefix}-group`}>From team</label>
        <select id={`${idPrefix}-group`} className="select" value={props.groupId} onChange={(e) => props.onGroup(e.target.value)}>
          {groups.map((g) => (
            <option key={g.id} value={g.id}>
              {g.name}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${idPrefix}-channel`}>Channel</label>
        <select id={`${idPrefix}-channel`} className="select" value={props.channel} onChange={(e) => props.onChannel(e.target.value as Channel)}>
          <option value="sms">SMS</option>
          <option value="whatsapp">WhatsApp</option>
        </select>
      </div>
    </div>
  );
}

/** Teams a user may send from: all for admins, their memberships otherwise. */
export function sendableGroups(
  dir: { groups: Group[]; memberships: { groupId: string; userId: string }[] },
  session: { role: Role; userId: string } | null | undefined,
): Group[] {
  if (!session) return [];
  const me = sessionViewer(session, dir.memberships);
  return dir.groups.filter((g) => canSendInGroup(me, g.id));
}
