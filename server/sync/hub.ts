// The sync endpoint: parses and validates every frame, authenticates hello, streams
// catch-up, runs pushes, and fans every commit out to the connected clients it affects
// (by the subscriber index: cost follows what changed, not how many sockets are open).
import type { IncomingMessage } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket, type RawData } from 'ws';
import { MAX_FRAME_BYTES, MIN_PROTOCOL_VERSION, PROTOCOL_VERSION, upFrame, type HelloFrame, type PushFrame, type UpFrame } from '../../shared/protocol/index';
import type { MutationResult } from '../../shared/protocol/pushResult';
import type { TokenService } from '../auth/tokens';
import type { ErrorLog, Logger } from '../log';
import { CatchUpStream, planCatchUp } from './catchup';
import { Connection, encodePokeBody, MAX_CONCURRENT_STREAMS, POKE_PART_ROWS, STREAM_STALL_MS, StreamGate } from './connection';
import { exceedsDepth, MAX_FRAME_DEPTH, MAX_PRE_HELLO_BYTES } from './frameGuard';
import type { Commit, Engine } from './engine';
import { fanOut, planFanOut } from './fanout';
import { PokeBuilder, PokeRecorder } from './pokeBuilder';
import { SendScheduler } from './scheduler';
import { Pacer } from './pacer';
import { Subscribers, type Subscriber } from './subscribers';
import { RelayPresence, type PresenceBus } from './presence';
import { loadViewer } from './visibility';
import type { Conversation } from '../../shared/schema';
import type { Viewer } from '../../shared/scopes';
import type { Rows } from '../store/types';
import { Mutex } from '../store/sqlite';

const KNOWN_FRAMES = new Set(['hello', 'push', 'ping', 'presence']);
const HEARTBEAT_MS = 30_000;
/** mutations of one push run back to back before the relay serves others for a moment */
const PUSH_SLICE_MS = 5;
/** close code of a relay going away (restart, deploy): the client reconnects with its cookie */
export const CLOSE_GOING_AWAY = 1001;
/** close code for a frame over a limit (WebSocket "message too big") */
const CLOSE_TOO_BIG = 1009;

/** What the hub counts, for /metrics. */
export interface HubStats {
  /** live pokes queued to sockets */
  pokesSent: number;
  /** distinct live poke bodies encoded (one per group of users getting the same content) */
  bodiesEncoded: number;
  catchUpsStarted: number;
  catchUpsDone: number;
  droppedTooSlow: number;
}
/** Limits of catch-up streaming (tests lower them). */
export interface HubLimits {
  /** catch-ups streaming at once (default MAX_CONCURRENT_STREAMS) */
  maxConcurrentStreams?: number;
  /** a stalled client's catch-up gives up its slot after this (default STREAM_STALL_MS) */
  streamStallMs?: number;
  /** hellos handled at once (default HELLO_CONCURRENCY) */
  helloConcurrency?: number;
  /** hello work started per event-loop slice, in ms (default HELLO_SLICE_MS; one hello at least) */
  helloSliceMs?: number;
  /** presence: at most one update per user per this many ms (default PRESENCE_THROTTLE_MS) */
  presenceThrottleMs?: number;
  /** carries presence between relays (default: this relay only) */
  presenceBus?: PresenceBus;
  /** this relay's name on the presence bus */
  relayId?: string;
  /**
   * Several relays (server/cluster, NATS_URL): commits reach the hub through `applyCommit` from the
   * cluster's sequencer, in version order, the others' included, not from `engine.onCommit`.
   */
  sequenced?: boolean;
}

/** Observers of fan-out and catch-up timing (metrics); optional. */
export interface HubObserver {
  fanOut?(ms: number, recipients: number): void;
  catchUp?(ms: number, rows: number, full: boolean): void;
}

