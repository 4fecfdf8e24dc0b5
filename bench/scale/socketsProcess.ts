// Many WebSockets in one process for the scale bench: idle or affected sync clients of the relay,
// receivers of a raw `ws` broadcast, a pipelining pusher. Arrival times are taken here, against
// the moment this process sent the trigger, so relay and raw figures share one clock.
import { performance } from 'node:perf_hooks';
import { WebSocket } from 'ws';
import { uuidv7 } from 'uuidv7';
import { PROTOCOL_VERSION } from '../../shared/protocol/index';
import { serve } from './ipc';

interface Sock {
  ws: WebSocket;
  /** the current round's arrival (ms, this process's clock) */
  arrived: number | null;
}
const groups = new Map<string, Sock[]>();
let marker = '';
const roundWaiters: (() => void)[] = [];
let pending = 0;
/** the fan-out's pusher: it gets its own poke too, which is not an arrival */
let pusherSock: Sock | null = null;

function open(url: string): Promise<WebSocket> {
  const ws = new WebSocket(url, { perMessageDeflate: false, maxPayload: 64 * 1024 * 1024 });
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

function arrive(s: Sock): void {
  if (s.arrived !== null || s === pusherSock) return;
  s.arrived = performance.now();
  if (--pending === 0) for (const w of roundWaiters.splice(0)) w();
}

/** A sync client that says hello with `cookie` and resolves once its catch-up is complete. */
async function syncSocket(url: string, token: string, cookie: number | null): Promise<Sock> {
  const ws = await open(url);
  const s: Sock = { ws, arrived: null };
  await new Promise<void>((resolve, reject) => {
    ws.on('message', (data: Buffer) => {
      const f = JSON.parse(data.toString('utf8')) as { type: string; more?: boolean; puts?: { r: { id?: unknown } }[]; code?: string };
      if (f.type === 'error') reject(new Error(`relay error ${f.code ?? ''}`));
      if (f.type !== 'poke') return;
      if (!f.more) resolve();
      if (marker && f.puts?.some((p) => p.r.id === marker)) arrive(s);
    });
    ws.send(JSON.stringify({ type: 'hello', protocolVersion: PROTOCOL_VERSION, clientId: uuidv7(), token, cookie, lastMutationId: 0 }));
  });
  return s;
}

async function rawSocket(url: string): Promise<Sock> {
  const ws = await open(url);
  const s: Sock = { ws, arrived: null };
  ws.on('message', (data: Buffer) => {
    JSON.parse(data.toString('utf8')); // the same work a sync receiver does per frame
    arrive(s);
  });
  return s;
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return +(s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? 0).toFixed(2);
};

function startRound(socks: Sock[]): Promise<void> {
  for (const s of socks) s.arrived = null;
  pending = socks.length;
  return new Promise((r) => roundWaiters.push(r));
}

serve({
  connect: async (a: { tag: string; url: string; tokens: string[]; count: number; cookie: number | null }) => {
    const list = groups.get(a.tag) ?? [];
    for (let i = 0; i < a.count; i += 50) {
      const batch = Array.from({ length: Math.min(50, a.count - i) }, (_, j) => syncSocket(a.url, a.tokens[(i + j) % a.tokens.length] as string, a.cookie));
      list.push(...(await Promise.all(batch)));
    }
    groups.set(a.tag, list);
    return list.length;
  },
  /** `count` sockets open, then all say hello at once with an empty replica: time to each one's complete catch-up. */
  storm: async (a: { url: string; tokens: string[]; count: number }) => {
    const wss = await Promise.all(Array.from({ length: a.count }, () => open(a.url)));
    const t0 = performance.now();
    const done = await Promise.all(
      wss.map(
        (ws, i) =>
          new Promise<number>((resolve, reject) => {
            ws.on('message', (data: Buffer) => {
              const f = JSON.parse(data.toString('utf8')) as { type: string; more?: boolean; code?: string };
              if (f.type === 'error') reject(new Error(`relay error ${f.code ?? ''}`));
              if (f.type === 'poke' && !f.more) resolve(performance.now() - t0);
            });
            ws.send(JSON.stringify({ type: 'hello', protocolVersion: PROTOCOL_VERSION, clientId: uuidv7(), token: a.tokens[i % a.tokens.length], cookie: null, lastMutationId: 0 }));
          }),
      ),
    );
    await Promise.all(wss.map((ws) => new Promise<void>((r) => {
      ws.once('close', () => r());
      ws.close();
    })));
    return { sockets: a.count, firstMs: pct(done, 0), p50ms: pct(done, 50), p99ms: pct(done, 99), lastMs: pct(done, 100) };
  },
  connectRaw: async (a: { tag: string; url: string; count: number }) => {
    const list: Sock[] = [];
    for (let i = 0; i < a.count; i += 100) list.push(...(await Promise.all(Array.from({ length: Math.min(100, a.count - i) }, () => rawSocket(a.url)))));
    groups.set(a.tag, list);
    return list.length;
  },
  closeAll: async (a: { tag: string }) => {
    const list = groups.get(a.tag) ?? [];
    await Promise.all(list.map((s) => new Promise<void>((r) => {
      if (s.ws.readyState === WebSocket.CLOSED) return r();
      s.ws.once('close', () => r());
      s.ws.close();
    })));
    groups.delete(a.tag);
  },
  /** Rounds of one addNote by a pusher; latency from its send to each receiver's poke. */
  fanOut: async (a: { tag: string; url: string; token: string; convId: string; rounds: number }) => {
    const socks = groups.get(a.tag) ?? [];
    const pusher = await syncSocket(a.url, a.token, null);
    pusherSock = pusher;
    let sample = '';
    pusher.ws.on('message', (d: Buffer) => void d);
    const lat: number[] = [];
    const roundWorst: number[] = [];
    const roundFirst: number[] = [];
    // one receiver keeps the bytes of a poke: the raw broadcast sends exactly these
    (socks[0] as Sock).ws.on('message', (d: Buffer) => {
      if (!sample && d.includes(marker)) sample = d.toString('utf8');
    });
    for (let i = 1; i <= a.rounds; i++) {
      marker = uuidv7();
      const done = startRound(socks);
      const t0 = performance.now();
      pusher.ws.send(JSON.stringify({ type: 'push', mutations: [{ id: i, name: 'addNote', args: { id: marker, conversationId: a.convId, body: `fan-out round ${i}` } }] }));
      await done;
      let worst = 0;
      let first = Infinity;
      for (const s of socks) {
        lat.push((s.arrived as number) - t0);
        worst = Math.max(worst, (s.arrived as number) - t0);
        first = Math.min(first, (s.arrived as number) - t0);
      }
      roundWorst.push(+worst.toFixed(1));
      roundFirst.push(+first.toFixed(1));
    }
    marker = '';
    pusherSock = null;
    pusher.ws.close();
    return { receivers: socks.length, rounds: a.rounds, p50ms: pct(lat, 50), p99ms: pct(lat, 99), maxms: pct(lat, 100), roundFirstMs: roundFirst, roundWorstMs: roundWorst, sample };
  },
  /** Rounds of a raw broadcast of the same bytes: a trigger socket asks the server to send to all. */
  rawFanOut: async (a: { tag: string; url: string; rounds: number }) => {
    const socks = groups.get(a.tag) ?? [];
    const trigger = await open(a.url);
    const lat: number[] = [];
    for (let i = 0; i < a.rounds; i++) {
      const done = startRound(socks);
      const t0 = performance.now();
      trigger.send('go');
      await done;
      for (const s of socks) lat.push((s.arrived as number) - t0);
    }
    trigger.close();
    return { receivers: socks.length, rounds: a.rounds, p50ms: pct(lat, 50), p99ms: pct(lat, 99), maxms: pct(lat, 100) };
  },
  /** `n` addNote mutations pushed at once in frames of 100; until the poke that covers the last. */
  pipeline: async (a: { url: string; token: string; convId: string; n: number }) => {
    const ws = await open(a.url);
    let resolveDone: () => void = () => undefined;
    let welcomed: () => void = () => undefined;
    const done = new Promise<void>((r) => (resolveDone = r));
    const ready = new Promise<void>((r) => (welcomed = r));
    let rejected = 0;
    ws.on('message', (d: Buffer) => {
      const f = JSON.parse(d.toString('utf8')) as { type: string; more?: boolean; lastMutationId?: number; results?: { status: string }[] };
      if (f.type === 'pushResult') rejected += (f.results ?? []).filter((r) => r.status !== 'ok').length;
      if (f.type === 'poke' && !f.more) {
        welcomed();
        if ((f.lastMutationId ?? 0) >= a.n) resolveDone();
      }
    });
    ws.send(JSON.stringify({ type: 'hello', protocolVersion: PROTOCOL_VERSION, clientId: uuidv7(), token: a.token, cookie: null, lastMutationId: 0 }));
    await ready;
    const t0 = performance.now();
    for (let i = 1; i <= a.n; i += 100) {
      const ms = Array.from({ length: Math.min(100, a.n - i + 1) }, (_, j) => ({ id: i + j, name: 'addNote', args: { id: uuidv7(), conversationId: a.convId, body: `pipelined note ${i + j}` } }));
      ws.send(JSON.stringify({ type: 'push', mutations: ms }));
    }
    await done;
    const ms = performance.now() - t0;
    ws.close();
    return { mutations: a.n, rejected, ms: +ms.toFixed(1), perSecond: Math.round((a.n / ms) * 1000) };
  },
});
process.on('SIGTERM', () => process.exit(0));
