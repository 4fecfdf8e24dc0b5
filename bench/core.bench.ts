// Core benchmark: initial sync of 100k conversations / 1M messages through the poke
// apply path (vs raw inserts of the same rows), event-loop stalls, inbox, search and
// local write latency, catch-up of 10k changes, RSS. `PARLEY_BENCH_SCALE` scales sizes.
// Both sides of the sync ratio time only their writing: rows are generated (and, for the raw
// baseline, encoded to INSERT parameters) before each part's clock starts.
// Run alone: `npx tsx bench/core.bench.ts` (prints JSON and the table of targets).
import Database from 'better-sqlite3';
import { getTableColumns, getTableName, type Column } from 'drizzle-orm';
import { readdirSync, readFileSync, rmSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { mutators } from '../shared/mutators/index';
import type { RowPut } from '../shared/protocol/index';
import { syncedTables, type Contact, type Conversation, type Group, type Message, type TableName, type User } from '../shared/schema';
import { Replica, defaultMigrationsDir } from '../electron/core/db/replica';
import { ChangeSet } from '../electron/core/engine/changeSet';
import { MutationEngine } from '../electron/core/engine/engine';
import { counts, inbox } from '../electron/core/bridge/inboxQueries';
import { search } from '../electron/core/bridge/searchQuery';
import { atLeast, atMost, summaryTable } from './scale/figures';

const PART = 2000;
const CHUNK = 500;
const WORDS = 'order parcel delivery invoice refund pickup tomorrow monday thanks hello price quote booking table window garden paint blue green red repair warranty receipt address street london manchester cancel confirm schedule urgent question answer photo'.split(' ');

function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return +(s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? 0).toFixed(3);
};

interface Sizes { conversations: number; messages: number; contacts: number }

/** Every row of the initial sync, in relay order (org rows, then each conversation with its messages). */
function* generate(sz: Sizes, users: string[]): Generator<RowPut> {
  const r = rng(42);
  const now = 1_750_000_000_000;
  // typed rows: a column added to the schema fails to compile here instead of at the plain INSERT
  for (const [i, u] of users.entries()) {
    const user: User = { id: u, name: `User ${i}`, email: `u${i}@bench`, role: i === 0 ? 'admin' : 'agent', active: true, createdAt: now, accepting: true, version: 1 };
    yield { t: 'users', r: user };
  }
  for (const g of ['g0', 'g1']) {
    const group: Group = {
      id: g, name: g, smsNumber: null, whatsappNumber: null, templates: [], createdAt: now, paymentInstructions: '', channelProviders: { sms: 'simulator', whatsapp: 'simulator' },
      slaFirstResponseMinutes: null, businessHours: null, slaHistory: [], autoAssign: 'off', autoAssignCapacity: 5, autoAssignLast: null, version: 1,
    };
    yield { t: 'groups', r: group };
    for (const u of users) yield { t: 'memberships', r: { id: `${g}:${u}`, groupId: g, userId: u, version: 1 } };
  }
  for (let k = 0; k < sz.contacts; k++) {
    const contact: Contact = { id: `k${k}`, name: `Contact ${k} ${WORDS[k % WORDS.length]}`, phone: `+4477009${String(k).padStart(5, '0')}`, email: null, tags: k % 7 === 0 ? ['vip'] : [], notes: '', optedOut: false, defaultVisibleTo: null, defaultAssignees: [], createdAt: now, updatedAt: now, version: 1 };
    yield { t: 'contacts', r: contact };
  }
  const perConv = Math.max(1, Math.round(sz.messages / sz.conversations));
  let m = 0;
  for (let c = 0; c < sz.conversations; c++) {
    const at = now + c * 1000;
    const conv: Conversation = {
      id: `c${c}`, contactId: `k${c % sz.contacts}`, groupId: c % 2 ? 'g1' : 'g0', channel: 'sms', status: c % 10 === 0 ? 'archived' : 'open', visibleTo: null,
      assignees: r() < 0.2 ? [users[Math.floor(r() * users.length)] as string] : [], createdAt: at, openedAt: at, archivedAt: null,
      lastActivityAt: at, lastPreview: 'last message', lastInboundAt: at, snoozedBy: null, snoozedUntil: null, wokenAt: null, labels: [], visibilityVersion: 1, visibilityChangedBy: null, autoAssignWaiting: false, autoAssignedTo: null, autoAssignedAt: null, metaOnly: null, version: 1,
    };
    yield { t: 'conversations', r: conv };
    for (let j = 0; j < perConv && m < sz.messages; j++, m++) {
      const words = Array.from({ length: 6 + Math.floor(r() * 10) }, () => WORDS[Math.floor(r() * WORDS.length)]).join(' ');
      const msg: Message = {
        id: `m${m}`, conversationId: conv.id, direction: j % 2 ? 'outbound' : 'inbound', channel: 'sms', body: words, authorId: j % 2 ? users[0] as string : null,
        status: 'delivered', failureReason: null, segments: 1, attachments: [], location: null, templateName: null, providerMessageId: null, broadcastId: null, paymentRef: null, scheduledAt: null,
        createdAt: at - (perConv - j) * 10, version: 1,
      };
      yield { t: 'messages', r: msg };
    }
  }
}

