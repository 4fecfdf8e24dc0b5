// First-response SLA (issue 13 §4): a group's target in business minutes, and the business-time
// arithmetic every process shares (group settings validation, the inbox's time left, the SLA
// sort, the report's "answered within target", the notification before a breach).
//
// Pure and synchronous: time zones through Intl only (no dependency), offsets cached per quarter
// hour (every time zone changes its offset on a quarter-hour boundary), so a report can evaluate
// tens of thousands of deadlines within its budget.

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];
export const WEEKDAY_LABEL: Record<Weekday, string> = { mon: 'Monday', tue: 'Tuesday', wed: 'Wednesday', thu: 'Thursday', fri: 'Friday', sat: 'Saturday', sun: 'Sunday' };

/**
 * When a group answers: an IANA time zone and, per weekday, `[open, close]` as "HH:MM" local
 * times ("24:00" closes at midnight). A close earlier than the open runs past midnight into the
 * next day (a night shift). A weekday left out is closed.
 */
export interface BusinessHours {
  tz: string;
  days: Partial<Record<Weekday, [string, string]>>;
}

/** How soon before a breach the assignee's app notifies them. */
export const SLA_WARN_MINUTES = 15;
/** The longest target an admin may set: a week (in business minutes). */
export const SLA_MAX_MINUTES = 7 * 24 * 60;

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const HHMM = /^([01]\d|2[0-3]):([0-5]\d)$|^24:00$/;

/** Minutes after local midnight of "HH:MM"; null if it is not a time. */
export function parseHhmm(s: string): number | null {
  if (!HHMM.test(s)) return null;
  const [h, m] = s.split(':').map(Number) as [number, number];
  return h * 60 + m;
}

export function isTimeZone(tz: string): boolean {
  if (!tz) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** The first thing wrong with these hours, as a sentence for the admin; null when they are usable. */
export function businessHoursProblem(h: BusinessHours): string | null {
  if (!isTimeZone(h.tz)) return `"${h.tz}" is not a time zone: use a name like Europe/London or America/New_York.`;
  let open = 0;
  for (const d of WEEKDAYS) {
    const span = h.days[d];
    if (!span) continue;
    const [a, b] = span.map(parseHhmm);
    if (a === null || a === undefined || b === null || b === undefined) return `The hours of ${WEEKDAY_LABEL[d]} must be times like 09:00 and 17:30.`;
    if (a === b) return `${WEEKDAY_LABEL[d]} opens and closes at the same time: leave the day closed instead.`;
    if (a === 24 * 60) return `${WEEKDAY_LABEL[d]} cannot open at 24:00.`;
    open++;
  }
  if (open === 0) return 'Business hours need at least one open day.';
  return null;
}

/** A target's problem as a sentence; null when it is fine. */
export function slaTargetProblem(minutes: number): string | null {
  if (!Number.isInteger(minutes) || minutes < 1) return 'The first-response target must be a whole number of minutes, at least 1.';
  if (minutes > SLA_MAX_MINUTES) return 'The first-response target can be at most a week (10,080 minutes).';
  return null;
}

// ---- time zones -----------------------------------------------------------------------------

const formatters = new Map<string, Intl.DateTimeFormat>();
const offsetCache = new Map<string, Map<number, number>>();

function formatter(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: tz, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric' });
    formatters.set(tz, f);
  }
  return f;
}

function offsetAt(tz: string, at: number): number {
  const p: Record<string, number> = {};
  for (const part of formatter(tz).formatToParts(at)) if (part.type !== 'literal') p[part.type] = Number(part.value);
  const local = Date.UTC(p.year ?? 1970, (p.month ?? 1) - 1, p.day ?? 1, p.hour ?? 0, p.minute ?? 0);
  return local - at;
}

/**
 * The zone's offset from UTC in ms at instant `t` (local = t + offset). Cached per UTC day when
 * the offset is the same at both ends of it (no change that day), else per quarter hour.
 */
