// Reports view logic, free of React: the period picker's ranges, durations in words, deltas
// against the previous period, and the CSV of each chart's data.
import Papa from 'papaparse';
import { REPORT_MAX_RANGE_MS, type ReportBacklog, type ReportChannels, type ReportHours, type ReportSla, type ReportTimes, type ReportVolume } from '../../../shared/bridge';

const DAY = 86_400_000;

export type Preset = 7 | 30 | 90;
export const presets: readonly Preset[] = [7, 30, 90];

/** A report period: [from, to) in ms, local midnights, with the viewer's offset from UTC. */
export interface Period {
  from: number;
  to: number;
  tzOffsetMinutes: number;
}

/** Local midnight of the day `ms` falls on, moved by `days`. */
function midnight(ms: number, days = 0): number {
  const d = new Date(ms);
  return new Date(d.getFullYear(), d.getMonth(), d.getDate() + days).getTime();
}

const withOffset = (from: number, to: number): Period => ({ from, to, tzOffsetMinutes: -new Date(from).getTimezoneOffset() });

/** The last `days` days, today included. */
export function presetPeriod(days: Preset, now = Date.now()): Period {
  return withOffset(midnight(now, 1 - days), midnight(now, 1));
}

/** `YYYY-MM-DD` (a date input's value) as local midnight, or null. */
export function parseDay(s: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return null;
  const t = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3])).getTime();
  return Number.isNaN(t) ? null : t;
}

/** Local `YYYY-MM-DD` of a time. */
export function dayInput(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/** A custom period from two date inputs, both days included; or the sentence that says what is wrong. */
export function customPeriod(start: string, end: string): { ok: true; period: Period } | { ok: false; message: string } {
  const a = parseDay(start);
  const b = parseDay(end);
  if (a === null || b === null) return { ok: false, message: 'Pick a start and an end date.' };
  if (b < a) return { ok: false, message: 'The end date must be on or after the start date.' };
  const to = midnight(b, 1);
  if (to - a > REPORT_MAX_RANGE_MS) return { ok: false, message: 'Pick a period of at most 400 days.' };
  return { ok: true, period: withOffset(a, to) };
}

/** The period of the same length just before. */
export function previousPeriod(p: Period): Period {
  const days = Math.round((p.to - p.from) / DAY);
  return withOffset(midnight(p.from, -days), p.from);
}

/** "42 s", "12 min", "3 h 5 min", "2 d 4 h"; an em dash when there is nothing to measure. */
export function duration(ms: number | null): string {
  if (ms === null) return '—';
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const min = Math.round(s / 60);
  if (min < 60) return `${min} min`;
  const h = Math.floor(min / 60);
  if (h < 24) return min % 60 ? `${h} h ${min % 60} min` : `${h} h`;
  const d = Math.floor(h / 24);
  return h % 24 ? `${d} d ${h % 24} h` : `${d} d`;
}

/**
 * The change from the previous period, as a sign and a percentage; `better` says whether the
 * change is good news (fewer minutes to respond is better; more conversations is neutral).
 */
export function delta(now: number | null, before: number | null, lowerIsBetter = false): { text: string; tone: 'up' | 'down' | 'flat' | 'good' | 'bad' } | null {
  if (now === null || before === null) return null;
  if (before === 0) return now === 0 ? { text: 'no change', tone: 'flat' } : null;
  const pct = Math.round(((now - before) / before) * 100);
  if (pct === 0) return { text: 'no change', tone: 'flat' };
  const text = `${pct > 0 ? '+' : ''}${pct}% vs previous period`;
  if (!lowerIsBetter) return { text, tone: pct > 0 ? 'up' : 'down' };
  return { text, tone: pct < 0 ? 'good' : 'bad' };
}

/** The unit a duration chart's axis counts in, chosen from its largest value: round ticks (12 min, 3 h, 2 d). */
export function durationUnit(maxMs: number): { ms: number; label: string } {
  if (maxMs <= 2 * 3_600_000) return { ms: 60_000, label: 'min' };
  if (maxMs <= 3 * DAY) return { ms: 3_600_000, label: 'h' };
  return { ms: DAY, label: 'd' };
}

export const weekdays = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'] as const;

/** 0–4: the heatmap's shade of a cell (0 = none). */
export function heatLevel(n: number, max: number): number {
  if (n <= 0 || max <= 0) return 0;
  return Math.min(4, 1 + Math.floor((n / max) * 3.999));
}

/** "87%" (whole percent), or "–" when nothing was decided. */
export const percent = (share: number | null): string => (share === null ? '–' : `${Math.round(share * 100)}%`);
const shareCsv = (share: number | null) => (share === null ? '' : share.toFixed(3));
/** "1 h", "30 min", "1 h 30 min": a first-response target. */
export function targetText(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return [h ? `${h} h` : '', m ? `${m} min` : ''].filter(Boolean).join(' ');
}
/** "1 h target", or "1 h, then 30 min target" when an admin changed it during the period. */
export const targetsText = (targets: number[]): string => `${targets.map(targetText).join(', then ')} target`;

const minutes = (ms: number | null) => (ms === null ? '' : (ms / 60_000).toFixed(1));
// formulas in a name (=HYPERLINK…) are neutralised for spreadsheets
const csv = (fields: string[], data: (string | number)[][]) => Papa.unparse({ fields, data }, { escapeFormulae: true });

export const reportCsv = {
  volume: (v: ReportVolume) => csv(['day', 'opened', 'archived'], v.days.map((d) => [d.day, d.opened, d.archived])),
  times: (t: ReportTimes) =>
    csv(
      ['measure', 'by', 'name', 'conversations', 'median_minutes', 'p90_minutes'],
      (['firstResponse', 'resolution'] as const).flatMap((m) => {
        const measure = m === 'firstResponse' ? 'first response' : 'resolution';
        return [
          [measure, 'all', 'All', t[m].overall.count, minutes(t[m].overall.medianMs), minutes(t[m].overall.p90Ms)],
          ...t[m].byGroup.map((x) => [measure, 'group', x.name, x.count, minutes(x.medianMs), minutes(x.p90Ms)]),
          ...t[m].byAgent.map((x) => [measure, 'agent', x.name, x.count, minutes(x.medianMs), minutes(x.p90Ms)]),
        ];
      }),
    ),
  channels: (c: ReportChannels) => csv(['day', 'sms', 'whatsapp'], c.days.map((d) => [d.day, d.sms, d.whatsapp])),
  hours: (h: ReportHours) => csv(['weekday', ...Array.from({ length: 24 }, (_, i) => `${String(i).padStart(2, '0')}:00`)], h.cells.map((row, w) => [weekdays[w] ?? '', ...row])),
  sla: (s: ReportSla) =>
    csv(
      ['by', 'name', 'target_minutes', 'met', 'missed', 'pending', 'share_within_target'],
      [
        ['all', 'All', '', s.overall.met, s.overall.missed, s.overall.pending, shareCsv(s.overall.share)],
        ...s.byGroup.map((g) => ['group', g.name, g.targets.join(' then '), g.met, g.missed, g.pending, shareCsv(g.share)]),
        ...s.byAgent.map((a) => ['agent', a.name, '', a.met, a.missed, a.pending, shareCsv(a.share)]),
      ],
    ),
  backlog: (b: ReportBacklog) =>
    csv(['group', 'open', 'unassigned', 'waiting_on_us'], [...b.byGroup.map((g) => [g.name, g.open, g.unassigned, g.waitingOnUs]), ['All', b.open, b.unassigned, b.waitingOnUs]]),
};
