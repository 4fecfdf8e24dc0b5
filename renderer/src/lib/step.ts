// J/K: the id after or before `current` in the list (clamped at the ends).
export function step(ids: string[], current: string | null, dir: 1 | -1): string | null {
  if (ids.length === 0) return null;
  const i = current ? ids.indexOf(current) : -1;
  if (i < 0) return dir === 1 ? (ids[0] ?? null) : (ids[ids.length - 1] ?? null);
  return ids[Math.max(0, Math.min(ids.length - 1, i + dir))] ?? null;
}

