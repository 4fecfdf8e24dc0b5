// The relay at scale (issue 14), every process separate: the relay in its own process, sync
// sockets and raw-`ws` receivers in another, the real client core in a third.
// - relay mutations/s (pipelined addNote) with 0 / 100 / 1,000 idle connected sockets that the
//   writes do not affect;
// - fan-out of one poke to 100 and 1,000 affected sockets next to a raw `ws` broadcast of the
//   same bytes to as many receivers in the same run;
// - end-to-end full sync (relay process → ws → replica) of the organisation (1.15M rows at scale
//   1), then catch-up of 10k and of 100k changes: time, longest event-loop stall and peak RSS of
//   relay and client.
// `PARLEY_BENCH_SCALE` scales the organisation and the change counts (not socket counts).
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { WebSocketServer, type WebSocket } from 'ws';
import { login } from '../server/testing';
import { atLeast, atMost, summaryTable } from './scale/figures';
import { Child } from './scale/ipc';
import { BENCH_PASSWORD, seedOrg } from './scale/seed';

const here = import.meta.dirname;
const load = () => loadavg().map((x) => +x.toFixed(2));

interface RelayInfo { wsUrl: string; httpUrl: string; version: number }
interface Stats { maxStallMs: number; p99StallMs: number; peakRssMB: number; cpuMs: number; atPeak?: { heapMB: number; externalMB: number } }
/** frames the relay queued to sockets so far (what else it sent while the pokes fanned out) */
interface Sent { pokes: number; presence: number }
interface FanOut { receivers: number; p50ms: number; p99ms: number; maxms: number; sample?: string }

async function tokens(httpUrl: string, emails: string[]): Promise<string[]> {
  const out: string[] = [];
  for (const e of emails) out.push((await login(httpUrl, e, BENCH_PASSWORD)).accessToken);
  return out;
}

/** A raw `ws` server that, when any socket sends "go", sends `payload` to every other socket. */
async function rawBroadcastServer(): Promise<{ url: string; setPayload(p: Buffer): void; close(): Promise<void> }> {
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1', perMessageDeflate: false });
  let payload: Buffer = Buffer.from('{}');
  wss.on('connection', (ws: WebSocket) => {
    ws.on('message', () => {
      for (const c of wss.clients) if (c !== ws) c.send(payload);
    });
  });
  await new Promise((r) => wss.once('listening', r));
  return {
    url: `ws://127.0.0.1:${(wss.address() as { port: number }).port}`,
    setPayload: (p) => (payload = p),
    close: () => new Promise<void>((r) => {
      for (const c of wss.clients) c.terminate();
      wss.close(() => r());
    }),
  };
}