export class SyncHub {
  private readonly wss: WebSocketServer;
  private readonly conns = new Set<Connection>();
  private readonly subs = new Subscribers();
  private readonly scheduler: SendScheduler<Connection>;
  private readonly alive = new WeakMap<WebSocket, boolean>();
  /** WebSocket-level pings find sockets whose peer vanished without a close (sleep, network loss). */
  private readonly heartbeat: NodeJS.Timeout;
  private accepting = true;
  /** catch-up bytes in flight over every socket (bounds relay memory in a reconnect storm) */
  private readonly budget = { streamBytesInFlight: 0, stepMs: 0, debtMs: 0 };
  /**
   * catch-up steps: on SQLite one at a time, timed (its reads are synchronous: steps started in a
   * turn ran after it, interleaved, for up to 40 ms, and each kept its page alive meanwhile); on
   * PostgreSQL as they come (their reads wait on the network and overlap)
   */
  private readonly steps: <T>(fn: () => Promise<T>) => Promise<T>;
  /** how many catch-ups stream at once (the others wait in arrival order) */
  private readonly streams: StreamGate<Connection>;
  readonly stats: HubStats = { pokesSent: 0, bodiesEncoded: 0, catchUpsStarted: 0, catchUpsDone: 0, droppedTooSlow: 0 };
  observer: HubObserver = {};
  /** who is online, viewing, replying: ephemeral, in memory (server/sync/presence.ts) */
  readonly presence: RelayPresence;
  /** fan-outs and the live part of hellos, one at a time: no commit slips between catch-up and live */
  private readonly serial = new Mutex();
  /**
   * the version of the last commit fanned out: what a socket that says hello now is served up to
   * (commits after it reach it as live pokes), and the cookie after a push's own poke
   */
  private fanned: number;
  /** audiences of the conversations presence names (kept by the commits), so presence stays synchronous */
  private readonly audiences: ConversationAudiences;
  /** engine commits waiting for their fan-out (sequenced hubs: a push's poke follows its commit) */
  private fanWaiters: { version: number; resolve: () => void }[] = [];
  /** sockets their peer closed whose received pushes are still being handled */
  private readonly finishing = new Set<Connection>();
  /** hellos, a few per event-loop turn (a reconnect storm must not stall the relay) */
  readonly hellos: Pacer;

