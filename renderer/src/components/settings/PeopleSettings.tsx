// People: role, active, and which teams they belong to.
import { useState } from 'react';
import { UserPlus } from 'lucide-react';
import type { Session } from '../../../../shared/bridge';
import { useDirectory } from '../../lib/directory';
import { mutate } from '../../lib/mutate';
import { Avatar } from '../Avatar';
import { AddPersonDialog } from './AddPersonDialog';

export function PeopleSettings({ session }: { session: Session }) {
  const dir = useDirectory();
  const [adding, setAdding] = useState(false);
  const member = (groupId: string, userId: string) => dir.memberships.some((m) => m.groupId === groupId && m.userId === userId);
  return (
    <section className="contact-sec" aria-labelledby="people-h">
      <div className="row">
        <h3 id="people-h" className="grow">
          People
        </h3>
        <button type="button" className="btn sm" onClick={() => setAdding(true)}>
          <UserPlus size={13} aria-hidden="true" /> Add person
        </button>
      </div>
      {adding && <AddPersonDialog onClose={() => setAdding(false)} />}
      <table className="bc-table settings-table">
        <thead>
          <tr>
            <th scope="col">Person</th>
            <th scope="col">Role</th>
            {dir.groups.map((g) => (
              <th key={g.id} scope="col">
                {g.name}
              </th>
            ))}
            <th scope="col">Active</th>
          </tr>
        </thead>
        <tbody>
          {dir.users.map((u) => {
            const self = u.id === session.userId;
            return (
              <tr key={u.id}>
                <td>
                  <div className="row">
                    <Avatar id={u.id} name={u.name} />
                    <div>
                      <div className="strong">
                        {u.name} {!u.active && <span className="pill">Deactivated</span>}
                      </div>
                      <div className="xs faint">{u.email}</div>
                    </div>
                  </div>
                </td>
                <td>
                  <select className="select" aria-label={`Role of ${u.name}`} value={u.role} disabled={self} onChange={(e) => void mutate('setUserRole', { userId: u.id, role: e.target.value as 'admin' | 'agent' })}>
                    <option value="agent">Agent</option>
                    <option value="admin">Admin</option>
                  </select>
                </td>
                {dir.groups.map((g) => (
                  <td key={g.id}>
                    <input
                      type="checkbox"
                      aria-label={`${u.name} in ${g.name}`}
                      checked={member(g.id, u.id)}
                      onChange={(e) => void mutate(e.target.checked ? 'addMember' : 'removeMember', { groupId: g.id, userId: u.id })}
                    />
                  </td>
                ))}
                <td>
                  <input type="checkbox" aria-label={`${u.name} active`} checked={u.active} disabled={self} onChange={(e) => void mutate('setUserActive', { userId: u.id, active: e.target.checked })} />
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}