async function connectedSockets(dir: string): Promise<Record<string, unknown>> {
  const dataDir = join(dir, 'small');
  const org = await seedOrg(dataDir, { conversations: 40, messages: 200, contacts: 40, salesAgents: 10, supportAgents: 10 });
  const relay = Child.start(join(here, 'scale', 'relayProcess.ts'), { BENCH_DATA_DIR: dataDir });
  const socks = Child.start(join(here, 'scale', 'socketsProcess.ts'));
  const raw = await rawBroadcastServer();
  try {
    const info = await relay.call<RelayInfo>('info');
    const sales = await tokens(info.httpUrl, org.sales);
    const support = await tokens(info.httpUrl, org.support);
    const conv = org.salesConversations[0] as string;
    const n = 2000;
    const pipeline = () => socks.call<{ perSecond: number; ms: number; rejected: number }>('pipeline', { url: info.wsUrl, token: sales[0], convId: conv, n });
    const version = async () => (await relay.call<RelayInfo>('info')).version;
    await pipeline(); // warm-up
    const idle0 = await pipeline();
    await socks.call('connect', { tag: 'idle', url: info.wsUrl, tokens: support, count: 100, cookie: await version() });
    const idle100 = await pipeline();
    await socks.call('connect', { tag: 'idle', url: info.wsUrl, tokens: support, count: 900, cookie: await version() });
    const idle1000 = await pipeline();
    await socks.call('closeAll', { tag: 'idle' });

    const fan: Record<number, { relay: FanOut; raw: FanOut }> = {};
    for (const count of [100, 1000]) {
      await socks.call('connect', { tag: 'affected', url: info.wsUrl, tokens: sales.slice(1), count: count - (fan[100] ? 100 : 0), cookie: await version() });
      await relay.call('mark');
      const sentBefore = await relay.call<Sent>('sent');
      const r = await socks.call<FanOut>('fanOut', { tag: 'affected', url: info.wsUrl, token: sales[0], convId: conv, rounds: 30 });
      const relayDuring = await relay.call<Stats>('stats');
      const sentAfter = await relay.call<Sent>('sent');
      raw.setPayload(Buffer.from(r.sample ?? '{}'));
      await socks.call('connectRaw', { tag: 'raw', url: raw.url, count });
      const w = await socks.call<FanOut>('rawFanOut', { tag: 'raw', url: raw.url, rounds: 30 });
      await socks.call('closeAll', { tag: 'raw' });
      const { sample, ...relayFig } = r;
      fan[count] = { relay: { ...relayFig, bytes: sample?.length ?? 0, relayProcess: { maxStallMs: relayDuring.maxStallMs, p99StallMs: relayDuring.p99StallMs, pokesSent: sentAfter.pokes - sentBefore.pokes, presenceSent: sentAfter.presence - sentBefore.presence } } as FanOut, raw: w };
    }
    await socks.call('closeAll', { tag: 'affected' });
    // reconnect storm: 1,000 sockets say hello at once with empty replicas (each a full catch-up)
    await relay.call('mark');
    const storm = await socks.call<{ sockets: number; firstMs: number; p50ms: number; p99ms: number; lastMs: number }>('storm', { url: info.wsUrl, tokens: [...sales, ...support], count: 1000 });
    const stormRelay = await relay.call<Stats>('stats');
    const f100 = fan[100] as { relay: FanOut; raw: FanOut };
    const f1000 = fan[1000] as { relay: FanOut; raw: FanOut };
    return {
      mutationsPerSecond: { idle0: idle0.perSecond, idle100: idle100.perSecond, idle1000: idle1000.perSecond, rejected: idle0.rejected + idle100.rejected + idle1000.rejected, pipelined: n },
      idle1000VsNone: atLeast(idle1000.perSecond / idle0.perSecond, 0.5, 'x', 'mutations/s with 1,000 idle unaffected sockets ÷ with none'),
      fanOut100: f100,
      fanOut1000: f1000,
      reconnectStorm: { ...storm, seededRows: org.rows, note: 'sales and admin sockets also get the ~8,000 notes the runs above wrote', relay: stormRelay },
      reconnectStormRelayStall: atMost(stormRelay.maxStallMs, 50, 'ms', '1,000 full catch-ups at once'),
      reconnectStormRelayRss: atMost(stormRelay.peakRssMB, 300, 'MB', 'relay peak RSS, 1,000 full catch-ups at once (16 stream at a time, the rest wait in arrival order)'),
      fanOut1000P99VsRaw: atMost(f1000.relay.p99ms / Math.max(0.001, f1000.raw.p99ms), 2, 'x', 'relay poke p99 ÷ raw ws broadcast p99, 1,000 receivers in another process'),
    };
  } finally {
    await raw.close();
    await socks.stop();
    await relay.stop();
  }
}

