// The relay in its own process for the scale bench: serves a seeded data dir, reports its own
// event-loop stalls and peak RSS, and writes bulk changes on request (for catch-up figures).
import { startRelay } from '../../server/relay';
import type { DeliveryStatus, RowOf } from '../../shared/schema';
import { ProcessMeter, serve } from './ipc';

const meter = new ProcessMeter();
const relay = await startRelay({ dataDir: process.env.BENCH_DATA_DIR as string, port: 0, log: () => undefined, logLevel: 'warn', changeLogRetention: 100_000_000 });
const engine = relay.services.engine;

serve({
  info: () => ({ wsUrl: relay.wsUrl, httpUrl: relay.httpUrl, version: engine.version(), pid: process.pid }),
  mark: () => meter.mark(),
  stats: () => ({ ...meter.read(), connections: relay.services.hub.connectionCount }),
  /** frames the relay has queued to sockets so far: the bench reports what a phase sent */
  sent: () => ({ pokes: relay.services.hub.stats.pokesSent, presence: relay.services.hub.presence.stats.framesSent }),
  /** `n` message updates in transactions of 1,000 rows (each a version) */
  churn: async (a: { n: number; status: DeliveryStatus }) => {
    const ids = await engine.store.all<{ id: string }>('SELECT id FROM messages ORDER BY rowid LIMIT ?', [a.n]);
    for (let i = 0; i < ids.length; i += 1000) {
      await engine.write((tx) => {
        for (const { id } of ids.slice(i, i + 1000)) {
          const m = tx.get('messages', id) as RowOf<'messages'>;
          tx.put('messages', { ...m, status: a.status });
        }
      });
    }
    return { version: engine.version(), changed: ids.length };
  },
});
process.on('SIGTERM', () => void relay.close().then(() => process.exit(0)));
