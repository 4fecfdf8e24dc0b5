// Several relays, one organisation (issue 15): relay PROCESSES started with the CLI (as an
// operator starts them) on one fresh PostgreSQL database and NATS, the organisation seeded with
// `--seed demo` by the first and found by the others. `npm run bench cluster` runs it alone.
// - poke latency: a client on relay A adds a note; a client on A and a client on B (the same
//   user, so the same rows) time the poke carrying it, sample by sample (same-relay vs
//   cross-relay: the NATS hop and the other relay's sequencer);
// - mutations/s with 1, 2 and 3 relay processes: the same pipelined clients (each keeping a
//   window of pushes in flight) spread round-robin over the relays running, three rounds of
//   1-2-3, the median of each; then one relay with synchronous_commit off (the WAL flush's share);
// - relay memory per idle socket (RSS of the relay process before/after opening them);
// - commit notices on NATS during the throughput runs: count and mean size.
// The database keeps the server's synchronous_commit (test databases turn it off).
// Servers: PARLEY_TEST_PG_URL (default postgres://postgres@127.0.0.1:5432/postgres), NATS_URL
// (default nats://127.0.0.1:4222). PARLEY_BENCH_SCALE scales the sample and mutation counts.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { uuidv7 } from 'uuidv7';
import { WebSocket } from 'ws';
import pg from 'pg';
import { connect as natsConnect } from 'nats';
import { PROTOCOL_VERSION } from '../shared/protocol/index';
import { RelayProcess } from '../server/cluster/test/relayProcess';
import { DEMO_PASSWORD } from '../server/seed/demo';
import { createTestDatabase, withAdmin } from '../server/store/testDatabase';
import { openPostgresStore } from '../server/store/postgres';
import { login } from '../server/testing';
import { atLeast, atMost, summaryTable } from './scale/figures';

const NATS = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';
const load = () => loadavg().map((x) => +x.toFixed(2));

interface Frame {
  type: string;
  more?: boolean;
  lastMutationId?: number;
  cookie?: number;
  version?: number;
  results?: { id: number; status: string }[];
}

/** A lean sync client: raw frames, no replica (the bench process must not be the bottleneck). */
class BenchClient {
  private listeners = new Set<(f: Frame, text: string) => void>();
  cookie: number | null = null;
  lastMutationId = 0;
  nextId = 1;
  rejected = 0;
  private constructor(readonly ws: WebSocket) {
    ws.on('message', (d: Buffer) => {
      const text = d.toString('utf8');
      const f = JSON.parse(text) as Frame;
      if (f.type === 'poke' && !f.more) {
        if (f.cookie !== undefined) this.cookie = f.cookie;
        if (f.lastMutationId !== undefined) this.lastMutationId = f.lastMutationId;
      }
      if (f.type === 'pushResult') this.rejected += (f.results ?? []).filter((r) => r.status !== 'ok').length;
      for (const l of this.listeners) l(f, text);
    });
  }

  /** Connects and says hello; resolves when the catch-up is complete (its last poke part). */
  static async open(wsUrl: string, token: string, cookie: number | null = null): Promise<BenchClient> {
    const ws = new WebSocket(wsUrl, { perMessageDeflate: false });
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    const c = new BenchClient(ws);
    // synced: the welcome names the version the catch-up ends at (nothing to catch up: no poke)
    let target = Infinity;
    const synced = c.until((f) => {
      if (f.type === 'welcome') target = f.version ?? 0;
      return (f.type === 'welcome' && cookie !== null && target <= cookie) || (f.type === 'poke' && !f.more && (f.cookie ?? 0) >= target);
    }, 'catch-up');
    ws.send(JSON.stringify({ type: 'hello', protocolVersion: PROTOCOL_VERSION, clientId: uuidv7(), token, cookie, lastMutationId: 0 }));
    await synced;
    return c;
  }

  until(pred: (f: Frame, text: string) => boolean, what: string, timeoutMs = 30_000): Promise<number> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.listeners.delete(l);
        reject(new Error(`bench client: timed out waiting for ${what}`));
      }, timeoutMs);
      const l = (f: Frame, text: string) => {
        if (!pred(f, text)) return;
        clearTimeout(timer);
        this.listeners.delete(l);
        resolve(performance.now());
      };
      this.listeners.add(l);
    });
  }

  push(mutations: { name: string; args: unknown }[]): number {
    const ms = mutations.map((m) => ({ id: this.nextId++, ...m }));
    this.ws.send(JSON.stringify({ type: 'push', mutations: ms }));
    return this.nextId - 1;
  }

  close(): void {
    this.ws.terminate();
  }
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
};
const ms = (x: number) => +x.toFixed(2);

function rssKiB(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) : NaN;
}