export function tzOffset(tz: string, t: number): number {
  let cache = offsetCache.get(tz);
  if (!cache) {
    cache = new Map();
    offsetCache.set(tz, cache);
  }
  const day = Math.floor(t / DAY);
  // day keys are negative (-1 - day) so they never meet the quarter keys
  let byDay = cache.get(-1 - day);
  if (byDay === undefined) {
    const a = offsetAt(tz, day * DAY);
    byDay = a === offsetAt(tz, (day + 1) * DAY) ? a : Number.NaN;
    if (cache.size > 50_000) cache.clear();
    cache.set(-1 - day, byDay);
  }
  if (!Number.isNaN(byDay)) return byDay;
  const q = Math.floor(t / (15 * MINUTE));
  let off = cache.get(q);
  if (off === undefined) {
    off = offsetAt(tz, q * 15 * MINUTE);
    cache.set(q, off);
  }
  return off;
}

/** The instant at which the zone's wall clock reads `local` (ms as if UTC). In a spring-forward
 *  gap it lands after the gap; in a fall-back overlap, on the first of the two. */
function fromLocal(tz: string, local: number): number {
  const o1 = tzOffset(tz, local - tzOffset(tz, local));
  const t = local - o1;
  const o2 = tzOffset(tz, t);
  if (o2 === o1) return t;
  // the wall time does not exist (a gap) or the guess crossed a change: try the other offset
  const t2 = local - o2;
  return tzOffset(tz, t2) === o2 ? Math.min(t, t2) : Math.max(t, t2);
}

// ---- business time ----------------------------------------------------------------------------

interface Compiled {
  tz: string;
  /** per weekday (Monday first): [open, close] in minutes after local midnight, close > open (a night shift runs past 24:00) */
  spans: ([number, number] | null)[];
  /** per local day number: its open interval in UTC ms, or null when closed */
  days: Map<number, [number, number] | null>;
}
const compiled = new WeakMap<BusinessHours, Compiled>();

function compile(hours: BusinessHours): Compiled {
  let c = compiled.get(hours);
  if (!c) {
    const spans = WEEKDAYS.map((d): [number, number] | null => {
      const span = hours.days[d];
      if (!span) return null;
      const a = parseHhmm(span[0]);
      const b = parseHhmm(span[1]);
      if (a === null || b === null || a === b) return null;
      return [a, b > a ? b : b + 24 * 60];
    });
    c = { tz: hours.tz, spans, days: new Map() };
    compiled.set(hours, c);
  }
  return c;
}

function dayInterval(c: Compiled, d: number): [number, number] | null {
  let iv = c.days.get(d);
  if (iv === undefined) {
    // 1970-01-01 was a Thursday: index 3 in WEEKDAYS
    const span = c.spans[(((d + 3) % 7) + 7) % 7] ?? null;
    iv = null;
    if (span) {
      const start = fromLocal(c.tz, d * DAY + span[0] * MINUTE);
      const end = fromLocal(c.tz, d * DAY + span[1] * MINUTE);
      if (end > start) iv = [start, end];
    }
    if (c.days.size > 20_000) c.days.clear();
    c.days.set(d, iv);
  }
  return iv;
}

/**
 * Calls `visit` with the open intervals [start, end) in UTC ms, in order and merged, from the
 * local day before `t` on, until it returns false. Endless for usable hours (an open day every
 * week); hours with no open day at all visit nothing.
 */
function eachOpenInterval(t: number, hours: BusinessHours, visit: (start: number, end: number) => boolean): void {
  const c = compile(hours);
  if (!c.spans.some((x) => x !== null)) return;
  let d = Math.floor((t + tzOffset(c.tz, t)) / DAY) - 1;
  let ps = 0;
  let pe = -1;
  for (;;) {
    const iv = dayInterval(c, d++);
    if (!iv) continue;
    if (pe >= 0 && iv[0] <= pe) {
      pe = Math.max(pe, iv[1]);
      continue;
    }
    if (pe >= 0 && !visit(ps, pe)) return;
    ps = iv[0];
    pe = iv[1];
  }
}

/** Business minutes between two instants (0 when `to` is not after `from`); null hours = around the clock. */
export function businessMinutesBetween(from: number, to: number, hours: BusinessHours | null): number {
  if (to <= from) return 0;
  if (!hours) return (to - from) / MINUTE;
  let ms = 0;
  eachOpenInterval(from, hours, (s, e) => {
    if (s >= to) return false;
    const a = Math.max(s, from);
    const b = Math.min(e, to);
    if (b > a) ms += b - a;
    return true;
  });
  return ms / MINUTE;
}

