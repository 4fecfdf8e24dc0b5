// Reports: team figures computed from the replica, so they work offline, answer at once, and
// count only what this user holds (an agent's replica holds what they may see; an admin's, the
// whole organisation). Each chart is one query over an index or a trigger-kept side table
// (drizzle/client/0005_reports.sql: messages per quarter hour, first response per conversation);
// bench/reports.bench.ts holds each to 200 ms on 100k conversations / 1M messages.
//
// Metadata-only rows (an admin outside a restricted conversation's "Visible to" receives the
// conversation row without its content; `meta_only` is set on it) are never counted: a report
// tells what the user could read, and must not derive anything from what they may not.
import type Database from 'better-sqlite3';
import type { DurationStats, ParsedQueryArgs, ReportBacklog, ReportChannels, ReportHours, ReportSla, ReportTimes, ReportVolume } from '../../../shared/bridge';
import { dueAt, slaPeriodAt, slaTimeline, type BusinessHours, type SlaPeriod } from '../../../shared/domain/sla';

type Range = ParsedQueryArgs<'reportVolume'>;

const DAY = 86_400_000;
const HOUR = 3_600_000;
/** report_message_buckets holds messages per quarter hour: every offset from UTC in use is a multiple */
const BUCKET = 900_000;

/** Only conversations whose content this user holds: a metadata-only row (`meta_only` set) is never counted. */
const meta = ' AND c.meta_only IS NULL';

// better-sqlite3 binds JS numbers as REAL: the offset is cast so day and hour arithmetic stays integer
const params = (r: Range) => ({ from: r.from, to: r.to, off: r.tzOffsetMinutes * 60_000 });
/** the quarter hours of the range (the picker's periods start and end on local midnights) */
const bucketParams = (r: Range) => ({ bfrom: Math.floor(r.from / BUCKET), bto: Math.ceil(r.to / BUCKET), off: r.tzOffsetMinutes * 60_000 });

/** The local calendar day (YYYY-MM-DD) of a day number counted from the epoch in local time. */
const dayLabel = (n: number) => new Date(n * DAY).toISOString().slice(0, 10);

/** Every local day of the range, in order (the charts show empty days as zero). */
function daysOf(r: Range): number[] {
  const off = r.tzOffsetMinutes * 60_000;
  const first = Math.floor((r.from + off) / DAY);
  const last = Math.floor((r.to - 1 + off) / DAY);
  const out: number[] = [];
  for (let d = first; d <= last; d++) out.push(d);
  return out;
}

/** Median and 90th percentile (nearest rank) of durations in ms. */
export function durationStats(xs: number[]): DurationStats {
  if (xs.length === 0) return { count: 0, medianMs: null, p90Ms: null };
  const s = Float64Array.from(xs).sort();
  const rank = (p: number) => s[Math.max(0, Math.ceil(p * s.length) - 1)] ?? 0;
  return { count: s.length, medianMs: rank(0.5), p90Ms: rank(0.9) };
}

function names(db: Database.Database, table: 'users' | 'groups'): Map<string, string> {
  return new Map((db.prepare(`SELECT id, name FROM ${table}`).all() as { id: string; name: string }[]).map((x) => [x.id, x.name]));
}

function breakdown(samples: Map<string, number[]>, nameOf: Map<string, string>) {
  return [...samples.entries()]
    .map(([id, xs]) => ({ id, name: nameOf.get(id) ?? 'Former member', ...durationStats(xs) }))
    .sort((a, b) => b.count - a.count || a.name.localeCompare(b.name));
}

function push(m: Map<string, number[]>, k: string, v: number): void {
  const xs = m.get(k);
  if (xs) xs.push(v);
  else m.set(k, [v]);
}

