// The people check-list of the chat dialogs (New chat, Discuss with…, Add people): one checkbox
// per person, named by the person, with their avatar and email.
import type { ReactNode } from 'react';
import { Avatar } from '../Avatar';

interface Person {
  id: string;
  name: string;
  email: string;
}

/** The set with `id` added, or removed when it was there (state updates of a picked set). */
export function toggled(s: ReadonlySet<string>, id: string): Set<string> {
  const n = new Set(s);
  if (n.has(id)) n.delete(id);
  else n.add(id);
  return n;
}

export function PeoplePicker({ people, picked, onToggle, label, children }: { people: readonly Person[]; picked: ReadonlySet<string>; onToggle: (id: string) => void; label: string; children?: ReactNode }) {
  return (
    <div className="check-list" role="group" aria-label={label}>
      {people.map((u) => (
        <label key={u.id} className="check">
          <input type="checkbox" checked={picked.has(u.id)} aria-label={u.name} onChange={() => onToggle(u.id)} />
          <Avatar id={u.id} name={u.name} /> {u.name} <span className="xs faint">{u.email}</span>
        </label>
      ))}
      {children}
    </div>
  );
}
