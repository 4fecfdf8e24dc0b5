// Prometheus metrics for GET /metrics (text exposition format), with prom-client.
// Per relay: sockets, mutations, poke fan-out and catch-up latency, effect queue depth, HTTP
// requests by route pattern. Per process (shared by every relay of the process, created at the
// first scrape): prom-client's default metrics, among them event-loop lag
// (`nodejs_eventloop_lag_seconds`, `…_p99_seconds`, `…_max_seconds`), RSS, heap and GC.
// Labels are bounded (route patterns, outcomes, kinds): never ids or anything a user typed.
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { EffectRunner } from './effects/runner';
import type { Engine } from './sync/engine';
import type { SyncHub } from './sync/hub';

export const METRICS_CONTENT_TYPE = Registry.PROMETHEUS_CONTENT_TYPE;

let processRegistry: Registry | null = null;
function processMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry, eventLoopMonitoringPrecision: 10 });
  }
  return processRegistry;
}

/** How often mutations/s is sampled. */
const RATE_WINDOW_MS = 10_000;

export interface MetricSources {
  engine: Engine;
  hub: SyncHub;
  effects: EffectRunner;
}

export class RelayMetrics {
  readonly registry = new Registry();
  private readonly http: Histogram<'method' | 'route' | 'status'>;
  private readonly rateTimer: NodeJS.Timeout;

  constructor(private readonly src: MetricSources) {
    const r = this.registry;
    const { engine, hub, effects } = src;
    const mutationTotal = () => engine.stats.applied + engine.stats.rejected + engine.stats.system;

    new Gauge({ name: 'parley_sync_sockets', help: 'sync WebSockets connected', registers: [r], collect() { this.set(hub.connectionCount); } });
    new Gauge({ name: 'parley_sync_backlog_sockets', help: 'sockets with frames or catch-up parts waiting to be sent', registers: [r], collect() { this.set(hub.sendBacklog); } });
    new Gauge({ name: 'parley_sync_blocked_sockets', help: 'sockets waiting for their peer to read before more is sent', registers: [r], collect() { this.set(hub.blockedSockets); } });
    new Gauge({
      name: 'parley_sync_catchups', help: 'catch-ups (and full syncs) by state: streaming, or waiting for a slot', labelNames: ['state'], registers: [r],
      collect() {
        this.set({ state: 'streaming' }, hub.catchUps.active);
        this.set({ state: 'waiting' }, hub.catchUps.waiting);
      },
    });
    mirror(r, 'parley_pokes_sent_total', 'live pokes queued to sockets', () => hub.stats.pokesSent);
    mirror(r, 'parley_poke_bodies_encoded_total', 'distinct live poke bodies encoded (shared by the sockets that get the same content)', () => hub.stats.bodiesEncoded);
    mirror(r, 'parley_presence_frames_sent_total', 'presence updates queued to sockets (a user\'s state only when it changed)', () => hub.presence.stats.framesSent);
    mirror(r, 'parley_presence_frames_encoded_total', 'distinct presence updates encoded (shared by the sockets that get the same)', () => hub.presence.stats.framesEncoded);
    mirror(r, 'parley_sync_dropped_too_slow_total', 'sockets closed 1013 because they fell too far behind', () => hub.stats.droppedTooSlow);
    new Counter({
      name: 'parley_mutations_total', help: 'mutations run, by outcome', labelNames: ['outcome'], registers: [r],
      collect() {
        this.reset();
        this.inc({ outcome: 'applied' }, engine.stats.applied);
        this.inc({ outcome: 'rejected' }, engine.stats.rejected);
        this.inc({ outcome: 'duplicate' }, engine.stats.duplicates);
        this.inc({ outcome: 'system' }, engine.stats.system);
      },
    });
    let last = { at: Date.now(), total: mutationTotal() };
    let perSecond = 0;
    this.rateTimer = setInterval(() => {
      const now = { at: Date.now(), total: mutationTotal() };
      perSecond = ((now.total - last.total) * 1000) / Math.max(1, now.at - last.at);
      last = now;
    }, RATE_WINDOW_MS);
    this.rateTimer.unref();
    new Gauge({ name: 'parley_mutations_per_second', help: `mutations run per second over the last ${RATE_WINDOW_MS / 1000} s (rate(parley_mutations_total) says the same over any window)`, registers: [r], collect() { this.set(perSecond); } });
    new Gauge({ name: 'parley_db_version', help: 'the relay database version (last commit)', registers: [r], collect() { this.set(engine.version()); } });
    new Gauge({ name: 'parley_change_log_min_version', help: 'oldest version the change log still reaches (older cookies reset)', registers: [r], collect() { this.set(engine.minRetainedVersion()); } });
    new Gauge({
      name: 'parley_effect_queue_depth', help: 'effects after commit (provider sends, payment links, broadcasts): running now, or scheduled for a retry', labelNames: ['state'], registers: [r],
      collect() {
        this.set({ state: 'running' }, effects.inFlight);
        this.set({ state: 'scheduled' }, effects.scheduled);
      },
    });
    const fanOut = new Histogram({
      name: 'parley_poke_fanout_seconds', help: 'time to plan, encode and queue the pokes of one commit to every affected socket', registers: [r],
      buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
    });
    const catchUp = new Histogram({
      name: 'parley_catchup_seconds', help: 'hello to the last catch-up part handed to the socket, by kind (full: empty replica or reset)', labelNames: ['kind'], registers: [r],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120],
    });
    hub.observer = {
      fanOut: (ms) => fanOut.observe(ms / 1000),
      catchUp: (ms, _rows, full) => catchUp.observe({ kind: full ? 'full' : 'incremental' }, ms / 1000),
    };
    this.http = new Histogram({
      name: 'parley_http_request_seconds', help: 'HTTP requests by method, route pattern and status', labelNames: ['method', 'route', 'status'], registers: [r],
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10],
    });
  }

  httpRequest(method: string, route: string, status: number, ms: number): void {
    this.http.observe({ method, route, status: String(status) }, ms / 1000);
  }

  /** This relay's metrics and the process's, in the text exposition format. */
  async text(): Promise<string> {
    return Registry.merge([processMetrics(), this.registry]).metrics();
  }

  close(): void {
    clearInterval(this.rateTimer);
    this.src.hub.observer = {};
  }
}

/** A counter that mirrors a count kept elsewhere (monotonic for the life of the relay). */
function mirror(r: Registry, name: string, help: string, read: () => number): void {
  new Counter({
    name, help, registers: [r],
    collect() {
      this.reset();
      this.inc(read());
    },
  });
}
