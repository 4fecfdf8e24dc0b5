// "Manage conversation": who may see it (Everyone / Visible to) and who it is assigned to.
import { useState } from 'react';
import { useBridgeQuery } from '../../lib/queries';
import { useDirectory, useSession } from '../../lib/directory';
import { mutate } from '../../lib/mutate';
import { useUi } from '../../state/ui';
import { Modal } from './Modal';
import { Avatar } from '../Avatar';
import type { Conversation } from '../../../../shared/schema';
import { hasAdminRole } from '../../../../shared/permissions';

function ManageForm({ c, notice }: { c: Conversation; notice?: string }) {
  const close = useUi((s) => s.closeDialog);
  const dir = useDirectory();
  const session = useSession();
  // the group's members, and an admin outside the group who may add themselves (recorded)
  const me = session ? dir.usersById.get(session.userId) : undefined;
  const groupMembers = dir.membersOf(c.groupId);
  const members = me && hasAdminRole(me) && !groupMembers.some((u) => u.id === me.id) ? [...groupMembers, me] : groupMembers;
  const [restricted, setRestricted] = useState(c.visibleTo !== null);
  const [visible, setVisible] = useState<Set<string>>(new Set(c.visibleTo ?? members.map((m) => m.id)));
  const [assignees, setAssignees] = useState<Set<string>>(new Set(c.assignees));
  const canSee = (id: string) => !restricted || visible.has(id);
  const toggle = (s: Set<string>, id: string) => {
    const n = new Set(s);
    if (n.has(id)) n.delete(id);
    else n.add(id);
    return n;
  };
  const save = async () => {
    const visibleTo = restricted ? [...visible] : null;
    // the visibility this dialog showed: a save from an older view is refused as stale and reopens here
    const r = await mutate('manageConversation', { conversationId: c.id, visibleTo, assignees: [...assignees].filter(canSee), baseVisibilityVersion: c.visibilityVersion });
    if (r.ok) close();
  };
  return (
    <Modal
      title="Manage conversation"
      onClose={close}
      footer={
        <>
          <button type="button" className="btn" onClick={close}>
            Cancel
          </button>
          <button type="button" className="btn primary" onClick={() => void save()} disabled={restricted && visible.size === 0}>
            Save
          </button>
        </>
      }
    >
      {notice && (
        <p className="chat-notice" role="alert">
          {notice}
        </p>
      )}
      <fieldset className="fs">
        <legend>Who can see it</legend>
        <label className="check">
          <input type="radio" name="vis" checked={!restricted} onChange={() => setRestricted(false)} /> Everyone in {dir.groupName(c.groupId)}
        </label>
        <label className="check">
          <input type="radio" name="vis" checked={restricted} onChange={() => setRestricted(true)} /> Visible to
        </label>
        {restricted && (
          <div className="check-list" role="group" aria-label="Visible to">
            {members.map((u) => (
              <label key={u.id} className="check">
                <input type="checkbox" checked={visible.has(u.id)} onChange={() => setVisible((s) => toggle(s, u.id))} aria-label={`Visible to ${u.name}`} />
                <Avatar id={u.id} name={u.name} /> {u.name}
              </label>
            ))}
            <p className="xs faint">Only the people ticked read it, admins included. Admins outside see that it exists, and can manage it.</p>
          </div>
        )}
      </fieldset>
      <fieldset className="fs">
        <legend>Assigned to</legend>
        <div className="check-list" role="group" aria-label="Assignees">
          {members.filter((u) => canSee(u.id)).map((u) => (
            <label key={u.id} className="check">
              <input type="checkbox" checked={assignees.has(u.id)} onChange={() => setAssignees((s) => toggle(s, u.id))} aria-label={`Assign ${u.name}`} />
              <Avatar id={u.id} name={u.name} /> {u.name}
            </label>
          ))}
          {members.length === 0 && <p className="xs faint">This team has no members.</p>}
        </div>
      </fieldset>
    </Modal>
  );
}

export function ManageDialog({ conversationId, notice }: { conversationId: string; notice?: string }) {
  const q = useBridgeQuery('conversation', { id: conversationId });
  if (!q.data) return null;
  // keyed by the visibility shown: the form restarts on the current lists when they change
  return <ManageForm key={q.data.conversation.visibilityVersion} c={q.data.conversation} notice={notice} />;
}
