// Reports benchmark: each chart's query over a replica of 100k conversations / 1M messages
// spread over a year (as the sync client writes them: pokes, then the deferred side tables),
// for the picker's 7, 30 and 90-day periods. Target: every chart <= 200 ms (issue 13 §4).
// `PARLEY_BENCH_SCALE` scales sizes. Run alone: `npx tsx bench/reports.bench.ts` (prints JSON).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { mutators } from '../shared/mutators/index';
import type { RowPut } from '../shared/protocol/index';
import type { Channel, Conversation, Message } from '../shared/schema';
import { Replica } from '../electron/core/db/replica';
import { MutationEngine } from '../electron/core/engine/engine';
import { reportBacklog, reportChannels, reportHours, reportSla, reportTimes, reportVolume } from '../electron/core/bridge/reportQueries';
import { atMost, type Figure } from './scale/figures';
import { parts } from './core.bench';

const DAY = 86_400_000;

function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A year of history ending at `now`: conversations with alternating customer and agent messages. */
function* generate(conversations: number, messages: number, now: number): Generator<RowPut> {
  const r = rng(13);
  const users = Array.from({ length: 10 }, (_, i) => `u${i}`);
  const groups = ['g0', 'g1', 'g2', 'g3'];
  for (const [i, u] of users.entries()) yield { t: 'users', r: { id: u, name: `User ${i}`, email: `u${i}@bench`, role: i === 0 ? 'admin' : 'agent', active: true, createdAt: 0, version: 1 } };
  for (const g of groups) {
    yield { t: 'groups', r: { id: g, name: `Group ${g}`, smsNumber: null, whatsappNumber: null, templates: [], paymentInstructions: '', channelProviders: { sms: 'simulator', whatsapp: 'simulator' }, slaFirstResponseMinutes: 60, businessHours: { tz: 'Europe/London', days: { mon: ['09:00', '17:30'], tue: ['09:00', '17:30'], wed: ['09:00', '17:30'], thu: ['09:00', '17:30'], fri: ['09:00', '17:30'] } }, createdAt: 0, version: 1 } };
    for (const u of users) yield { t: 'memberships', r: { id: `${g}:${u}`, groupId: g, userId: u, version: 1 } };
  }
  const perConv = Math.max(1, Math.round(messages / conversations));
  let m = 0;
  for (let c = 0; c < conversations; c++) {
    const at = now - Math.floor(r() * 365 * DAY);
    const channel: Channel = r() < 0.6 ? 'sms' : 'whatsapp';
    const agent = users[1 + Math.floor(r() * 9)] as string;
    const archived = r() < 0.7;
    let t = at;
    const msgs: Message[] = [];
    for (let j = 0; j < perConv && m < messages; j++, m++) {
      t += Math.floor(r() * 4 * 3_600_000);
      msgs.push({
        id: `m${m}`, conversationId: `c${c}`, direction: j % 2 ? 'outbound' : 'inbound', channel, body: 'hello', authorId: j % 2 ? agent : null, status: 'delivered',
        failureReason: null, segments: 1, attachments: [], location: null, templateName: null, providerMessageId: null, broadcastId: null, paymentRef: null, scheduledAt: null, createdAt: t, version: 1,
      });
    }
    const lastIn = msgs.filter((x) => x.direction === 'inbound').at(-1)?.createdAt ?? null;
    const conv: Conversation = {
      id: `c${c}`, contactId: `k${c}`, groupId: groups[c % groups.length] as string, channel, status: archived ? 'archived' : 'open', visibleTo: null,
      assignees: r() < 0.8 ? [agent] : [], createdAt: at, openedAt: at, archivedAt: archived ? t + DAY : null, lastActivityAt: t, lastPreview: 'hello',
      lastInboundAt: lastIn, snoozedBy: null, snoozedUntil: null, wokenAt: null, labels: [], visibilityVersion: 1, visibilityChangedBy: null, autoAssignWaiting: false, autoAssignedTo: null, autoAssignedAt: null, metaOnly: null, version: 1,
    };
    yield { t: 'conversations', r: conv };
    for (const x of msgs) yield { t: 'messages', r: x };
  }
}


/**
 * A chart's query timed over a few runs: the median wall time against the target (the machine
 * may be shared: the CPU time, also given, says what the query itself cost) and the cold first run.
 */
function timed(f: () => unknown, runs = 7): Figure {
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < runs; i++) {
    const c = process.cpuUsage();
    const s = performance.now();
    f();
    wall.push(performance.now() - s);
    const used = process.cpuUsage(c);
    cpu.push((used.user + used.system) / 1000);
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
  return atMost(median(wall), 200, 'ms', `cold ${(wall[0] ?? 0).toFixed(1)} ms, median CPU ${median(cpu).toFixed(1)} ms`);
}

export async function run(): Promise<Record<string, unknown>> {
  const scale = Number(process.env.PARLEY_BENCH_SCALE ?? '1') || 1;
  const conversations = Math.round(100_000 * scale);
  const messages = Math.round(1_000_000 * scale);
  const dir = mkdtempSync(join(tmpdir(), 'parley-reports-bench-'));
  try {
    const now = Date.UTC(2026, 10, 30);
    const replica = Replica.open(join(dir, 'replica.sqlite'));
    replica.initMeta({ clientId: 'bench', userId: 'u0', relayUrl: 'http://bench', role: 'admin' });
    const engine = new MutationEngine(replica, mutators, () => ({ userId: 'u0', role: 'admin' }));
    engine.deferIndexing(); // as the sync client does for a full fetch
    let t0 = performance.now();
    const all = [...parts(generate(conversations, messages, now))];
    for (const [i, p] of all.entries()) {
      const last = i === all.length - 1;
      engine.applyPoke({ type: 'poke', baseCookie: null, cookie: 1, puts: p, dels: [], lastMutationId: 0, more: !last }, { trackNew: false, setCookie: last });
    }
    while (!engine.backfillIndexes(5000));
    const loadSecs = (performance.now() - t0) / 1000;
    const db = replica.db;
    db.pragma('optimize');

    const periods = { '7d': 7, '30d': 30, '90d': 90 } as const;
    const charts: Record<string, Record<string, Figure>> = {};
    t0 = performance.now();
    for (const [name, days] of Object.entries(periods)) {
      const range = { from: now - days * DAY, to: now, tzOffsetMinutes: 60 };
      const previous = { ...range, from: range.from - days * DAY, to: range.from };
      charts[name] = {
        volumeMs: timed(() => reportVolume(db, range)),
        responseTimesMs: timed(() => reportTimes(db, range)),
        channelsMs: timed(() => reportChannels(db, range)),
        busiestHoursMs: timed(() => reportHours(db, range)),
        // every group has a 1 h target in London office hours: one deadline computed per conversation
        answeredWithinTargetMs: timed(() => reportSla(db, range)),
        // the view also asks for the previous period, to compare
        responseTimesPreviousMs: timed(() => reportTimes(db, previous)),
      };
    }
    const backlogMs = timed(() => reportBacklog(db));
    const totalSecs = (performance.now() - t0) / 1000;
    replica.close();
    return { name: 'reports', scale, conversations, messages, loadSeconds: +loadSecs.toFixed(1), charts, backlogMs, querySeconds: +totalSecs.toFixed(2) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  console.log(JSON.stringify(await run(), null, 2));
}