  constructor(
    private readonly engine: Engine,
    private readonly tokens: TokenService,
    private readonly log: ErrorLog,
    /** connection-level events (`conn` id, user id, close codes), debug and warn */
    private readonly logger?: Logger,
    private readonly limits: HubLimits = {},
  ) {
    this.hellos = new Pacer(limits.helloConcurrency, limits.helloSliceMs);
    this.scheduler = new SendScheduler<Connection>(this.budget);
    const stepLock = new Mutex();
    this.steps =
      engine.store.dialect === 'sqlite'
        ? (fn) =>
            stepLock.run(async () => {
              const t0 = performance.now();
              try {
                return await fn();
              } finally {
                this.budget.stepMs = this.budget.stepMs * 0.8 + (performance.now() - t0) * 0.2;
              }
            })
        : (fn) => fn();
    this.streams = new StreamGate<Connection>(limits.maxConcurrentStreams ?? MAX_CONCURRENT_STREAMS, (c) => this.scheduler.wake(c));
    this.wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES });
    this.fanned = engine.version();
    this.audiences = new ConversationAudiences(engine.store.rows);
    if (!limits.sequenced) engine.onCommit((c) => this.serial.run(() => this.onCommit(c)));
    this.presence = new RelayPresence({
      recipients: () => [...this.subs.all()].map((x) => ({ viewer: x.viewer, conns: [...x.conns].filter((c) => c.state === 'live' && c.protocolVersion >= 2) })),
      conversation: (id) => this.audiences.get(id),
      ...(limits.presenceBus ? { bus: limits.presenceBus } : {}),
      ...(limits.relayId ? { source: limits.relayId } : {}),
      ...(limits.presenceThrottleMs !== undefined ? { throttleMs: limits.presenceThrottleMs } : {}),
    });
    this.heartbeat = setInterval(() => this.beat(), HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  private beat(): void {
    for (const c of this.conns) {
      if (this.alive.get(c.ws) === false) {
        c.ws.terminate();
        continue;
      }
      this.alive.set(c.ws, false);
      c.ws.ping();
    }
  }

  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    if (!this.accepting) {
      socket.destroy();
      return;
    }
    // Paced with the hellos: a reconnect storm's 1,000 upgrades arrive in one poll phase (their
    // handshakes held the loop ~20-35 ms). A client sends nothing before its handshake's answer;
    // meanwhile the socket has no other listener, so its errors are caught here.
    const onError = () => socket.destroy();
    socket.on('error', onError);
    void this.hellos
      .run(async () => {
        socket.removeListener('error', onError);
        if (!this.accepting || socket.destroyed) return void socket.destroy();
        this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws));
      })
      .catch((e: unknown) => {
        this.log('relay: upgrade failed', e);
        socket.destroy();
      });
  }

  get connectionCount(): number {
    return this.conns.size;
  }

  /** sockets with frames or catch-up parts waiting to be sent */
  get sendBacklog(): number {
    return this.scheduler.pending;
  }

  /** sockets waiting for their peer to read before more is sent to them */
  get blockedSockets(): number {
    return this.scheduler.blockedCount;
  }

  /** catch-ups streaming now, and waiting for their turn */
  get catchUps(): { active: number; waiting: number } {
    return { active: this.streams.activeCount, waiting: this.streams.waitingCount };
  }

  /** false once a graceful shutdown began */
  get isAccepting(): boolean {
    return this.accepting;
  }

  /** Closes every socket of a user at once (deactivation). */
  disconnectUser(userId: string, code: 'deactivated' | 'unauthorized', message: string): void {
    for (const c of [...(this.subs.get(userId)?.conns ?? [])]) c.fail(code, message, true);
    for (const c of this.conns) if (c.state !== 'live' && c.userId === userId) c.fail(code, message, true);
  }

  /**
   * Graceful: no new sockets; every open one gets what is already queued for it, then a
   * 1001 (going away) close it reconnects from with its cookie (no reset). Sockets that have
   * not closed after `timeoutMs` are terminated.
   */
  async drain(timeoutMs = 5000): Promise<void> {
    this.accepting = false;
    const closing = [...this.conns].map(
      (c) =>
        new Promise<void>((resolve) => {
          if (c.ws.readyState === c.ws.CLOSED) return resolve();
          c.ws.once('close', () => resolve());
          c.closeAfterFlush(CLOSE_GOING_AWAY, 'relay restarting: reconnect');
        }),
    );
    let timer: NodeJS.Timeout | null = null;
    await Promise.race([Promise.all(closing), new Promise<void>((r) => (timer = setTimeout(r, timeoutMs)))]);
    if (timer) clearTimeout(timer);
  }

  /**
   * One commit, fanned out to the sockets it affects (after every earlier one); resolves when it
   * is. Sequenced hubs (several relays) get every commit of the organisation this way, in version
   * order; `commit.changes.version` is the pokes' cookie.
   */
  applyCommit(c: Commit): Promise<void> {
    return this.serial.run(() => this.onCommit(c));
  }

  /** Resolves once the version was fanned out (or caught up) here; at once when it already was. */
  fannedOut(version: number): Promise<void> {
    if (version <= this.fanned || !this.accepting) return Promise.resolve();
    return new Promise((resolve) => this.fanWaiters.push({ version, resolve }));
  }

  /**
   * Several relays: versions `from`..`to` could not be delivered as commits (a notice lost, too big
   * to travel, NATS away). Every live socket is brought up to date from the database as a hello
   * would: the viewers of connected users are read again first (a missed role, group or
   * deactivation), then each socket streams a catch-up from its cookie (a reset when its viewer
   * changed after it), presence is rechecked and the conversations presence knows are reread.
   */
  catchUpLive(from: number, to: number): Promise<void> {
    return this.serial.run(async () => {
      this.engine.observe(to);
      const rows = this.engine.store.rows;
      const viewers = new Map<string, Viewer | null>();
      for (const s of this.subs.all()) {
        const v = await loadViewer(rows, s.userId);
        viewers.set(s.userId, v?.active ? { id: v.id, role: v.role, groupIds: v.groupIds } : null);
      }
      const plans = new Map<Connection, Awaited<ReturnType<typeof planCatchUp>>>();
      for (const s of this.subs.all()) {
        const v = viewers.get(s.userId);
        if (!v) continue;
        for (const conn of s.conns) {
          if (conn.state !== 'live' || (conn.cookie !== null && conn.cookie >= to)) continue;
          plans.set(conn, await planCatchUp(this.engine, v, conn.cookie, to));
        }
      }
      const reread = await this.audiences.reload();
      // from here on, no await
      if (to > this.fanned) this.fanned = to;
      for (const s of [...this.subs.all()]) {
        if (!viewers.has(s.userId)) continue;
        const v = viewers.get(s.userId) ?? null;
        if (!this.adoptViewer(s, v)) continue;
        for (const conn of s.conns) {
          const plan = plans.get(conn);
          if (!plan || conn.state !== 'live') continue;
          if (plan.reset) conn.send({ type: 'reset', reason: plan.reset });
          // a socket mid-push: its builder holds commits after its cookie, which the stream covers
          // at their current state (the builder's older copies must not follow it)
          if (conn.pushBuilder) conn.pushBuilder = new PokeBuilder();
          this.streamCatchUp(conn, v, plan.baseCookie, to);
        }
      }
      this.presence.conversationsChanged(reread);
      this.releaseFanWaiters();
    });
  }

  /**
   * A user's viewer as read again (their role or groups changed; null: deactivated): their
   * sockets and presence follow it. False when deactivated (every socket closed).
   */
  private adoptViewer(s: Subscriber, v: Viewer | null): v is Viewer {
    if (!v) {
      for (const conn of [...s.conns]) conn.fail('deactivated', 'this account has been deactivated', true);
      return false;
    }
    this.subs.setViewer(s, v);
    this.presence.recheck(s.userId);
    for (const conn of s.conns) conn.viewer = v;
    return true;
  }

  /** A catch-up from `baseCookie` to `cookie`, read and sent as the socket drains; counted and timed. */
  private streamCatchUp(conn: Connection, viewer: Viewer, baseCookie: number | null, cookie: number): void {
    let stream: CatchUpStream | null = null;
    const t0 = performance.now();
    this.stats.catchUpsStarted++;
    conn.sendStream(() => (stream = new CatchUpStream(this.engine, viewer, baseCookie)), baseCookie, cookie, () => {
      this.stats.catchUpsDone++;
      this.observer.catchUp?.(performance.now() - t0, stream?.rowsRead ?? 0, baseCookie === null);
    });
  }

  private releaseFanWaiters(): void {
    if (this.fanWaiters.length === 0) return;
    const still: typeof this.fanWaiters = [];
    for (const w of this.fanWaiters) {
      if (w.version <= this.fanned || !this.accepting) w.resolve();
      else still.push(w);
    }
    this.fanWaiters = still;
  }

  async close(): Promise<void> {
    this.accepting = false;
    this.releaseFanWaiters();
    clearInterval(this.heartbeat);
    this.presence.stop();
    this.scheduler.stop();
    this.hellos.stop();
    for (const c of this.conns) {
      c.markClosed();
      c.ws.terminate();
    }
    await new Promise<void>((r) => this.wss.close(() => r()));
    // A fan-out already running still reads the store: let it end before the relay closes the
    // store after this (bounded: a store that no longer answers must not hold the shutdown).
    await Promise.race([this.serial.run(() => Promise.resolve()), new Promise<void>((r) => setTimeout(r, 5000).unref())]);
  }

  private accept(ws: WebSocket): void {
    const conn = new Connection(ws, {
      wake: (c) => this.scheduler.wake(c),
      flushed: (c) => this.scheduler.unblock(c),
      error: (m, e) => this.log(`${m} (conn ${conn.id})`, e),
      budget: this.budget,
      steps: this.steps,
      streams: this.streams,
      streamStallMs: this.limits.streamStallMs ?? STREAM_STALL_MS,
    });
    this.conns.add(conn);
    this.logger?.debug({ conn: conn.id }, 'sync socket open');
    this.alive.set(ws, true);
    ws.on('pong', () => this.alive.set(ws, true));
    ws.on('message', (data: RawData, isBinary: boolean) => {
      if (conn.state === 'closed') return;
      // Before hello a socket is a stranger: a hello is a few hundred bytes, so anything larger is
      // refused before it is queued or parsed, and the socket closed (1009).
      if (conn.state !== 'live' && frameBytes(data) > MAX_PRE_HELLO_BYTES) {
        this.logger?.warn({ conn: conn.id, bytes: frameBytes(data) }, 'sync frame over the pre-hello limit: closed');
        return conn.fail('frame_too_large', `frames before hello are limited to ${MAX_PRE_HELLO_BYTES} bytes`, CLOSE_TOO_BIG);
      }
      conn.chain = conn.chain.then(() => this.onMessage(conn, data, isBinary)).catch((e: unknown) => {
        this.log(`relay: frame handling failed (conn ${conn.id})`, e);
        // A hello that failed (the store could not register the client) leaves a socket with no
        // session: close it (1011) so the client reconnects with backoff instead of waiting for a
        // welcome that never comes.
        conn.fail('internal', 'internal error', conn.state === 'live' ? false : 1011);
      });
    });
    const gone = () => {
      if (conn.state === 'live' || conn.state === 'closed') this.subs.remove(conn);
      this.presence.close(conn);
      conn.markClosed();
      this.scheduler.forget(conn);
      this.conns.delete(conn);
    };
    ws.on('close', (code) => {
      if (code === 1013) this.stats.droppedTooSlow++;
      this.logger?.debug({ conn: conn.id, user: conn.userId || undefined, code }, 'sync socket closed');
      // The peer hung up (the relay did not close it): what it pushed before is handled still,
      // as it would have been had the socket stayed open that long (a slow store must not turn
      // a disconnect into lost mutations); its next hello waits for them (onHello).
      if (!conn.closing && conn.clientId !== '' && this.accepting) {
        conn.hungUp = true;
        this.finishing.add(conn);
        void conn.chain.finally(() => this.finishing.delete(conn));
      }
      gone();
    });
    // ws reports oversized frames (maxPayload) and protocol violations here, then closes (1009/1002).
    ws.on('error', () => {
      conn.closing = true;
      gone();
    });
  }

  /** A socket closed by its peer whose pushes are still handled (not once the relay stops). */
  private finishingPushes(conn: Connection): boolean {
    return conn.state === 'closed' && conn.hungUp && this.accepting;
  }

  private async onMessage(conn: Connection, data: RawData, isBinary: boolean): Promise<void> {
    const finishing = this.finishingPushes(conn);
    if (conn.state === 'closed' && !finishing) return;
    // a socket's first frames (its hello) are parsed in turn with other hellos: 1,000 of them
    // arrive in one poll phase, and parsing and validating them all there held the loop ~30 ms
    const frame = conn.state === 'new' ? await this.hellos.run(async () => this.parseFrame(conn, data, isBinary)) : this.parseFrame(conn, data, isBinary);
    if (!frame) return;
    if (frame.type === 'ping') return conn.send({ type: 'pong', ...(frame.t !== undefined ? { t: frame.t } : {}) });
    if (frame.type === 'hello') return this.onHello(conn, frame);
    if (conn.state !== 'live' && !finishing) return conn.fail('not_hello', 'send hello first');
    if (frame.type === 'presence') {
      if (finishing) return;
      if (frame.viewing) await this.audiences.load(frame.viewing);
      return this.presence.update(conn, frame);
    }
    return this.onPush(conn, frame);
  }

  /** A frame checked, parsed and validated; undefined (the socket told why) when it is not one. */
  private parseFrame(conn: Connection, data: RawData, isBinary: boolean): UpFrame | undefined {
    const buf = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
    if (isBinary) return void conn.fail('bad_frame', 'frames are JSON text');
    // pathological nesting is refused by a linear scan, before JSON.parse and the schema see it
    if (exceedsDepth(buf, MAX_FRAME_DEPTH)) return void conn.fail('bad_frame', `frame nests deeper than ${MAX_FRAME_DEPTH} levels`);
    let json: unknown;
    try {
      json = JSON.parse(buf.toString('utf8'));
    } catch {
      return void conn.fail('bad_json', 'frame is not valid JSON');
    }
    const parsed = upFrame.safeParse(json);
    if (!parsed.success) {
      const type = (json as { type?: unknown } | null)?.type;
      if (typeof type === 'string' && !KNOWN_FRAMES.has(type)) return void conn.fail('unknown_frame', `unknown frame type ${type.slice(0, 40)}`);
      return void conn.fail('bad_frame', parsed.error.message.slice(0, 2000));
    }
    return parsed.data;
  }

  private async onHello(conn: Connection, hello: HelloFrame): Promise<void> {
    if (conn.state !== 'new') return conn.fail('bad_frame', 'hello was already received');
    if (hello.protocolVersion < MIN_PROTOCOL_VERSION) {
      return conn.fail('client_too_old', `this Parley is too old for this relay: update it (protocol ${MIN_PROTOCOL_VERSION} or newer)`, true, { minVersion: MIN_PROTOCOL_VERSION });
    }
    if (hello.protocolVersion > PROTOCOL_VERSION) {
      return conn.fail('protocol_version', `this relay speaks protocol ${MIN_PROTOCOL_VERSION} to ${PROTOCOL_VERSION}`, true, { maxVersion: PROTOCOL_VERSION });
    }
    conn.protocolVersion = hello.protocolVersion;
    conn.state = 'auth';
    // Paced (a reconnect storm's 1,000 hellos are spread over event-loop turns), in two sections:
    // a hello that waits for this client's earlier sockets holds no place meanwhile.
    const who = await this.hellos.run(async () => {
      if (conn.state !== 'auth') return null; // closed meanwhile
      const v = await this.tokens.verifyAccess(hello.token);
      if (conn.state !== 'auth') return null; // closed meanwhile
      if (!v.ok) return conn.fail(v.code, v.code === 'token_expired' ? 'access token expired: refresh it' : 'invalid access token', true);
      const viewer = await loadViewer(this.engine.store.rows, v.userId);
      if (!viewer) return conn.fail('unauthorized', 'unknown user', true);
      if (!viewer.active) return conn.fail('deactivated', 'this account has been deactivated', true);
      return { v, viewer };
    });
    if (!who) return;
    const { v, viewer } = who;
    // this client's earlier sockets first handle what they received (a reconnect's welcome then
    // carries the lastMutationId of every push it sent before)
    const earlier = [...this.conns, ...this.finishing].filter((c) => c !== conn && c.clientId === hello.clientId);
    if (earlier.length) {
      await Promise.all(earlier.map((c) => c.chain));
      if (conn.state !== 'auth') return; // closed meanwhile
    }
    await this.hellos.run(() => this.welcome(conn, hello, v, viewer));
  }

  /** The rest of a hello: the client registered, the socket subscribed, welcomed and its catch-up queued. */
  private async welcome(conn: Connection, hello: HelloFrame, v: { expiresAt: number | null }, viewer: Viewer): Promise<void> {
    if (conn.state !== 'auth') return; // closed meanwhile
    const known = await this.engine.client(hello.clientId);
    if (known && known.userId !== viewer.id) return conn.fail('unauthorized', 'clientId belongs to another user', true);
    await this.engine.registerClient(hello.clientId, viewer.id);
    const orgName = await this.engine.meta.get('orgName');
    // protocol 2: refusals the client may not have received (its pushResult lost with a connection)
    const rejected = hello.protocolVersion >= 2 && hello.handledUpTo !== undefined ? await this.engine.pendingRejections(hello.clientId, hello.handledUpTo) : [];
    if (conn.state !== 'auth') return; // closed meanwhile
    this.logger?.debug({ conn: conn.id, user: viewer.id, protocol: hello.protocolVersion, resume: hello.cookie !== null }, 'sync hello');
    // Between fan-outs: the viewer is read again and the socket subscribed at the version fanned
    // out so far; every later commit reaches it live, every earlier one is in its catch-up.
    await this.serial.run(async () => {
      if (conn.state !== 'auth') return;
      const now = await loadViewer(this.engine.store.rows, viewer.id);
      if (!now?.active) return conn.fail('deactivated', 'this account has been deactivated', true);
      const version = this.fanned;
      const plan = await planCatchUp(this.engine, now, hello.cookie, version);
      if (conn.state !== 'auth') return;
      conn.state = 'live';
      conn.userId = now.id;
      conn.clientId = hello.clientId;
      conn.viewer = { id: now.id, role: now.role, groupIds: now.groupIds };
      this.subs.add(conn, conn.viewer);
      conn.lastMutationId = known?.lastMutationId ?? 0;
      conn.send({
        type: 'welcome', userId: now.id, version, lastMutationId: conn.lastMutationId,
        ...(orgName ? { orgName } : {}),
        ...(rejected.length ? { rejected } : {}),
        ...(hello.protocolVersion >= 2 ? { presence: true } : {}),
      });
      // The token is checked at hello; the socket lives only as long as the token does.
      if (v.expiresAt !== null) conn.expireAt(v.expiresAt);
      if (plan.reset) conn.send({ type: 'reset', reason: plan.reset });
      // Streamed: parts are read and sent as the socket drains; live pokes queue behind it.
      // Opened when the gate admits it (a few stream at once); timed from hello.
      this.streamCatchUp(conn, conn.viewer, plan.baseCookie, version);
      // online (a 0.1 client too); everyone's presence follows the catch-up, so the conversations it
      // names are known (protocol 1 never receives it: downgradeFrame)
      this.presence.open(conn);
    });
  }

  private async onPush(conn: Connection, push: PushFrame): Promise<void> {
    const results: MutationResult[] = [];
    let orderError: string | null = null;
    conn.pushBuilder = new PokeBuilder();
    let slice = performance.now();
    try {
      for (const m of push.mutations) {
        // a long push lets pings, other pushes and sends run every few ms (its poke keeps accumulating)
        if (performance.now() - slice > PUSH_SLICE_MS) {
          await new Promise((r) => setImmediate(r));
          slice = performance.now();
        }
        if (conn.state !== 'live' && !this.finishingPushes(conn)) break;
        const viewer = conn.viewer;
        if (!viewer) break;
        // resolves once its commit was fanned out (into conn.pushBuilder)
        const out = await this.engine.runPushed(conn.clientId, { userId: viewer.id, role: viewer.role }, m);
        if (out.kind === 'order') {
          orderError = `mutation ${m.id} out of order: expected ${out.expected}`;
          break;
        }
        results.push(out.result);
        conn.lastMutationId = Math.max(conn.lastMutationId, m.id);
      }
    } finally {
      const b = conn.pushBuilder;
      conn.pushBuilder = null;
      if (results.length) conn.send({ type: 'pushResult', results });
      // every commit up to `fanned` reached this socket (in its builder while it pushed)
      if (conn.state === 'live') conn.sendPoke(b, conn.cookie, Math.max(this.fanned, conn.cookie ?? 0));
      if (orderError) conn.fail('mutation_order', orderError);
    }
  }

  /**
   * One commit's fan-out (under `serial`, in commit order): everything it must read is read first,
   * then the pokes are built and queued with no await, so a push's builder and `fanned` move together.
   */
  private async onCommit(c: Commit): Promise<void> {
    // closing: every socket is gone, nothing to fan out (and the store is about to close)
    if (!this.accepting) return;
    const t0 = performance.now();
    const cs = c.changes;
    // a commit that wrote nothing (effects only) has no version and sends nothing
    if (cs.version === 0) return;
    const version = cs.version;
    // another relay's commit: this engine's version and retained change log follow it
    this.engine.observe(version);
    const rows = this.engine.store.rows;
    this.audiences.note(cs);
    // Users whose role or groups changed: every conversation may have flipped for them (rare; one by one).
    const skip = new Set<string>();
    const viewerPokes: { s: NonNullable<ReturnType<Subscribers['get']>>; after: Viewer | null; poke: PokeRecorder | null }[] = [];
    for (const userId of cs.viewerChanges) {
      const s = this.subs.get(userId);
      if (!s) continue;
      skip.add(userId);
      const v = await loadViewer(rows, userId);
      if (!v || !v.active) {
        viewerPokes.push({ s, after: null, poke: null });
        continue;
      }
      const after = { id: v.id, role: v.role, groupIds: v.groupIds };
      const poke = new PokeRecorder();
      try {
        await fanOut(rows, cs, s.viewer, after, poke);
        viewerPokes.push({ s, after, poke });
      } catch (e) {
        this.log('relay: fan-out failed', e);
        viewerPokes.push({ s, after, poke: null });
      }
    }
    let plan: Awaited<ReturnType<typeof planFanOut>> | null = null;
    try {
      plan = await planFanOut(rows, cs, this.subs, skip);
    } catch (e) {
      this.log('relay: fan-out failed', e);
    }
    // from here on, no await
    if (version > this.fanned) this.fanned = version;
    for (const { s, after, poke } of viewerPokes) {
      if (!this.adoptViewer(s, after)) continue;
      for (const conn of s.conns) {
        if (!poke || (conn.cookie !== null && conn.cookie >= version)) continue;
        const b = conn.pushBuilder ?? new PokeBuilder();
        poke.replay(b);
        if (!conn.pushBuilder && b.size > 0) conn.sendPoke(b, conn.cookie, version);
      }
    }
    const narrowed = new Set<string>();
    for (const scope of cs.visibility.keys()) if (scope.startsWith('conv:')) narrowed.add(scope.slice('conv:'.length));
    this.presence.conversationsChanged(narrowed);
    let recipients = 0;
    try {
      for (const g of plan?.groups ?? []) {
        let bodies: Buffer[] | null = null;
        for (const s of g.subs) {
          for (const conn of s.conns) {
            // a socket that said hello after this commit has it in its catch-up
            if (conn.state !== 'live' || (conn.cookie !== null && conn.cookie >= version)) continue;
            if (conn.pushBuilder) {
              plan?.build(conn.pushBuilder, g.ops);
              continue;
            }
            if (!bodies) {
              const b = new PokeBuilder();
              plan?.build(b, g.ops);
              bodies = b.size > 0 ? b.parts(POKE_PART_ROWS).map(encodePokeBody) : [];
              this.stats.bodiesEncoded += bodies.length;
            }
            if (bodies.length === 0) continue;
            conn.sendEncodedPoke(bodies, version);
            recipients++;
          }
        }
      }
    } catch (e) {
      this.log('relay: fan-out failed', e);
    }
    this.stats.pokesSent += recipients;
    this.observer.fanOut?.(performance.now() - t0, recipients);
    this.releaseFanWaiters();
  }
}

