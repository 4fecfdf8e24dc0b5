// Defaults for new inbound conversations with this contact: visibility and assignees.
import { useState } from 'react';
import type { Contact } from '../../../../shared/schema';
import { useDirectory } from '../../lib/directory';
import { mutate } from '../../lib/mutate';

export function ContactDefaults({ contact: c }: { contact: Contact }) {
  const dir = useDirectory();
  const users = dir.users.filter((u) => u.active);
  const [restricted, setRestricted] = useState(c.defaultVisibleTo !== null);
  const [visible, setVisible] = useState(new Set(c.defaultVisibleTo ?? []));
  const [assignees, setAssignees] = useState(new Set(c.defaultAssignees));
  const [saved, setSaved] = useState(false);
  const toggle = (s: Set<string>, id: string) => {
    const n = new Set(s);
    if (n.has(id)) n.delete(id);
    else n.add(id);
    setSaved(false);
    return n;
  };
  const canSee = (id: string) => !restricted || visible.has(id);
  const save = async () => {
    const r = await mutate('setContactDefaults', { id: c.id, visibleTo: restricted ? [...visible] : null, assignees: [...assignees].filter(canSee) });
    setSaved(r.ok);
  };
  return (
    <section className="contact-sec" aria-labelledby="defaults-h">
      <h3 id="defaults-h">Defaults for new conversations</h3>
      <p className="xs faint">
        Applied to conversations this contact starts from now on. Each conversation keeps only the people in its team; when none of them are, everyone in that team sees it.
      </p>
      <div className="defaults-grid">
        <fieldset className="fs">
          <legend>Who can see them</legend>
          <label className="check">
            <input type="radio" name="dvis" checked={!restricted} onChange={() => { setRestricted(false); setSaved(false); }} /> Everyone in the team
          </label>
          <label className="check">
            <input type="radio" name="dvis" checked={restricted} onChange={() => { setRestricted(true); setSaved(false); }} /> Visible to
          </label>
          {restricted &&
            users.map((u) => (
              <label key={u.id} className="check indent">
                <input type="checkbox" checked={visible.has(u.id)} onChange={() => setVisible((s) => toggle(s, u.id))} aria-label={`Default visible to ${u.name}`} /> {u.name}
              </label>
            ))}
        </fieldset>
        <fieldset className="fs">
          <legend>Assign to</legend>
          {users.filter((u) => canSee(u.id)).map((u) => (
            <label key={u.id} className="check">
              <input type="checkbox" checked={assignees.has(u.id)} onChange={() => setAssignees((s) => toggle(s, u.id))} aria-label={`Default assignee ${u.name}`} /> {u.name}
            </label>
          ))}
        </fieldset>
      </div>
      <div className="row">
        <button type="button" className="btn sm" onClick={() => void save()} aria-label="Save defaults">
          Save defaults
        </button>
        {saved && <span className="xs muted" role="status">Saved</span>}
      </div>
    </section>
  );
}