/** Conversations opened (created) and archived per local day of the range. */
export function reportVolume(db: Database.Database, r: Range): ReportVolume {
  const opened = db
    .prepare(`SELECT (c.created_at + CAST(@off AS INTEGER)) / ${DAY} AS d, count(*) AS n FROM conversations c WHERE c.created_at >= @from AND c.created_at < @to${meta} GROUP BY d`)
    .all(params(r)) as { d: number; n: number }[];
  const archived = db
    .prepare(`SELECT (c.archived_at + CAST(@off AS INTEGER)) / ${DAY} AS d, count(*) AS n FROM conversations c INDEXED BY conversations_archived WHERE c.archived_at >= @from AND c.archived_at < @to AND c.status = 'archived'${meta} GROUP BY d`)
    .all(params(r)) as { d: number; n: number }[];
  const o = new Map(opened.map((x) => [x.d, x.n]));
  const a = new Map(archived.map((x) => [x.d, x.n]));
  const days = daysOf(r).map((d) => ({ day: dayLabel(d), opened: o.get(d) ?? 0, archived: a.get(d) ?? 0 }));
  return { days, totals: { opened: opened.reduce((s, x) => s + x.n, 0), archived: archived.reduce((s, x) => s + x.n, 0) } };
}

/**
 * First response time: for conversations whose customer first wrote in the range, from that message
 * to the first reply a person wrote after it (broadcasts and automatic messages do not count);
 * by the conversation's group and by who replied. Resolution time: for conversations archived in
 * the range, from when they were (last) opened to their archiving; by group and by assignee.
 */
export function reportTimes(db: Database.Database, r: Range): ReportTimes {
  // raw rows (arrays): tens of thousands of them on a big replica
  const firsts = db
    .prepare(
      `SELECT group_id, first_in, first_out, responder
       FROM report_first_response INDEXED BY report_first_response_in WHERE first_in >= @from AND first_in < @to`,
    )
    .raw(true)
    .all({ from: r.from, to: r.to }) as [g: string | null, fin: number, fout: number | null, who: string | null][];
  const frAll: number[] = [];
  const frGroup = new Map<string, number[]>();
  const frAgent = new Map<string, number[]>();
  let unanswered = 0;
  for (const [g, fin, fout, who] of firsts) {
    if (fout === null || who === null) {
      unanswered++;
      continue;
    }
    const d = fout - fin;
    frAll.push(d);
    if (g) push(frGroup, g, d);
    push(frAgent, who, d);
  }
  const resolved = db
    .prepare(
      `SELECT c.group_id, c.archived_at - c.opened_at, c.assignees
       FROM conversations c INDEXED BY conversations_archived
       WHERE c.archived_at >= @from AND c.archived_at < @to AND c.status = 'archived'${meta}`,
    )
    .raw(true)
    .all({ from: r.from, to: r.to }) as [g: string, d: number, assignees: string][];
  const rsAll: number[] = [];
  const rsGroup = new Map<string, number[]>();
  const rsAgent = new Map<string, number[]>();
  for (const [g, raw, assignees] of resolved) {
    const d = Math.max(0, raw);
    rsAll.push(d);
    push(rsGroup, g, d);
    if (assignees !== '[]') for (const who of JSON.parse(assignees) as string[]) push(rsAgent, who, d);
  }
  const users = names(db, 'users');
  const groups = names(db, 'groups');
  return {
    firstResponse: { overall: durationStats(frAll), byGroup: breakdown(frGroup, groups), byAgent: breakdown(frAgent, users), unanswered },
    resolution: { overall: durationStats(rsAll), byGroup: breakdown(rsGroup, groups), byAgent: breakdown(rsAgent, users) },
  };
}

interface SlaTally { met: number; missed: number; pending: number }
const tally = (): SlaTally => ({ met: 0, missed: 0, pending: 0 });
const withShare = (t: SlaTally) => ({ ...t, share: t.met + t.missed > 0 ? t.met / (t.met + t.missed) : null });

/** A group's SLA settings over time with hours parsed once (dueAt caches its work per hours object). */
interface SlaSpan { from: number; until: number; minutes: number | null; hours: BusinessHours | null }

function slaSpans(minutes: number | null, hoursJson: string | null, historyJson: string): SlaSpan[] {
  const hist = JSON.parse(historyJson) as SlaPeriod[];
  const timeline = slaTimeline({ slaFirstResponseMinutes: minutes, businessHours: hoursJson === null ? null : (JSON.parse(hoursJson) as BusinessHours), slaHistory: hist });
  return timeline.map((p, i) => ({ from: i === 0 ? Number.NEGATIVE_INFINITY : (timeline[i - 1] as SlaPeriod).until, until: p.until, minutes: p.minutes, hours: p.hours }));
}

