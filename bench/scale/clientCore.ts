// The real client core in its own process for the scale bench: signs in (full sync into a
// replica), closes, starts again (catch-up from its cookie); reports time, rows in the replica,
// its own longest event-loop stall, peak RSS and WAL size. Run from an esbuild bundle, as the
// app runs the core (see clientProcess.ts).
import Database from 'better-sqlite3';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createCore, FileSecretStore, type Core } from '../../electron/core/index';
import type { CoreImpl } from '../../electron/core/core';
import { ProcessMeter, serve } from './ipc';

const meter = new ProcessMeter();
// The app's core reaches the relay over Electron's net.fetch (electron/main/app.ts: Chromium's network
// stack, in its own process); here it runs on Node's fetch, which compiles undici on first use
// (25–120 ms of one event-loop turn on this machine) — a cost the app does not have. Loaded here,
// before anything is measured.
const fetchLoaded = fetch('data:,').then((r) => r.text());

// PARLEY_BENCH_CLIENT_TRACE=1: this process's memory every 250 ms on stderr (diagnosis)
if (process.env.PARLEY_BENCH_CLIENT_TRACE) {
  const t0 = performance.now();
  setInterval(() => {
    const m = process.memoryUsage();
    const roll = readFileSync('/proc/self/smaps_rollup', 'utf8');
    const kB = (k: string) => Math.round(Number(new RegExp(`^${k}:\\s+(\\d+)`, 'm').exec(roll)?.[1] ?? 0) / 1000);
    const mb = (n: number) => Math.round(n / 1e6);
    process.stderr.write(`client t=${Math.round(performance.now() - t0)}ms rss=${mb(m.rss)} heapUsed=${mb(m.heapUsed)} heapTotal=${mb(m.heapTotal)} external=${mb(m.external)} anonymous=${kB('Anonymous')} file=${kB('Pss_File')} sharedClean=${kB('Shared_Clean')}\n`);
  }, 250).unref();
  // event-loop stalls over 30 ms, stamped with the monotonic clock (µs) a --cpu-prof profile uses
  let last = process.hrtime.bigint();
  setInterval(() => {
    const now = process.hrtime.bigint();
    const gapMs = Number(now - last) / 1e6;
    if (gapMs > 30) process.stderr.write(`client stall ${gapMs.toFixed(1)}ms endedAtUs=${now / 1000n}\n`);
    last = now;
  }, 5).unref();
}
const dataDir = process.env.BENCH_CLIENT_DIR as string;
let core: (Core & { readonly impl: CoreImpl }) | null = null;
let replicaPath = '';

const make = () => createCore({ dataDir, secretStore: new FileSecretStore(join(dataDir, 'secrets.json')), pingIntervalMs: 15_000 });

/** Until the core says online (after having been anything else, when `sawOffline`): its status events, no polling. */
async function online(c: Core, sawOffline: boolean): Promise<void> {
  let left = sawOffline;
  await new Promise<void>((resolve) => {
    const check = (state: string) => {
      if (state !== 'online') left = true;
      if (left && state === 'online') {
        off();
        resolve();
      }
    };
    const off = c.subscribe((e) => {
      if (e.type === 'sync') check(e.status.state);
    });
    void c.query('syncStatus', {}).then((s) => check(s.state));
  });
}

function replicaFigures(): { messages: number; walMB: number } {
  const db = new Database(replicaPath, { readonly: true });
  const messages = (db.prepare('SELECT count(*) AS n FROM messages').get() as { n: number }).n;
  db.close();
  const wal = `${replicaPath}-wal`;
  return { messages, walMB: existsSync(wal) ? Math.round(statSync(wal).size / 1e6) : 0 };
}

serve({
  fullSync: async (a: { relayUrl: string; email: string; password: string }) => {
    await fetchLoaded;
    core = make();
    meter.mark();
    const t0 = performance.now();
    await core.command('signIn', { relayUrl: a.relayUrl, email: a.email, password: a.password });
    await online(core, true);
    const ms = performance.now() - t0;
    const m = meter.read();
    const userId = core.impl.sessions.session?.userId ?? '';
    replicaPath = core.impl.replicaPath(userId);
    return { ms, ...m, ...replicaFigures() };
  },
  close: async () => {
    await core?.close();
    core = null;
  },
  catchUp: async () => {
    core = make();
    meter.mark();
    const t0 = performance.now();
    await core.start();
    await online(core, true);
    const ms = performance.now() - t0;
    return { ms, ...meter.read(), ...replicaFigures() };
  },
});
process.on('SIGTERM', () => void (core?.close() ?? Promise.resolve()).then(() => process.exit(0)));
