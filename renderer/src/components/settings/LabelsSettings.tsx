// Labels of the organisation (admins): name and colour; rename, recolour, delete.
import { useState } from 'react';
import { Plus, Trash2 } from 'lucide-react';
import { labelColors, type LabelColor } from '../../../../shared/labelColors';
import type { Label } from '../../../../shared/schema';
import { mutate, newId } from '../../lib/mutate';
import { useBridgeQuery } from '../../lib/queries';
import { LabelPill } from '../LabelPill';

function ColorChoices({ value, onChange, name }: { value: LabelColor; onChange: (c: LabelColor) => void; name: string }) {
  return (
    <span className="color-choices" role="radiogroup" aria-label={`Colour of ${name}`}>
      {labelColors.map((c) => (
        <button key={c} type="button" role="radio" aria-checked={value === c} aria-label={c} title={c} className={`color-choice label-${c}`} onClick={() => onChange(c)} />
      ))}
    </span>
  );
}

function LabelRow({ l }: { l: Label }) {
  const [name, setName] = useState(l.name);
  const dirty = name.trim() !== l.name;
  return (
    <div className="label-row">
      <LabelPill name={l.name} color={l.color} />
      <input className="input grow" aria-label={`Name of label ${l.name}`} value={name} maxLength={40} onChange={(e) => setName(e.target.value)} />
      <ColorChoices value={l.color} name={l.name} onChange={(color) => void mutate('updateLabel', { id: l.id, color })} />
      <button type="button" className="btn sm" disabled={!dirty || !name.trim()} onClick={() => void mutate('updateLabel', { id: l.id, name: name.trim() })} aria-label={`Save label ${l.name}`}>
        Save
      </button>
      <button type="button" className="icon-btn danger-hover" onClick={() => void mutate('deleteLabel', { id: l.id })} aria-label={`Delete label ${l.name}`} title="Delete: conversations lose this label">
        <Trash2 size={14} />
      </button>
    </div>
  );
}

export function LabelsSettings() {
  const labels = useBridgeQuery('labels', {}).data ?? [];
  const [name, setName] = useState('');
  const [color, setColor] = useState<LabelColor>('blue');
  const create = async () => {
    if (!name.trim()) return;
    const r = await mutate('createLabel', { id: newId(), name: name.trim(), color });
    if (r.ok) setName('');
  };
  return (
    <section className="contact-sec label-settings" aria-labelledby="labels-h">
      <h3 id="labels-h">Labels</h3>
      <p className="small muted">Anyone who sees a conversation can label it (L); the list filters by label.</p>
      {labels.map((l) => (
        <LabelRow key={`${l.id}:${l.version}`} l={l} />
      ))}
      <div className="row">
        <input
          className="input"
          aria-label="New label name"
          placeholder="New label name"
          value={name}
          maxLength={40}
          onChange={(e) => setName(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') void create();
          }}
        />
        <ColorChoices value={color} onChange={setColor} name="the new label" />
        <button type="button" className="btn sm" onClick={() => void create()} disabled={!name.trim()}>
          <Plus size={13} aria-hidden="true" /> Add label
        </button>
      </div>
    </section>
  );
}