async function bigSync(dir: string, scale: number): Promise<Record<string, unknown>> {
  const dataDir = join(dir, 'big');
  let t0 = performance.now();
  const org = await seedOrg(dataDir, {
    conversations: Math.round(100_000 * scale), messages: Math.round(1_000_000 * scale), contacts: Math.round(50_000 * scale), salesAgents: 2, supportAgents: 2,
  });
  const seedSeconds = +((performance.now() - t0) / 1000).toFixed(1);
  const relay = Child.start(join(here, 'scale', 'relayProcess.ts'), { BENCH_DATA_DIR: dataDir });
  const client = Child.start(join(here, 'scale', 'clientProcess.ts'), { BENCH_CLIENT_DIR: join(dir, 'client') });
  try {
    const info = await relay.call<RelayInfo>('info');
    type Sync = Stats & { ms: number; messages: number; walMB: number };
    await relay.call('mark');
    const full = await client.call<Sync>('fullSync', { relayUrl: info.httpUrl, email: org.admin, password: BENCH_PASSWORD });
    const fullRelay = await relay.call<Stats>('stats');
    await client.call('close');
    const small = Math.round(10_000);
    const large = Math.round(100_000 * scale);
    t0 = performance.now();
    await relay.call('churn', { n: small, status: 'sent' });
    await relay.call('mark');
    const cu10k = await client.call<Sync>('catchUp');
    const cu10kRelay = await relay.call<Stats>('stats');
    await client.call('close');
    await relay.call('churn', { n: large, status: 'read' });
    await relay.call('mark');
    const cuLarge = await client.call<Sync>('catchUp');
    const cuLargeRelay = await relay.call<Stats>('stats');
    await client.call('close');
    const rowsPerSec = org.rows / (full.ms / 1000);
    return {
      rows: org.rows,
      seedSeconds,
      fullSync: { ms: Math.round(full.ms), messagesInReplica: full.messages, walMB: full.walMB, client: { maxStallMs: full.maxStallMs, p99StallMs: full.p99StallMs, peakRssMB: full.peakRssMB, cpuMs: full.cpuMs, atPeak: full.atPeak }, relay: fullRelay },
      fullSyncRowsPerSecond: atLeast(Math.round(rowsPerSec), 100_000, 'rows/s', 'relay process → ws → replica, until the core says online'),
      fullSyncRelayStall: atMost(fullRelay.maxStallMs, 50, 'ms'),
      fullSyncClientStall: atMost(full.maxStallMs, 50, 'ms'),
      fullSyncRelayRss: atMost(fullRelay.peakRssMB, 300, 'MB'),
      fullSyncClientRss: atMost(full.peakRssMB, 250, 'MB'),
      catchUp10k: { ms: Math.round(cu10k.ms), client: { maxStallMs: cu10k.maxStallMs, p99StallMs: cu10k.p99StallMs, cpuMs: cu10k.cpuMs }, relay: cu10kRelay },
      catchUp10kMs: atMost(Math.round(cu10k.ms), 500, 'ms', 'core start → online, 10,000 changed messages'),
      [`catchUp${large}`]: { ms: Math.round(cuLarge.ms), client: { maxStallMs: cuLarge.maxStallMs, peakRssMB: cuLarge.peakRssMB }, relay: cuLargeRelay },
      catchUpLargeRelayStall: atMost(cuLargeRelay.maxStallMs, 50, 'ms', `${large} changes`),
      catchUpLargeClientStall: atMost(cuLarge.maxStallMs, 50, 'ms', `${large} changes`),
    };
  } finally {
    await client.stop();
    await relay.stop();
  }
}

export async function run(): Promise<Record<string, unknown>> {
  const scale = Number(process.env.PARLEY_BENCH_SCALE ?? '1') || 1;
  const dir = mkdtempSync(join(tmpdir(), 'parley-scale-bench-'));
  const loadBefore = load();
  try {
    // PARLEY_BENCH_ONLY=sockets|sync runs one half (development)
    const only = process.env.PARLEY_BENCH_ONLY;
    const sockets = only === 'sync' ? null : await connectedSockets(dir);
    const sync = only === 'sockets' ? null : await bigSync(dir, scale);
    return { scale, loadAverage: { before: loadBefore, after: load() }, sockets, sync };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const r = await run();
  console.log(JSON.stringify(r, null, 2));
  console.log(summaryTable(r));
  process.exit(0);
}
