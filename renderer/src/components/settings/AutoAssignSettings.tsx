// Automatic assignment per team (issue 13 part 2): off, among members online, or online or away;
// the capacity (open conversations per person). The relay decides; this only sets the rule.
import { useState } from 'react';
import type { AutoAssignMode, Group } from '../../../../shared/schema';
import { AUTO_ASSIGN_CAPACITY_MAX } from '../../../../shared/domain/autoAssign';
import { useDirectory } from '../../lib/directory';
import { mutate } from '../../lib/mutate';
import { toast } from '../../state/toasts';

const modeLabels: Record<AutoAssignMode, string> = {
  off: 'Off',
  online: 'Members online',
  online_away: 'Members online or away',
};

function AutoAssignRow({ g }: { g: Group }) {
  const [mode, setMode] = useState<AutoAssignMode>(g.autoAssign);
  const [capacity, setCapacity] = useState(String(g.autoAssignCapacity));
  const n = Number(capacity);
  const valid = Number.isInteger(n) && n >= 1 && n <= AUTO_ASSIGN_CAPACITY_MAX;
  const dirty = mode !== g.autoAssign || n !== g.autoAssignCapacity;
  const save = async () => {
    const r = await mutate('setAutoAssign', { groupId: g.id, mode, capacity: n });
    if (r.ok) toast('success', mode === 'off' ? `Automatic assignment is off in ${g.name}` : `${g.name}: new conversations go round robin to ${modeLabels[mode].toLowerCase()}, at most ${n} each`);
  };
  return (
    <tr>
      <th scope="row">{g.name}</th>
      <td>
        <select className="select auto-assign-select" aria-label={`Automatic assignment in ${g.name}`} value={mode} onChange={(e) => setMode(e.target.value as AutoAssignMode)}>
          {(Object.keys(modeLabels) as AutoAssignMode[]).map((m) => (
            <option key={m} value={m}>
              {modeLabels[m]}
            </option>
          ))}
        </select>
      </td>
      <td>
        <input
          className="input capacity-input"
          type="number"
          min={1}
          max={AUTO_ASSIGN_CAPACITY_MAX}
          aria-label={`Capacity in ${g.name}`}
          aria-invalid={!valid}
          aria-describedby="auto-assign-help"
          disabled={mode === 'off'}
          value={capacity}
          onChange={(e) => setCapacity(e.target.value)}
        />
      </td>
      <td>
        <button type="button" className="btn sm" disabled={!dirty || !valid} onClick={() => void save()} aria-label={`Save automatic assignment of ${g.name}`}>
          Save
        </button>
      </td>
    </tr>
  );
}

export function AutoAssignSettings() {
  const dir = useDirectory();
  return (
    <section className="contact-sec" aria-labelledby="auto-assign-h">
      <h3 id="auto-assign-h">Automatic assignment</h3>
      <p className="small muted" id="auto-assign-help">
        New conversations from customers go to the team's members in turn, skipping anyone who is not accepting new conversations or already holds as many open
        conversations as the capacity ({`1–${AUTO_ASSIGN_CAPACITY_MAX}`}). A contact's default assignees come first. When nobody can take one, it waits and goes to the next
        person who frees up.
      </p>
      <table className="bc-table settings-table">
        <thead>
          <tr>
            <th scope="col">Team</th>
            <th scope="col">Assign to</th>
            <th scope="col">Capacity per person</th>
            <th scope="col">
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {dir.groups.map((g) => (
            // keyed by the setting, not the row's version: each automatic assignment moves the round-robin pointer
            <AutoAssignRow key={`${g.id}:${g.autoAssign}:${g.autoAssignCapacity}`} g={g} />
          ))}
        </tbody>
      </table>
    </section>
  );
}