export async function run(): Promise<Record<string, unknown>> {
  const scale = Number(process.env.PARLEY_BENCH_SCALE ?? '1') || 1;
  const loadBefore = load();
  const database = await createTestDatabase();
  // test databases commit without waiting for their WAL flush; the bench measures what a
  // deployment gets: the server's own setting (on by default)
  const setting = async (c: pg.Client, name: string) => (await c.query<{ setting: string }>('SELECT setting FROM pg_settings WHERE name = $1', [name])).rows[0]?.setting ?? 'unknown';
  await withAdmin((c) => c.query(`ALTER DATABASE "${database.name}" RESET synchronous_commit`));
  const syncCommit = await withAdmin((c) => setting(c, 'synchronous_commit'));
  const fsync = await withAdmin((c) => setting(c, 'fsync'));
  const orgKey = `bench-${randomUUID()}`;
  const dirs: string[] = [];
  const relays: RelayProcess[] = [];
  const clients: BenchClient[] = [];
  const startRelay = async () => {
    const dir = mkdtempSync(join(tmpdir(), 'parley-cluster-bench-'));
    dirs.push(dir);
    const r = await RelayProcess.start({ dataDir: dir, databaseUrl: database.url, natsUrl: NATS, orgKey, seed: 'demo'});
    relays.push(r);
    return r;
  };
  try {
    const a = await startRelay();
    const b = await startRelay();
    const ws = (r: RelayProcess) => `${r.httpUrl.replace(/^http/, 'ws')}/sync`;
    const token = (await login(a.httpUrl, 'admin@parley.test', DEMO_PASSWORD)).accessToken;
    const pg = await openPostgresStore(database.url);
    const convs = (await pg.all<{ id: string }>(`SELECT id FROM conversations WHERE status = 'open' AND visible_to IS NULL ORDER BY id LIMIT 8`)).map((r) => r.id);
    await pg.close();

    // ── poke latency: same relay vs the other relay, on the same commits ──
    const writer = await BenchClient.open(ws(a), token);
    const onA = await BenchClient.open(ws(a), token);
    const onB = await BenchClient.open(ws(b), token);
    clients.push(writer, onA, onB);
    const samples = Math.round(300 * scale);
    const same: number[] = [];
    const cross: number[] = [];
    for (let i = 0; i < samples + 20; i++) {
      const id = uuidv7();
      const seen = (_f: Frame, text: string) => text.includes(id);
      const gotA = onA.until(seen, 'same-relay poke');
      const gotB = onB.until(seen, 'cross-relay poke');
      const t0 = performance.now();
      writer.push([{ name: 'addNote', args: { id, conversationId: convs[i % convs.length], body: `latency ${i}` } }]);
      const [ta, tb] = await Promise.all([gotA, gotB]);
      if (i < 20) continue; // warm-up
      same.push(ta - t0);
      cross.push(tb - t0);
    }
    const latency = {
      samples,
      sameRelay: { p50ms: ms(pct(same, 50)), p99ms: ms(pct(same, 99)), maxms: ms(Math.max(...same)) },
      crossRelay: { p50ms: ms(pct(cross, 50)), p99ms: ms(pct(cross, 99)), maxms: ms(Math.max(...cross)) },
    };
    for (const c of clients.splice(0)) c.close();

    // ── idle sockets: relay memory per socket (they connect with a current cookie: no catch-up) ──
    const cookie = (await BenchClient.open(ws(a), token).then((c) => (clients.push(c), c))).cookie;
    const idleN = Math.round(500 * scale);
    const rssBefore = rssKiB(a.pid);
    for (let i = 0; i < idleN; i += 50) clients.push(...(await Promise.all(Array.from({ length: Math.min(50, idleN - i) }, () => BenchClient.open(ws(a), token, cookie)))));
    const rssAfter = rssKiB(a.pid);
    for (const c of clients.splice(0)) c.close();

    // ── mutations/s with 1, 2, 3 relays: the same clients spread over the relays running ──
    const writers = 6;
    const perWriterDefault = Math.round(250 * scale);
    const window = 16;
    const phase = async (on: RelayProcess[], perWriter = perWriterDefault) => {
      const cs = await Promise.all(Array.from({ length: writers }, (_, i) => BenchClient.open(ws(on[i % on.length] as RelayProcess), token)));
      clients.push(...cs);
      const t0 = performance.now();
      await Promise.all(cs.map(async (c, w) => {
        const conv = convs[w % convs.length];
        const first = c.nextId;
        const last = first + perWriter - 1;
        // `window` mutations in flight, one per push frame; each acknowledged one sends the next
        let sent = 0;
        const sendOne = () => {
          if (sent >= perWriter) return;
          sent++;
          c.push([{ name: 'addNote', args: { id: uuidv7(), conversationId: conv, body: `load ${w}` } }]);
        };
        const done = c.until((f) => {
          if (f.type === 'pushResult') for (const _ of f.results ?? []) sendOne();
          return f.type === 'poke' && !f.more && (f.lastMutationId ?? 0) >= last;
        }, 'pipelined mutations', 120_000);
        for (let i = 0; i < window; i++) sendOne();
        await done;
      }));
      const elapsed = performance.now() - t0;
      const rejected = cs.reduce((n, c) => n + c.rejected, 0);
      for (const c of clients.splice(0)) c.close();
      return { relays: on.length, mutations: writers * perWriter, rejected, ms: Math.round(elapsed), perSecond: Math.round((writers * perWriter * 1000) / elapsed) };
    };
    // commit notices on NATS during the throughput phases: count and mean size
    const nc = await natsConnect({ servers: NATS });
    const notices = { count: 0, bytes: 0 };
    nc.subscribe(`parley.${orgKey}.commits`, { callback: (_e, m) => { notices.count++; notices.bytes += m.data.length; } });
    await b.stop(); // one relay first
    await phase([a], Math.round(perWriterDefault / 5)); // warm-up
    // rounds of 1, 2, 3 relays (the others stopped), the median of each: the machine's other
    // load drifts during a run, rounds spread it over the three
    type Phase = Awaited<ReturnType<typeof phase>>;
    const rounds: Record<1 | 2 | 3, Phase[]> = { 1: [], 2: [], 3: [] };
    for (let round = 0; round < 3; round++) {
      rounds[1].push(await phase([a]));
      const second = await startRelay();
      rounds[2].push(await phase([a, second]));
      const third = await startRelay();
      rounds[3].push(await phase([a, second, third]));
      await Promise.all([second.stop(), third.stop()]);
    }
    const median = (ps: Phase[]): Phase => [...ps].sort((x, y) => x.perSecond - y.perSecond)[Math.floor(ps.length / 2)] as Phase;
    const [one, two, three] = [median(rounds[1]), median(rounds[2]), median(rounds[3])];
    const perRound = { 1: rounds[1].map((p) => p.perSecond), 2: rounds[2].map((p) => p.perSecond), 3: rounds[3].map((p) => p.perSecond) };
    const rejectedAll = [...rounds[1], ...rounds[2], ...rounds[3]].reduce((n, p) => n + p.rejected, 0);

    // the share of the commit's WAL flush: one relay again, on the same database with
    // synchronous_commit off (a fresh relay process: its connections take the new setting)
    await a.stop();
    await withAdmin((c) => c.query(`ALTER DATABASE "${database.name}" SET synchronous_commit = off`));
    const oneAsync = await phase([await startRelay()]);
    await nc.drain();
    const loadAfter = load();
    return {
      machine: { cpus: cpus().length, model: cpus()[0]?.model ?? 'unknown', postgres: { synchronous_commit: syncCommit, fsync } },
      loadAverage: { before: loadBefore, after: loadAfter },
      latency,
      idleSockets: { sockets: idleN, rssBeforeMB: +(rssBefore / 1024).toFixed(1), rssAfterMB: +(rssAfter / 1024).toFixed(1), kibPerSocket: +((rssAfter - rssBefore) / idleN).toFixed(1) },
      mutationsPerSecond: { one, two, three, perRound, oneWithoutWalFlushWait: oneAsync, writers, window, note: 'median of 3 rounds each' },
      natsCommitNotices: { count: notices.count, meanBytes: Math.round(notices.bytes / Math.max(1, notices.count)), note: 'one addNote commit each (change set encoded by server/cluster/commitCodec.ts)' },
      figures: {
        crossRelayPokeP50: atMost(latency.crossRelay.p50ms, ms(2 * latency.sameRelay.p50ms + 5), 'ms', 'a client of relay B, note added through relay A; target 2 × same-relay p50 + 5 ms'),
        crossRelayPokeP99: atMost(latency.crossRelay.p99ms, ms(2 * latency.sameRelay.p99ms + 5), 'ms', 'target 2 × same-relay p99 + 5 ms'),
        sameRelayPokeP99: atMost(latency.sameRelay.p99ms, 50, 'ms', 'push → poke of another socket on the same relay, PostgreSQL store'),
        // docs/SCALING.md "Capacity model": an organisation of 300 agents active at once, 0.3 commits/s each
        mutationsPerSecondOneRelay: atLeast(one.perSecond, 100, 'mutations/s', `${writers} pipelined clients, ${window} in flight each, PostgreSQL (synchronous_commit ${syncCommit}); target: 300 active agents × 0.3 commits/s`),
        mutationsPerSecondTwoVsOne: atLeast(two.perSecond / one.perSecond, 0.9, 'x', 'writes of one organisation serialize on its version row: a second relay must not slow them'),
        mutationsPerSecondThreeVsOne: atLeast(three.perSecond / one.perSecond, 0.9, 'x'),
        relayKiBPerIdleSocket: atMost((rssAfter - rssBefore) / idleN, 100, 'KiB', 'relay RSS growth per connected idle socket'),
        rejected: atMost(rejectedAll + oneAsync.rejected, 0, 'mutations'),
      },
    };
  } finally {
    for (const c of clients) c.close();
    for (const r of relays) await r.stop();
    await database.drop();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const r = await run();
  console.log(JSON.stringify(r, null, 2));
  console.log(summaryTable(r));
  process.exit(0);
}
