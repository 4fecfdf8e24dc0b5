// The relay: its store (server/store), mutation engine, sync WebSocket, HTTP API, effects, simulator.
import { writeFileSync, rmSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Group, User } from '../shared/schema';
import * as productRegistry from '../shared/mutators/index';
import { AuthService } from './auth/authService';
import { TokenService, tokenSecret } from './auth/tokens';
import { openRelayStore } from './db/open';
import { lockDataDir } from './relayLock';
import { EffectRunner, type EffectRunnerOptions } from './effects/runner';
import { Router } from './http/router';
import { authenticate } from './http/authUser';
import { authRoutes } from './http/authRoutes';
import { operatorRoutes } from './http/operatorRoutes';
import { adminRoutes } from './http/adminRoutes';
import { attachmentRoutes } from './http/attachmentRoutes';
import { payRoutes } from './http/payRoutes';
import { paymentPages } from './http/paymentPages';
import { webhookRoutes } from './http/webhookRoutes';
import { createDefaultRegistry, SimulatorChannel, type SimulatedText } from './providers/simulator';
import { createProviderRegistry } from './providers/registry';
import { providerAdminRoutes } from './providers/admin';
import { templateRoutes } from './http/templateRoutes';
import { auditRoutes } from './http/auditRoutes';
import { reconcileChannelProviders } from './providers/channelSync';
import type { ProviderRegistry } from './providers/types';
import { createAdminApi } from './admin';
import { createLogger, errorLog, levelFromEnv, type Logger, type LogLevel } from './log';
import { RelayMetrics } from './metrics';
import { createSink } from './sink';
import { releaseAttachments } from './attachmentsGc';
import { seedDemo } from './seed/demo';
import type { Services } from './services';
import type { RelayStore } from './store/types';
import { Engine, type MutatorLookup } from './sync/engine';
import { SyncHub, type HubLimits } from './sync/hub';
import { TimerScheduler, type TimerOptions } from './timers/scheduler';
import { AutoAssigner } from './assign/autoAssign';
import { startCluster, type Cluster, type ClusterOptions } from './cluster/index';

export interface RelayOptions {
  /** local files (lock, attachments, secrets); also the SQLite database unless `databaseUrl` */
  dataDir: string;
  /** postgres://… : the store is this PostgreSQL database instead of the data dir's SQLite file */
  databaseUrl?: string;
  port?: number;
  host?: string;
  seed?: 'demo' | 'none';
  changeLogRetention?: number;
  accessTokenTtlSeconds?: number;
  providers?: ProviderRegistry;
  /** catch-up streaming limits (tests lower them; defaults in server/sync/connection.ts) */
  sync?: HubLimits;
  /** test-only: a mutator registry other than the product's (shared/mutators) */
  mutators?: MutatorLookup;
  /** the structured log (default: pino on stdout at `logLevel`) */
  logger?: Logger;
  /** level of the default logger (default: PARLEY_LOG_LEVEL, else info; warn under vitest) */
  logLevel?: LogLevel;
  /** when set, GET /metrics asks for it as a Bearer token (default: PARLEY_METRICS_TOKEN, else open) */
  metricsToken?: string;
  /** where relay errors go instead of the logger (tests that read them) */
  log?: (msg: string, err?: unknown) => void;
  /**
   * NATS_URL: several relays serve the organisation (docs/SCALING.md); commits and presence
   * travel between them over NATS. Unset: this relay alone, as before.
   */
  natsUrl?: string;
  /** PARLEY_ORG_KEY: the organisation's part of the NATS subjects (default `parley`) */
  orgKey?: string;
  /** test-only: the cluster's timings (gap wait, database poll, reconnect) and relay id */
  cluster?: Pick<ClusterOptions, 'gapMs' | 'pollMs' | 'maxBuffered' | 'reconnectWaitMs' | 'connectTimeoutMs' | 'relayId' | 'presence'>;
  /** test-only: the effect runner's lease, poll and concurrency (defaults in server/effects/runner.ts) */
  effects?: Omit<EffectRunnerOptions, 'relayId'>;
  /** test-only: the timer scheduler's lease and poll (defaults in server/timers/scheduler.ts) */
  timers?: Omit<TimerOptions, 'relayId'>;
}

export interface CloseOptions {
  /**
   * Graceful (the CLI on SIGTERM/SIGINT): stop accepting (the listener closes, /ready answers 503,
   * other HTTP requests on open connections 503 `not_ready`), send every socket what is queued for
   * it and close it with 1001 (the client reconnects with its cookie, no reset), let in-flight
   * provider effects finish; each wait bounded by `timeoutMs` (default 10 s). Otherwise sockets
   * are cut at once (tests); effects that were running keep their jobs' leases, and run again
   * when the leases end (another relay) or at the next start (SQLite).
   */
  graceful?: boolean;
  timeoutMs?: number;
}

