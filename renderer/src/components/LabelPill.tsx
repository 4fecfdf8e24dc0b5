// A conversation label: a coloured dot and its name (colour is never the only signal).
import type { LabelColor } from '../../../shared/labelColors';
import { useBridgeQuery } from '../lib/queries';

export function LabelPill({ name, color, small }: { name: string; color: LabelColor; small?: boolean }) {
  return (
    <span className={`label-pill label-${color}${small ? ' sm' : ''}`} title={`Label: ${name}`}>
      <span className="label-dot" aria-hidden="true" />
      {name}
    </span>
  );
}

/** The labels of a conversation, in its order, as pills (ids of deleted labels are skipped). */
export function LabelPills({ ids, small, max }: { ids: readonly string[]; small?: boolean; max?: number }) {
  const labels = useBridgeQuery('labels', {}).data ?? [];
  const byId = new Map(labels.map((l) => [l.id, l]));
  const shown = ids.map((id) => byId.get(id)).filter((l) => l !== undefined);
  if (shown.length === 0) return null;
  const cut = max !== undefined && shown.length > max ? shown.slice(0, max) : shown;
  return (
    <span className="label-pills">
      {cut.map((l) => (
        <LabelPill key={l.id} name={l.name} color={l.color} small={small} />
      ))}
      {cut.length < shown.length && <span className="xs faint">+{shown.length - cut.length}</span>}
    </span>
  );
}