/** Rows in parts of PART, as a reset delivers them (reports.bench.ts feeds its replica the same way). */
export function* parts(rows: Iterable<RowPut>): Generator<RowPut[]> {
  let cur: RowPut[] = [];
  for (const p of rows) {
    cur.push(p);
    if (cur.length === PART) {
      yield cur;
      cur = [];
    }
  }
  if (cur.length) yield cur;
}

const tick = () => new Promise<void>((r) => setImmediate(r));

/** Plain `INSERT INTO t (cols) VALUES (?…)` per table, and rows encoded to its parameters as SQLite stores them. */
class RawInserts {
  private readonly tables = new Map<TableName, { keys: string[]; columns: Column[]; stmt: Database.Statement }>();
  constructor(private readonly db: Database.Database) {}

  private table(t: TableName) {
    let m = this.tables.get(t);
    if (!m) {
      const cols = getTableColumns(syncedTables[t]) as Record<string, Column>;
      const keys = Object.keys(cols);
      const columns = keys.map((k) => cols[k] as Column);
      const names = columns.map((c) => `"${c.name}"`);
      m = { keys, columns, stmt: this.db.prepare(`INSERT INTO "${getTableName(syncedTables[t])}" (${names.join(',')}) VALUES (${names.map(() => '?').join(',')})`) };
      this.tables.set(t, m);
    }
    return m;
  }

  /** Untimed: the statement and parameters of each row. */
  encode(rows: RowPut[]): { stmt: Database.Statement; params: unknown[] }[] {
    return rows.map((x) => {
      const m = this.table(x.t);
      const params = m.columns.map((c, i) => {
        const v = x.r[m.keys[i] as string];
        if (v === null || v === undefined) return null;
        const d: unknown = c.mapToDriverValue(v);
        return typeof d === 'boolean' ? (d ? 1 : 0) : d;
      });
      return { stmt: m.stmt, params };
    });
  }
}