export interface Relay {
  httpUrl: string;
  wsUrl: string;
  port: number;
  close(opts?: CloseOptions): Promise<void>;
  admin: {
    createUser(u: { email: string; name: string; role: 'admin' | 'agent'; password: string; groupIds?: string[] }): Promise<User>;
    createGroup(g: { name: string; smsNumber?: string; whatsappNumber?: string; simulated?: boolean }): Promise<Group>;
    addMember(groupId: string, userId: string): Promise<void>;
    deactivateUser(userId: string): Promise<void>;
  };
  simulator: {
    inbound(m: { groupId: string; from: string; body: string; channel?: 'sms' | 'whatsapp'; contactName?: string }): Promise<void>;
    sent(): SimulatedText[];
  };
  /** internals for tests, the CLI and benchmarks */
  services: Services;
  metrics: RelayMetrics;
}

export const DEFAULT_RETENTION = 100_000;

export async function startRelay(opts: RelayOptions): Promise<Relay> {
  // under the test runner a relay logs warnings and errors only, unless PARLEY_LOG_LEVEL says otherwise
  const logger = opts.logger ?? createLogger({ level: opts.logLevel ?? levelFromEnv(process.env.VITEST ? 'warn' : 'info') });
  const log = opts.log ?? errorLog(logger);
  // one relay per data dir (two on one database would race its version counter)
  const unlock = lockDataDir(opts.dataDir);
  let store: RelayStore;
  try {
    store = await openRelayStore(opts.dataDir, opts.databaseUrl);
  } catch (e) {
    unlock();
    throw e;
  }
  const mutators = opts.mutators ?? productRegistry.mutators;
  let engine: Engine;
  let tokens: TokenService;
  try {
    engine = await Engine.open(store, mutators, opts.changeLogRetention ?? DEFAULT_RETENTION, log);
    tokens = new TokenService(store, await tokenSecret(engine.meta), opts.accessTokenTtlSeconds ?? 15 * 60);
  } catch (e) {
    await store.close();
    unlock();
    throw e;
  }
  const auth = new AuthService(store, tokens);
  // Several relays (NATS_URL): every commit, this relay's and the others', reaches the hub through
  // the cluster's sequencer in version order (server/cluster/index.ts, docs/SCALING.md "Wiring").
  let cluster: Cluster | null = null;
  let hubRef: SyncHub | null = null;
  // another relay's commit that set a timer: this relay wakes for it too (whoever claims it first fires it)
  let timersRef: TimerScheduler | null = null;
  if (opts.natsUrl) {
    // deliveries and catch-ups made while the cluster starts wait for the hub, in order
    let hubReady: (h: SyncHub) => void = () => undefined;
    const hubLater = new Promise<SyncHub>((r) => (hubReady = r));
    try {
      cluster = await startCluster({
        natsUrl: opts.natsUrl,
        orgKey: opts.orgKey ?? 'parley',
        ...opts.cluster,
        currentVersion: async () => {
          const v = await engine.refreshVersion();
          engine.observe(v);
          return v;
        },
        deliver: ({ commit, remote }) => {
          if (remote) timersRef?.observe(commit.changes);
          const failed = (e: unknown) => log('relay: fan-out of a cluster commit failed', e);
          if (hubRef) hubRef.applyCommit(commit).catch(failed);
          else hubLater.then((h) => h.applyCommit(commit)).catch(failed);
        },
        catchUp: async (from, to) => (hubRef ?? (await hubLater)).catchUpLive(from, to),
        log: (m, e) => log(m, e),
      });
    } catch (e) {
      await store.close();
      unlock();
      throw e;
    }
    const c = cluster;
    hubRef = new SyncHub(engine, tokens, log, logger.child({ part: 'sync' }), { ...opts.sync, sequenced: true, presenceBus: c.presence, relayId: c.relayId });
    hubReady(hubRef);
    // published to the others and delivered here in order; a push's poke waits for its fan-out
    engine.onCommit((commit) => {
      c.commit(commit);
      return hubRef?.fannedOut(commit.changes.version);
    });
  }
  const hub = hubRef ?? new SyncHub(engine, tokens, log, logger.child({ part: 'sync' }), opts.sync);
  // the owner written in the leases of jobs and timers this relay claims (server/jobs/lease.ts)
  const relayId = cluster?.relayId ?? opts.cluster?.relayId ?? randomUUID();
  const simulator = new SimulatorChannel();
  let httpUrl = '';
  let providers: ProviderRegistry | null = opts.providers ?? null;
  const admin = createAdminApi(engine);
  const sink = createSink(engine, log);
  simulator.attach(sink);
  const effects = new EffectRunner(engine, () => providers as ProviderRegistry, {
    userDeactivated: async (userId) => {
      hub.disconnectUser(userId, 'deactivated', 'this account has been deactivated');
      await tokens.revokeAll(userId);
    },
    attachmentsReleased: (ids) => releaseAttachments(store, opts.dataDir, ids),
  }, log, { ...opts.effects, relayId });
  const timers = (timersRef = new TimerScheduler(engine, log, { ...opts.timers, relayId }));
  const autoAssign = new AutoAssigner(engine, hub.presence, log);
  // Deactivation by any path (mutation, admin, CLI) revokes refresh tokens at once.
  engine.onCommit(async (c) => {
    for (const u of c.changes.deactivated) await tokens.revokeAll(u);
  });

  const services: Services = {
    store, dataDir: opts.dataDir, engine, auth, tokens, hub, effects, timers, autoAssign, simulator, sink, admin,
    providers: () => providers as ProviderRegistry,
    httpUrl: () => httpUrl,
    startedAt: Date.now(),
    log,
  };
  const metrics = new RelayMetrics({ engine, hub, effects });
  let closing = false;
  const router = new Router({ logger, authenticate: authenticate(services), closing: () => closing, observe: (m, route, status, ms) => metrics.httpRequest(m, route, status, ms) });
  operatorRoutes(router, services, metrics, opts.metricsToken ?? (process.env.PARLEY_METRICS_TOKEN || null));
  authRoutes(router, services);
  attachmentRoutes(router, services);
  adminRoutes(router, services);
  payRoutes(router, services);
  paymentPages(router);
  webhookRoutes(router, services);
  providerAdminRoutes(router, services);
  templateRoutes(router, services);
  auditRoutes(router, services);
  router.seal();

  const app = router.app;
  // The sync WebSocket shares the HTTP server: Fastify never sees upgrade requests.
  app.server.on('upgrade', (req, socket, head) => {
    const path = new URL(req.url ?? '/', 'http://relay.local').pathname;
    if (path === '/sync') hub.handleUpgrade(req, socket, head);
    else socket.destroy();
  });
  try {
    await app.listen({ port: opts.port ?? 0, host: opts.host ?? '127.0.0.1', listenTextResolver: (address) => `relay listening on ${address}` });
  } catch (e) {
    // the port is taken (EADDRINUSE): leave nothing open, the caller may try another port
    autoAssign.close();
    effects.close();
    simulator.close();
    metrics.close();
    await hub.close();
    await cluster?.close();
    await app.close().catch(() => undefined);
    await store.close();
    unlock();
    throw e;
  }
  const port = (app.server.address() as AddressInfo).port;
  const host = opts.host && opts.host !== '0.0.0.0' && opts.host !== '::' ? opts.host : '127.0.0.1';
  httpUrl = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  providers ??= createProviderRegistry({ store, httpUrl, dataDir: opts.dataDir, fallback: createDefaultRegistry(simulator, httpUrl), log });
  await reconcileChannelProviders(engine, providers, log);

  // Tells the CLI a relay serves this data dir (it then goes over HTTP instead of writing directly).
  writeFileSync(join(opts.dataDir, 'relay.json'), JSON.stringify({ pid: process.pid, httpUrl }));
  if (opts.seed === 'demo' && (await store.rows.count('users', {})) === 0) await seedDemo(services);

  await effects.start();
  await timers.start();

  let closed = false;
  logger.info({ httpUrl, wsUrl: `${httpUrl.replace(/^http/, 'ws')}/sync`, dataDir: opts.dataDir, version: engine.version() }, 'relay started');

  return {
    httpUrl,
    wsUrl: `${httpUrl.replace(/^http/, 'ws')}/sync`,
    port,
    admin,
    services,
    metrics,
    simulator: {
      inbound: (m) => sink.inbound({ ...m, channel: m.channel ?? 'sms' }),
      sent: () => simulator.sent(),
    },
    async close(o: CloseOptions = {}) {
      if (closed) return;
      closed = true;
      closing = true;
      // the listener closes now (no new connections); idle keep-alive connections close too
      const httpClosed = app.close();
      if (o.graceful) {
        const timeoutMs = o.timeoutMs ?? 10_000;
        const bounded = (p: Promise<void>) => {
          let t: NodeJS.Timeout | undefined;
          return Promise.race([p, new Promise<void>((r) => (t = setTimeout(r, timeoutMs)))]).finally(() => clearTimeout(t));
        };
        logger.info({ sockets: hub.connectionCount, effects: effects.inFlight }, 'relay draining: sockets close 1001, effects finish');
        effects.quiesce();
        await hub.drain(timeoutMs);
        await bounded(effects.idle());
      }
      timers.close();
      autoAssign.close();
      effects.close();
      simulator.close();
      metrics.close();
      await hub.close();
      // after the sockets: presence says goodbye, the NATS connection drains
      await cluster?.close();
      app.server.closeAllConnections();
      await httpClosed;
      await store.close();
      rmSync(join(opts.dataDir, 'relay.json'), { force: true });
      unlock();
      logger.info({ graceful: o.graceful === true }, 'relay stopped');
    },
  };
}
