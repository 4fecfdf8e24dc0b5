// Teams: name and channel numbers; create a team.
import { useState } from 'react';
import { Plus } from 'lucide-react';
import type { Group } from '../../../../shared/schema';
import { useDirectory } from '../../lib/directory';
import { mutate, newId } from '../../lib/mutate';
import { toast } from '../../state/toasts';

function GroupRow({ g }: { g: Group }) {
  const [name, setName] = useState(g.name);
  const [sms, setSms] = useState(g.smsNumber ?? '');
  const [wa, setWa] = useState(g.whatsappNumber ?? '');
  const dirty = name !== g.name || sms !== (g.smsNumber ?? '') || wa !== (g.whatsappNumber ?? '');
  const save = async () => {
    const r = await mutate('updateGroup', { id: g.id, name: name.trim(), smsNumber: sms.trim() || null, whatsappNumber: wa.trim() || null });
    if (r.ok) toast('success', `Saved ${name.trim()}`);
  };
  return (
    <tr>
      <td>
        <input className="input" aria-label={`Name of ${g.name}`} value={name} onChange={(e) => setName(e.target.value)} />
      </td>
      <td>
        <input className="input" aria-label={`SMS number of ${g.name}`} value={sms} onChange={(e) => setSms(e.target.value)} placeholder="+44…" />
      </td>
      <td>
        <input className="input" aria-label={`WhatsApp number of ${g.name}`} value={wa} onChange={(e) => setWa(e.target.value)} placeholder="+44…" />
      </td>
      <td>
        <button type="button" className="btn sm" disabled={!dirty || !name.trim()} onClick={() => void save()} aria-label={`Save ${g.name}`}>
          Save
        </button>
      </td>
    </tr>
  );
}

export function GroupsSettings() {
  const dir = useDirectory();
  const [name, setName] = useState('');
  const create = async () => {
    if (!name.trim()) return;
    const r = await mutate('createGroup', { id: newId(), name: name.trim() });
    if (r.ok) setName('');
  };
  return (
    <section className="contact-sec" aria-labelledby="teams-h">
      <h3 id="teams-h">Teams</h3>
      <table className="bc-table settings-table">
        <thead>
          <tr>
            <th scope="col">Team</th>
            <th scope="col">SMS number</th>
            <th scope="col">WhatsApp number</th>
            <th scope="col">
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {dir.groups.map((g) => (
            // keyed by what it edits: the row's version also moves with automatic assignment's pointer
            <GroupRow key={`${g.id}:${g.name}:${g.smsNumber ?? ''}:${g.whatsappNumber ?? ''}`} g={g} />
          ))}
        </tbody>
      </table>
      <div className="row">
        <input className="input" aria-label="New team name" placeholder="New team name" value={name} onChange={(e) => setName(e.target.value)} />
        <button type="button" className="btn sm" onClick={() => void create()} disabled={!name.trim()}>
          <Plus size={13} aria-hidden="true" /> Add team
        </button>
      </div>
    </section>
  );
}