/**
 * First-response SLA: for conversations whose customer first wrote in the range, in a group that
 * had a target then, was the first reply a person wrote within that target? Each conversation is
 * judged by the target and business hours in force when its customer first wrote (the group's
 * `sla_history`, then its current setting), so changing a target does not rewrite past periods and
 * a group whose target was turned off still reports the periods it had one. Met / missed (answered
 * late, or still unanswered past the deadline) / pending (unanswered, deadline not reached yet);
 * the share is met / (met + missed). By group (each group with a target in force at some time in
 * the range, with those targets) and by who replied. Reads the same side table and index as first
 * response times (report_first_response_in).
 */
export function reportSla(db: Database.Database, r: Range, now = Date.now()): ReportSla {
  const rows = db.prepare('SELECT id, name, sla_first_response_minutes AS minutes, business_hours AS hours, sla_history AS history FROM groups').all() as {
    id: string;
    name: string;
    minutes: number | null;
    hours: string | null;
    history: string;
  }[];
  /** the groups with a target at some time in the range: their settings over time and the targets of the range */
  const sla = new Map<string, { name: string; spans: SlaSpan[]; targets: number[] }>();
  for (const g of rows) {
    // a group that never had a target has nothing to parse
    if (g.minutes === null && g.history === '[]') continue;
    const spans = slaSpans(g.minutes, g.hours, g.history);
    const targets: number[] = [];
    for (const p of spans) if (p.minutes !== null && p.from < r.to && p.until > r.from && targets.at(-1) !== p.minutes) targets.push(p.minutes);
    if (targets.length > 0) sla.set(g.id, { name: g.name, spans, targets });
  }
  const overall = tally();
  const byGroup = new Map<string, SlaTally>();
  const byAgent = new Map<string, SlaTally>();
  if (sla.size > 0) {
    const firsts = db
      .prepare(`SELECT group_id, first_in, first_out, responder FROM report_first_response INDEXED BY report_first_response_in WHERE first_in >= @from AND first_in < @to`)
      .raw(true)
      .all({ from: r.from, to: r.to }) as [g: string | null, fin: number, fout: number | null, who: string | null][];
    for (const [g, fin, fout, who] of firsts) {
      const group = g === null ? undefined : sla.get(g);
      if (!group || g === null) continue;
      const target = slaPeriodAt(group.spans, fin);
      if (!target || target.minutes === null) continue;
      const due = dueAt(fin, target.minutes, target.hours);
      const answered = fout !== null && who !== null;
      const outcome: keyof SlaTally = answered ? (fout <= due ? 'met' : 'missed') : now >= due ? 'missed' : 'pending';
      overall[outcome]++;
      const gt = byGroup.get(g) ?? tally();
      gt[outcome]++;
      byGroup.set(g, gt);
      if (answered) {
        const at = byAgent.get(who) ?? tally();
        at[outcome]++;
        byAgent.set(who, at);
      }
    }
  }
  const users = names(db, 'users');
  const total = (t: SlaTally) => t.met + t.missed + t.pending;
  return {
    overall: withShare(overall),
    byGroup: [...sla.entries()]
      .map(([id, g]) => ({ id, name: g.name, targets: g.targets, ...withShare(byGroup.get(id) ?? tally()) }))
      .sort((a, b) => total(b) - total(a) || a.name.localeCompare(b.name)),
    byAgent: [...byAgent.entries()]
      .map(([id, t]) => ({ id, name: users.get(id) ?? 'Former member', ...withShare(t) }))
      .sort((a, b) => total(b) - total(a) || a.name.localeCompare(b.name)),
  };
}