/** When `target` business minutes after `start` have passed: the first-response deadline (never, with no open day). */
export function dueAt(start: number, target: number, hours: BusinessHours | null): number {
  if (!hours) return start + target * MINUTE;
  let left = target * MINUTE;
  let due = Number.POSITIVE_INFINITY;
  eachOpenInterval(start, hours, (s, e) => {
    if (e <= start) return true;
    const a = Math.max(s, start);
    if (e - a >= left) {
      due = a + left;
      return false;
    }
    left -= e - a;
    return true;
  });
  return due;
}

/** A group's SLA, if it has one: what the inbox, the sort, the reports and the notifier need. */
export interface GroupSla {
  minutes: number;
  hours: BusinessHours | null;
}
export function groupSla(g: { slaFirstResponseMinutes: number | null; businessHours: BusinessHours | null }): GroupSla | null {
  return g.slaFirstResponseMinutes === null ? null : { minutes: g.slaFirstResponseMinutes, hours: g.businessHours };
}

// ---- the history of a group's setting ------------------------------------------------------------

/**
 * A setting a group had before: it applied until `until` (ms), from the `until` of the entry
 * before it (or from the start). `minutes` null = no target then. Kept on the group row
 * (`groups.sla_history`, oldest first) so reports judge each conversation by the setting in force
 * when it arrived, not by today's.
 */
export interface SlaPeriod {
  until: number;
  minutes: number | null;
  hours: BusinessHours | null;
}
/** How many earlier settings a group keeps: the oldest is dropped first (its predecessor's then extends back to the start). */
export const SLA_HISTORY_MAX = 100;

interface SlaSetting {
  slaFirstResponseMinutes: number | null;
  businessHours: BusinessHours | null;
}

function sameHours(a: BusinessHours | null, b: BusinessHours | null): boolean {
  if (a === null || b === null) return a === b;
  return a.tz === b.tz && WEEKDAYS.every((d) => a.days[d]?.[0] === b.days[d]?.[0] && a.days[d]?.[1] === b.days[d]?.[1]);
}

/** The same target and the same hours (a save that changes nothing). */
export function sameSla(a: SlaSetting, b: SlaSetting): boolean {
  return a.slaFirstResponseMinutes === b.slaFirstResponseMinutes && sameHours(a.businessHours, b.businessHours);
}

/**
 * The group's history once its setting `was` gave way to another at `now`: `was` appended as
 * applying until `now` (never before the last entry's end: relay clocks may differ a little), the
 * oldest dropped past SLA_HISTORY_MAX. The caller checks that the setting really changed.
 */
export function slaHistoryAfterChange(history: readonly SlaPeriod[], was: SlaSetting, now: number): SlaPeriod[] {
  const last = history.at(-1);
  const until = last ? Math.max(now, last.until) : now;
  const next = [...history, { until, minutes: was.slaFirstResponseMinutes, hours: was.businessHours }];
  return next.length > SLA_HISTORY_MAX ? next.slice(next.length - SLA_HISTORY_MAX) : next;
}

/**
 * A group's settings over time, oldest first, ending with the current one (`until` infinite):
 * what the reports walk to find the target in force at an instant.
 */
export function slaTimeline(g: SlaSetting & { slaHistory: readonly SlaPeriod[] }): SlaPeriod[] {
  return [...g.slaHistory, { until: Number.POSITIVE_INFINITY, minutes: g.slaFirstResponseMinutes, hours: g.businessHours }];
}

/** The entry of a timeline (slaTimeline) in force at instant `t`: the first whose `until` is after `t`. */
export function slaPeriodAt<P extends { until: number }>(timeline: readonly P[], t: number): P | undefined {
  let lo = 0;
  let hi = timeline.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((timeline[mid] as P).until > t) hi = mid;
    else lo = mid + 1;
  }
  return timeline[lo];
}

/** "32m left", "1h 05m left", "Overdue 1h 05m" (minutes rounded towards the breach). */
export function slaText(due: number, now: number): string {
  const left = due - now;
  const mins = Math.floor(Math.abs(left) / MINUTE);
  const h = Math.floor(mins / 60);
  const m = mins % 60;
  const span = h >= 24 ? `${Math.floor(h / 24)}d ${h % 24}h` : h > 0 ? `${h}h ${String(m).padStart(2, '0')}m` : `${m}m`;
  return left > 0 ? `${left < MINUTE ? '<1m' : span} left` : `Overdue ${span}`;
}