export async function run(): Promise<Record<string, unknown>> {
  const scale = Number(process.env.PARLEY_BENCH_SCALE ?? '1') || 1;
  const sz: Sizes = { conversations: Math.round(100_000 * scale), messages: Math.round(1_000_000 * scale), contacts: Math.round(50_000 * scale) };
  const users = Array.from({ length: 10 }, (_, i) => `u${i}`);
  const dir = mkdtempSync(join(tmpdir(), 'parley-core-bench-'));
  try {
    // raw: the same rows into the same tables with plain prepared INSERTs of pre-encoded rows,
    // one transaction per part; only the transactions are timed
    const raw = new Database(join(dir, 'raw.sqlite'));
    raw.pragma('journal_mode = WAL');
    raw.pragma('synchronous = NORMAL');
    // the replica's tables and indexes (every migration), without its triggers (FTS, inbox side tables)
    for (const f of readdirSync(defaultMigrationsDir()).filter((x) => x.endsWith('.sql')).sort()) {
      for (const stmt of readFileSync(join(defaultMigrationsDir(), f), 'utf8').split('--> statement-breakpoint')) raw.exec(stmt);
    }
    for (const { name } of raw.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger'").all() as { name: string }[]) raw.exec(`DROP TRIGGER "${name}"`);
    const inserts = new RawInserts(raw);
    let total = 0;
    let rawMs = 0;
    for (const p of parts(generate(sz, users))) {
      const encoded = inserts.encode(p);
      const s = performance.now();
      raw.transaction(() => { for (const x of encoded) x.stmt.run(x.params); })();
      rawMs += performance.now() - s;
      total += p.length;
    }
    const rawSecs = rawMs / 1000;
    raw.close();

    // core: empty replica, pokes in parts as the relay sends them, yielding between parts
    const replica = Replica.open(join(dir, 'replica.sqlite'));
    replica.initMeta({ clientId: 'bench', userId: 'u0', relayUrl: 'http://bench', role: 'admin' });
    const engine = new MutationEngine(replica, mutators, () => ({ userId: 'u0', role: 'admin' }));
    const h = monitorEventLoopDelay({ resolution: 5 });
    let maxPartMs = 0;
    const chunkMs: number[] = [];
    h.enable();
    await replica.startCheckpointer(); // as the core does
    engine.deferIndexing(); // as the sync client does for a full fetch
    replica.bulkWriting(true);
    const it = parts(generate(sz, users));
    let coreMs = 0;
    for (let next = it.next(); !next.done; ) {
      const p = next.value;
      next = it.next(); // look ahead to mark the last part (generated before the clock starts)
      const last = next.done === true;
      const partStart = performance.now();
      // the sync client applies a relay part in chunks of 500 rows, yielding between them
      for (let i = 0; i < p.length; i += CHUNK) {
        const lastChunk = last && i + CHUNK >= p.length;
        const s = performance.now();
        engine.applyPoke({ type: 'poke', baseCookie: null, cookie: 1, puts: p.slice(i, i + CHUNK), dels: [], lastMutationId: 0, more: !lastChunk }, { trackNew: false, setCookie: lastChunk });
        maxPartMs = Math.max(maxPartMs, performance.now() - s);
        chunkMs.push(performance.now() - s);
        await tick();
      }
      coreMs += performance.now() - partStart;
    }
    const coreSecs = coreMs / 1000;
    const walMB = Math.round(statSync(join(dir, 'replica.sqlite-wal')).size / 1e6); // checkpointed by the worker once the writer pauses
    // then, as the sync client: the dropped indexes are built in a worker, then message text and
    // conversation side tables are indexed in the background, 1000 rows a step
    let t0 = performance.now();
    await replica.restoreIndexes();
    replica.bulkWriting(false);
    let maxBackfillMs = 0;
    for (;;) {
      const s = performance.now();
      const done = engine.backfillIndexes(1000);
      maxBackfillMs = Math.max(maxBackfillMs, performance.now() - s);
      if (done) break;
      await tick();
    }
    const backfillSecs = (performance.now() - t0) / 1000;
    h.disable();

    const db = replica.db;
    db.pragma('optimize');
    const inboxMs: number[] = [];
    for (let i = 0; i < 300; i++) {
      const s = performance.now();
      inbox(db, 'u0', { view: 'team', groupId: i % 3 === 0 ? null : `g${i % 2}`, offset: i % 5 === 0 ? 500 : 0, limit: 50 });
      inboxMs.push(performance.now() - s);
    }
    const countsMs: number[] = [];
    for (let i = 0; i < 50; i++) {
      const s = performance.now();
      counts(db, `u${i % 10}`);
      countsMs.push(performance.now() - s);
    }
    const searchMs: number[] = [];
    const r = rng(7);
    for (let i = 0; i < 200; i++) {
      const q = i % 4 === 0 ? `${WORDS[Math.floor(r() * WORDS.length)]} ${WORDS[Math.floor(r() * WORDS.length)]}` : (WORDS[Math.floor(r() * WORDS.length)] as string).slice(0, 4 + (i % 3));
      const s = performance.now();
      search(db, 'u0', q, 30);
      searchMs.push(performance.now() - s);
    }
    const writeMs: number[] = [];
    for (let i = 0; i < 300; i++) {
      const s = performance.now();
      const res = engine.mutate('addNote', { id: `bench-note-${i}`, conversationId: `c${(i * 37) % sz.conversations}`, body: `bench note ${i}` }, new ChangeSet());
      writeMs.push(performance.now() - s);
      if (!res.ok) throw new Error(`local write refused: ${res.message}`);
    }
    // catch-up: the relay acknowledges the writes and sends 10k changes (updates and new messages)
    const changes: RowPut[] = [];
    for (let i = 0; i < 10_000; i++) {
      const c = `c${(i * 13) % sz.conversations}`;
      changes.push(i % 2
        ? { t: 'messages', r: { id: `new${i}`, conversationId: c, direction: 'inbound', channel: 'sms', body: 'caught up message', authorId: null, status: 'delivered', failureReason: null, segments: 1, attachments: [], location: null, templateName: null, providerMessageId: null, broadcastId: null, paymentRef: null, scheduledAt: null, createdAt: 1_800_000_000_000 + i, version: 2 } }
        : { t: 'notes', r: { id: `bench-note-${i % 300}`, conversationId: `c${((i % 300) * 37) % sz.conversations}`, authorId: 'u0', body: `bench note ${i % 300}`, createdAt: 1_800_000_000_000, version: 2 } });
    }
    t0 = performance.now();
    const cparts = [...parts(changes)];
    for (const [i, p] of cparts.entries()) {
      const last = i === cparts.length - 1;
      engine.applyPoke({ type: 'poke', baseCookie: 1, cookie: 2, puts: p, dels: [], lastMutationId: 300, more: !last }, { trackNew: true, setCookie: last });
      await tick();
    }
    const catchUpMs = performance.now() - t0;
    await new Promise((r) => setTimeout(r, 2500)); // the worker checkpoints; the next write resets the WAL
    engine.mutate('markRead', { targetId: 'c1', at: 1 }, new ChangeSet());
    const walMBLater = Math.round(statSync(join(dir, 'replica.sqlite-wal')).size / 1e6);
    replica.close();

    const coreRate = total / coreSecs;
    const rawRate = total / rawSecs;
    return {
      name: 'core',
      scale,
      rows: total,
      initialSync: {
        rowsPerSec: Math.round(coreRate), rawInsertRowsPerSec: Math.round(rawRate), seconds: +coreSecs.toFixed(2),
        vsRawInserts: atLeast(coreRate / rawRate, 0.5, 'x', 'core apply path ÷ plain prepared INSERTs of the same pre-encoded rows, same run'),
      },
      indexBackfill: { seconds: +backfillSecs.toFixed(2), maxStepMs: +maxBackfillMs.toFixed(1) },
      eventLoop: { maxChunkApplyMs: +maxPartMs.toFixed(1), chunkApplyP50Ms: pct(chunkMs, 50), chunkApplyP99Ms: pct(chunkMs, 99), maxStall: atMost(h.max / 1e6, 50, 'ms', 'initial sync apply and index backfill') },
      teamInboxMs: { p50: pct(inboxMs, 50), p95: atMost(pct(inboxMs, 95), 5, 'ms') },
      unreadCountsMs: { p50: pct(countsMs, 50), p95: pct(countsMs, 95) },
      searchMs: { p50: pct(searchMs, 50), p95: atMost(pct(searchMs, 95), 30, 'ms') },
      localWriteMs: { p50: atMost(pct(writeMs, 50), 1, 'ms'), p95: pct(writeMs, 95) },
      catchUp10k: atMost(Math.round(catchUpMs), 1000, 'ms', 'applying 10,000 changed rows in parts'),
      walMB: { afterSync: walMB, later: walMBLater },
      rssMB: Math.round(process.memoryUsage().rss / 1e6),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const r = await run();
  console.log(JSON.stringify(r, null, 2));
  console.log(summaryTable(r));
}
