// A figure with its target: `met` says whether this run reached it. Missing is reported, never hidden.
export interface Figure {
  value: number;
  unit: string;
  target: string;
  met: boolean;
  note?: string;
}

export function atLeast(value: number, min: number, unit: string, note?: string): Figure {
  return { value: +value.toFixed(3), unit, target: `>= ${min}`, met: value >= min, ...(note ? { note } : {}) };
}

export function atMost(value: number, max: number, unit: string, note?: string): Figure {
  return { value: +value.toFixed(3), unit, target: `<= ${max}`, met: value <= max, ...(note ? { note } : {}) };
}

function isFigure(v: unknown): v is Figure {
  return typeof v === 'object' && v !== null && 'met' in v && 'target' in v && 'value' in v;
}

/** Every figure with a target in a result tree, as `path | value unit | target | met` rows. */
export function summaryTable(results: Record<string, unknown>): string {
  const rows: string[][] = [['figure', 'value', 'target', 'met']];
  const walk = (v: unknown, path: string) => {
    if (isFigure(v)) {
      rows.push([path, `${v.value} ${v.unit}`, v.target, v.met ? 'yes' : 'NO']);
      return;
    }
    if (typeof v === 'object' && v !== null && !Array.isArray(v)) for (const [k, x] of Object.entries(v)) walk(x, path ? `${path}.${k}` : k);
  };
  walk(results, '');
  const w = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(w[i] ?? 0)).join(' | ')} |`;
  return [line(rows[0] as string[]), `|${w.map((n) => '-'.repeat(n + 2)).join('|')}|`, ...rows.slice(1).map(line)].join('\n');
}