/**
 * The audience of each conversation presence has been told about: loaded when a socket says it
 * views one, kept in step by every commit, so presence's checks stay synchronous.
 */
class ConversationAudiences {
  private readonly known = new Map<string, Pick<Conversation, 'groupId' | 'visibleTo'> | undefined>();

  constructor(private readonly rows: Rows) {}

  async load(id: string): Promise<void> {
    if (this.known.has(id)) return;
    const c = await this.rows.get('conversations', id);
    this.known.set(id, c ? { groupId: c.groupId, visibleTo: c.visibleTo } : undefined);
  }

  /** Rereads every conversation known (commits were caught up, not seen one by one). */
  async reload(): Promise<Set<string>> {
    const ids = new Set(this.known.keys());
    for (const id of ids) {
      const c = await this.rows.get('conversations', id);
      this.known.set(id, c ? { groupId: c.groupId, visibleTo: c.visibleTo } : undefined);
    }
    return ids;
  }

  get(id: string): Pick<Conversation, 'groupId' | 'visibleTo'> | undefined {
    return this.known.get(id);
  }

  note(cs: Commit['changes']): void {
    for (const p of cs.puts.values()) {
      if (p.t !== 'conversations') continue;
      const c = p.row as Conversation;
      if (this.known.has(c.id)) this.known.set(c.id, { groupId: c.groupId, visibleTo: c.visibleTo });
    }
    for (const d of cs.dels.values()) if (d.t === 'conversations') this.known.delete(d.id);
  }
}

function frameBytes(data: RawData): number {
  if (Array.isArray(data)) return data.reduce((n, b) => n + b.length, 0);
  return data instanceof ArrayBuffer ? data.byteLength : data.length;
}
