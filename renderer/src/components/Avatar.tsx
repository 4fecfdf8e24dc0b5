import type { CSSProperties } from 'react';
import { UserRound } from 'lucide-react';
import { initials } from '../lib/format';
import { PresenceDot } from './Presence';

const hues = [250, 200, 160, 25, 330, 280, 100, 5, 45, 185];

function hueOf(key: string): number {
  let h = 0;
  for (let i = 0; i < key.length; i++) h = (h * 31 + key.charCodeAt(i)) >>> 0;
  return hues[h % hues.length] ?? 250;
}

export function Avatar({ name, id, size }: { name: string; id?: string; size?: 'md' | 'lg' | 'xl' }) {
  const style = { '--av': `hsl(${hueOf(id ?? name)} 45% 34%)` } as CSSProperties;
  return (
    <span className={size ? `avatar ${size}` : 'avatar'} style={style} title={name} aria-hidden="true">
      {initials(name) || <UserRound className="avatar-glyph" aria-hidden="true" />}
      {id && <PresenceDot userId={id} />}
    </span>
  );
}

/** A row of initials with presence dots; the names are spelled out for screen readers ("Assigned to A, B"). */
export function AvatarStack({ users, max = 3, label = 'Assigned to' }: { users: { id: string; name: string }[]; max?: number; label?: string }) {
  if (users.length === 0) return null;
  const shown = users.slice(0, max);
  return (
    <span className="avatars" role="img" aria-label={`${label} ${users.map((u) => u.name).join(', ')}`}>
      {shown.map((u) => (
        <Avatar key={u.id} id={u.id} name={u.name} />
      ))}
      {users.length > max && <span className="avatar" aria-hidden="true">+{users.length - max}</span>}
    </span>
  );
}