/** Messages (both directions) per local day and channel, and totals by channel and direction. */
export function reportChannels(db: Database.Database, r: Range): ReportChannels {
  const rows = db
    .prepare(
      `SELECT (bucket * ${BUCKET} + CAST(@off AS INTEGER)) / ${DAY} AS d, channel AS ch, direction AS dir, sum(n) AS n
       FROM report_message_buckets WHERE bucket >= @bfrom AND bucket < @bto GROUP BY d, ch, dir`,
    )
    .all(bucketParams(r)) as { d: number; ch: 'sms' | 'whatsapp'; dir: 'inbound' | 'outbound'; n: number }[];
  const perDay = new Map<number, { sms: number; whatsapp: number }>();
  const totals = { sms: { inbound: 0, outbound: 0 }, whatsapp: { inbound: 0, outbound: 0 } };
  for (const x of rows) {
    if (x.ch !== 'sms' && x.ch !== 'whatsapp') continue;
    const d = perDay.get(x.d) ?? { sms: 0, whatsapp: 0 };
    d[x.ch] += x.n;
    perDay.set(x.d, d);
    totals[x.ch][x.dir === 'inbound' ? 'inbound' : 'outbound'] += x.n;
  }
  return {
    days: daysOf(r).map((d) => ({ day: dayLabel(d), ...(perDay.get(d) ?? { sms: 0, whatsapp: 0 }) })),
    totals: (['sms', 'whatsapp'] as const).map((channel) => ({ channel, ...totals[channel] })),
  };
}

/** Customer messages by local weekday (Monday first) and hour: when the team is needed. */
export function reportHours(db: Database.Database, r: Range): ReportHours {
  // day 0 (1970-01-01) was a Thursday: (day + 3) % 7 counts from Monday
  const rows = db
    .prepare(
      `SELECT ((bucket * ${BUCKET} + CAST(@off AS INTEGER)) / ${DAY} + 3) % 7 AS w, ((bucket * ${BUCKET} + CAST(@off AS INTEGER)) % ${DAY}) / ${HOUR} AS h, sum(n) AS n
       FROM report_message_buckets WHERE bucket >= @bfrom AND bucket < @bto AND direction = 'inbound' GROUP BY w, h`,
    )
    .all(bucketParams(r)) as { w: number; h: number; n: number }[];
  const cells = Array.from({ length: 7 }, () => Array.from({ length: 24 }, () => 0));
  let total = 0;
  let max = 0;
  for (const x of rows) {
    const row = cells[x.w];
    if (!row || x.h < 0 || x.h > 23) continue;
    row[x.h] = (row[x.h] ?? 0) + x.n;
    total += x.n;
    max = Math.max(max, row[x.h] ?? 0);
  }
  return { cells, total, max };
}

/** What is open now: in all, without an assignee, and waiting on us (the customer wrote last). */
export function reportBacklog(db: Database.Database): ReportBacklog {
  const rows = db
    .prepare(
      `SELECT c.group_id AS g, count(*) AS open,
         sum(json_array_length(c.assignees) = 0) AS unassigned,
         sum(c.last_inbound_at IS NOT NULL AND c.last_inbound_at >= c.last_activity_at) AS waiting,
         min(CASE WHEN c.last_inbound_at IS NOT NULL AND c.last_inbound_at >= c.last_activity_at THEN c.last_inbound_at END) AS oldest
       FROM conversations c INDEXED BY conversations_open_backlog WHERE c.status = 'open'${meta} GROUP BY c.group_id`,
    )
    .all() as { g: string; open: number; unassigned: number; waiting: number; oldest: number | null }[];
  const groups = names(db, 'groups');
  const byGroup = rows
    .map((x) => ({ id: x.g, name: groups.get(x.g) ?? 'Former group', open: x.open, unassigned: x.unassigned, waitingOnUs: x.waiting }))
    .sort((a, b) => b.open - a.open || a.name.localeCompare(b.name));
  const oldest = rows.reduce<number | null>((m, x) => (x.oldest === null ? m : m === null ? x.oldest : Math.min(m, x.oldest)), null);
  return {
    open: byGroup.reduce((s, x) => s + x.open, 0),
    unassigned: byGroup.reduce((s, x) => s + x.unassigned, 0),
    waitingOnUs: byGroup.reduce((s, x) => s + x.waitingOnUs, 0),
    oldestWaitingSince: oldest,
    byGroup,
  };
}
