// The WebSocket half of sync: hello, push the outbox in order (one push in flight,
// ≤ 100 a batch), apply pokes through the engine, reset, liveness and reconnect.
import WebSocket from 'ws';
import { uuidv7 } from 'uuidv7';
import {
  MAX_FRAME_BYTES, MAX_PUSH_MUTATIONS, MIN_PROTOCOL_VERSION, PROTOCOL_VERSION, parseDownFrame,
  PRESENCE_THROTTLE_MS, type DownFrame, type PokeFrame, type PresenceUpFrame, type PresenceUser, type WelcomeFrame,
} from '../../../shared/protocol/index';
import type { SyncState } from '../../../shared/bridge';
import type { MutationEngine, OutboxRow, PokeOutcome } from '../engine/engine';
import type { Replica } from '../db/replica';
import { backoffDelay } from './backoff';
import { ChangeSet } from '../engine/changeSet';
import { tableNames } from '../../../shared/schema';

export interface SyncClientOptions {
  wsUrl: string;
  replica: Replica;
  engine: MutationEngine;
  /** a valid access token (refreshed by the caller when close to expiry) */
  token(forceRefresh: boolean): Promise<string>;
  onState(state: SyncState, error: string | null): void;
  onPoke(outcome: PokeOutcome, initial: boolean): void;
  onRejected(rows: { row: OutboxRow; code: string; message: string }[]): void;
  /** fatal auth trouble (deactivated, refresh refused): stop and tell the user */
  onAuthLost(kind: 'deactivated' | 'expired', message: string): void;
  /** the relay's welcome (organisation name…) */
  onWelcome?(f: WelcomeFrame): void;
  /** the relay no longer serves this version of Parley (client_too_old): stop and ask for an update */
  onOutdated?(message: string, minVersion: number | null): void;
  /** other users' presence (full: every connected user; anyone missing is offline) */
  onPresence?(users: PresenceUser[], full: boolean): void;
  /** logs what a newer relay sent that this build does not know (once per kind) */
  log?(message: string): void;
  pingIntervalMs?: number;
  /** rows per applied chunk of a large poke (default: sized to a time budget): keeps the event loop responsive */
  chunkRows?: number;
  /** WAL size past which applying waits for a complete checkpoint (default WAL_LIMIT_BYTES) */
  walLimitBytes?: number;
  /** extra socket options per connection (Electron: the system proxy's agent, the OS certificates) */
  connectOptions?(wsUrl: string): Promise<WebSocket.ClientOptions>;
}

const yieldToLoop = () => new Promise<void>((r) => setImmediate(r));
/**
 * Work one applied chunk (one transaction) of a poke may hold the event loop for: rows are applied
 * in chunks sized from the measured CPU cost per row (CPU, not wall time: on a busy machine time
 * the process is not scheduled would shrink chunks until their fixed cost dominated).
 */
const CHUNK_BUDGET_MS = 8;
const MIN_CHUNK_ROWS = 64;
/** the index backfill looks again this long after it gave way to frames being applied */
const BACKFILL_WAIT_MS = 25;
/** WAL size past which applying waits for a complete checkpoint (as the replica's journal_size_limit) */
const WAL_LIMIT_BYTES = 64 << 20;
const MAX_CHUNK_ROWS = 2000;
/**
 * Receive flow control: frames parsed and waiting to be applied beyond this pause the socket
 * (TCP backpressure reaches the relay, which stops producing catch-up parts for us), so memory
 * holds a few parts, not a whole sync. No protocol change: it works with any relay.
 */
const MAX_FRAMES_AHEAD = 4;

export class SyncClient {
  private ws: WebSocket | null = null;
  private stopped = true;
  private attempt = 0;
  private timer: NodeJS.Timeout | null = null;
  private pingTimer: NodeJS.Timeout | null = null;
  private lastSeen = 0;
  private inFlight: OutboxRow[] | null = null;
  private pushedUpTo = 0;
  private welcomed = false;
  private initial = false;
  private queue: Promise<void> = Promise.resolve();
  private forceRefresh = false;
  private backfilling = false;
  /** the version said in hello: lowered when an older relay answers protocol_version */
  private helloVersion = PROTOCOL_VERSION;
  private readonly ignoredKinds = new Set<string>();
  state: SyncState = 'offline';
  lastError: string | null = null;
  /** this user's own presence on this device, sent (coalesced, ≤ 1/s) to relays that serve it */
  private readonly ownPresence: Required<Omit<PresenceUpFrame, 'type'>> = { status: 'online', viewing: null, typing: false };
  private presenceServed = false;
  private presenceSentAt = 0;
  private presenceTimer: NodeJS.Timeout | null = null;

  constructor(private readonly o: SyncClientOptions) {}

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.attempt = 0;
    this.backfillIndexes();
    void this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.presenceTimer) clearTimeout(this.presenceTimer);
    this.presenceTimer = null;
    this.clearTimers();
    const ws = this.ws;
    this.ws = null;
    if (ws) ws.terminate();
    await this.queue.catch(() => undefined);
    this.setState('offline', null);
  }

  /** A mutation was queued: push it if the connection is idle. */
  kick(): void {
    this.pushNext();
  }

  /** Drop the connection as if the network failed (tests, sleep/wake). */
  dropConnection(): void {
    this.ws?.terminate();
  }

  private setState(s: SyncState, err: string | null): void {
    this.state = s;
    this.lastError = err;
    this.o.onState(s, err);
  }

  private clearTimers(): void {
    if (this.timer) clearTimeout(this.timer);
    if (this.pingTimer) clearInterval(this.pingTimer);
    this.timer = this.pingTimer = null;
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    this.setState('connecting', this.lastError);
    let token: string;
    try {
      token = await this.o.token(this.forceRefresh);
      this.forceRefresh = false;
    } catch (e) {
      const err = e as { status?: number; message?: string };
      if (err.status === 403) return this.authLost('deactivated', 'your account has been deactivated');
      if (err.status === 401) return this.authLost('expired', 'your session has expired: sign in again');
      return this.scheduleReconnect(err.message ?? 'cannot reach the relay');
    }
    let extra: WebSocket.ClientOptions;
    try {
      extra = (await this.o.connectOptions?.(this.o.wsUrl)) ?? {};
    } catch (e) {
      return this.scheduleReconnect(`cannot resolve the network route to the relay (${(e as Error).message})`);
    }
    if (this.stopped) return;
    const ws = new WebSocket(this.o.wsUrl, { ...extra, maxPayload: MAX_FRAME_BYTES * 2 });
    this.ws = ws;
    this.welcomed = false;
    this.inFlight = null;
    ws.on('open', () => {
      const meta = this.o.replica.meta();
      if (!meta) return ws.close();
      const minPending = this.o.engine.outbox(0, 1)[0]?.id;
      const lastMutationId = minPending !== undefined ? minPending - 1 : meta.nextMutationId - 1;
      this.initial = meta.cookie === null;
      this.fetchTable = null; // a fetch on this connection starts from its first table
      ws.send(JSON.stringify({
        type: 'hello', protocolVersion: this.helloVersion, clientId: meta.clientId, token, cookie: meta.cookie, lastMutationId,
        // every result up to here is recorded (failures) or acknowledged: the relay may forget them
        ...(this.helloVersion >= 2 ? { handledUpTo: lastMutationId } : {}),
      }));
      this.lastSeen = Date.now();
      const every = this.o.pingIntervalMs ?? 15_000;
      this.pingTimer = setInterval(() => {
        if (Date.now() - this.lastSeen > every * 2) return ws.terminate();
        if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify({ type: 'ping', t: Date.now() }));
      }, every);
    });
    let ahead = 0;
    ws.on('message', (data: WebSocket.RawData) => {
      this.lastSeen = Date.now();
      this.framesWaiting++;
      if (++ahead > MAX_FRAMES_AHEAD && !ws.isPaused) ws.pause();
      // parsed when its turn in the queue comes, not here: one socket read can carry several
      // frames, and each is parsed in the turn that applies it instead of all in the read's turn
      this.queue = this.queue
        .then(() => {
          const frame = this.parseFrame(data as Buffer);
          return frame ? this.onFrame(ws, frame) : undefined;
        })
        .catch((e: Error) => {
          this.lastError = e.message;
          ws.terminate();
        })
        .finally(() => {
          this.framesWaiting--;
          if (--ahead <= 2 && ws.isPaused && ws.readyState === WebSocket.OPEN) ws.resume();
        });
    });
    ws.on('close', () => {
      if (this.ws === ws) this.ws = null;
      if (this.pingTimer) clearInterval(this.pingTimer);
      this.pingTimer = null;
      this.inFlight = null;
      this.scheduleReconnect(this.lastError);
    });
    ws.on('error', (e) => {
      this.lastError = e.message.startsWith('connect') ? 'cannot reach the relay' : e.message;
    });
  }

  /** The frame, or null for one we cannot trust (ignored, never applied). */
  private parseFrame(data: Buffer): DownFrame | null {
    try {
      // tolerant (protocol 2): what a newer relay adds is left out, what is left is validated
      const parsed = parseDownFrame(JSON.parse(data.toString()));
      this.noteIgnored(parsed.ignored);
      return parsed.ok ? parsed.frame : null;
    } catch {
      return null;
    }
  }

  /** Logged once per kind; skipped tables are remembered so a build that knows them refetches. */
  private noteIgnored(ignored: string[]): void {
    for (const what of ignored) {
      if (this.ignoredKinds.has(what)) continue;
      this.ignoredKinds.add(what);
      this.o.log?.(`sync: ignored ${what} from a newer relay`);
      if (what.startsWith('table ')) this.o.replica.noteSkippedTable(what.slice('table '.length));
    }
  }

  /** Stops syncing for good (until start()): no reconnect, the socket dropped, the state said. */
  private halt(state: SyncState, message: string): void {
    this.stopped = true;
    this.clearTimers();
    this.ws?.terminate();
    this.setState(state, message);
  }

  private authLost(kind: 'deactivated' | 'expired', message: string): void {
    this.halt('offline', message);
    this.o.onAuthLost(kind, message);
  }

  private scheduleReconnect(error: string | null): void {
    if (this.stopped || this.timer) return;
    this.setState('offline', error);
    const delay = backoffDelay(this.attempt++);
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.connect();
    }, delay);
  }

  private async onFrame(ws: WebSocket, f: DownFrame): Promise<void> {
    if (ws !== this.ws) return;
    switch (f.type) {
      case 'welcome': {
        this.o.onWelcome?.(f);
        // the relay forgot mutations it had acknowledged: its database was restored or replaced
        if (f.lastMutationId < this.o.engine.acknowledgedUpTo()) return this.relayLostHistory(ws);
        // refusals whose pushResult was lost with an earlier connection: recorded before the
        // catch-up poke drops those mutations from the outbox
        if (f.rejected?.length) this.recordRejections(f.rejected);
        // presence: only a relay that says it serves it receives it (an older one would refuse it)
        this.presenceServed = f.presence === true;
        if (this.presenceServed && (this.ownPresence.status !== 'online' || this.ownPresence.viewing)) this.sendPresence();
        this.welcomed = true;
        this.attempt = 0;
        this.pushedUpTo = f.lastMutationId;
        this.setState('syncing', null);
        this.pushNext();
        return;
      }
      case 'poke':
        return this.applyPoke(f);
      case 'pushResult': {
        this.recordRejections(f.results, this.inFlight ?? []);
        const maxId = Math.max(this.pushedUpTo, ...f.results.map((r) => r.id));
        this.pushedUpTo = maxId;
        this.inFlight = null;
        this.pushNext();
        return;
      }
      case 'reset': {
        // the relay follows a reset with the whole visible set on this connection
        this.o.engine.wipeSynced();
        this.initial = true;
        this.setState('syncing', null);
        this.o.onPoke({ changes: allTablesChanged(), newRows: [] }, true);
        return;
      }
      case 'error': {
        if (f.code === 'token_expired' || f.code === 'unauthorized') {
          this.forceRefresh = true;
          this.lastError = 'session expired, renewing';
          ws.close();
          return;
        }
        if (f.code === 'deactivated') return this.authLost('deactivated', 'your account has been deactivated');
        if (f.code === 'client_too_old') return this.outdated(f.message, f.minVersion ?? null);
        if (f.code === 'protocol_version') {
          // an older relay: say hello again in a version it serves, if this build still speaks it
          const next = Math.min(this.helloVersion - 1, f.maxVersion ?? this.helloVersion - 1);
          if (next >= MIN_PROTOCOL_VERSION) {
            this.helloVersion = next;
            this.attempt = 0;
            ws.close();
            return;
          }
          return this.outdated('this relay is older than this Parley: ask IT to update the relay', null);
        }
        if (f.code === 'mutation_order') return this.relayLostHistory(ws); // a gap we did not make: same cure
        this.lastError = `relay error: ${f.message}`;
        // a push in flight may never be answered now (e.g. 'internal': the relay could not write):
        // reconnect, with backoff; the welcome says what the relay kept and the rest is pushed again
        if (this.inFlight) ws.terminate();
        return;
      }
      case 'presence':
        this.o.onPresence?.(f.users, f.full === true);
        return;
      case 'pong':
        return;
    }
  }

  /**
   * This device's presence changed (status, the conversation open, replying there). Sent at once
   * when the last one went out over a second ago, otherwise coalesced into one at the end of the
   * second; kept across reconnects (sent again after the welcome).
   */
  setPresence(p: Omit<PresenceUpFrame, 'type'>): void {
    const o = this.ownPresence;
    const next = { status: p.status ?? o.status, viewing: p.viewing === undefined ? o.viewing : p.viewing, typing: p.typing ?? o.typing };
    if (next.viewing !== o.viewing && p.typing === undefined) next.typing = false;
    if (next.status === o.status && next.viewing === o.viewing && next.typing === o.typing) return;
    Object.assign(o, next);
    if (this.presenceTimer) return;
    const wait = this.presenceSentAt + PRESENCE_THROTTLE_MS - Date.now();
    if (wait <= 0) return this.sendPresence();
    this.presenceTimer = setTimeout(() => {
      this.presenceTimer = null;
      this.sendPresence();
    }, wait);
  }

  /** frames of presence sent (tests) */
  presenceFramesSent = 0;

  private sendPresence(): void {
    const ws = this.ws;
    if (!ws || ws.readyState !== WebSocket.OPEN || !this.presenceServed) return;
    this.presenceSentAt = Date.now();
    this.presenceFramesSent++;
    ws.send(JSON.stringify({ type: 'presence', ...this.ownPresence }));
  }

  /** Refusals (pushResult, or welcome.rejected) of mutations still in the outbox become failures. */
  private recordRejections(results: { id: number; status: string; code?: string; message?: string }[], batch?: OutboxRow[]): void {
    const refused = results.filter((r) => r.status === 'rejected');
    if (!refused.length) return;
    const rows = batch ?? this.o.engine.outbox(Math.min(...refused.map((r) => r.id)) - 1, MAX_PUSH_MUTATIONS * 100);
    const byId = new Map(rows.map((r) => [r.id, r]));
    const rejected = refused.flatMap((r) => {
      const row = byId.get(r.id);
      return row ? [{ row, code: r.code ?? 'internal', message: r.message ?? 'refused by the relay' }] : [];
    });
    if (rejected.length) this.o.onRejected(rejected);
  }

  private outdated(message: string, minVersion: number | null): void {
    this.halt('outdated', message);
    this.o.onOutdated?.(message, minVersion);
  }

  /**
   * New clientId, pending mutations renumbered from 1, synced rows dropped; then reconnect with
   * cookie null (a full fetch) and push. Frames still coming on this socket are ignored.
   */
  private relayLostHistory(ws: WebSocket): void {
    this.ws = null;
    ws.terminate();
    this.o.engine.becomeNewClient(uuidv7());
    this.initial = true;
    this.attempt = 0;
    this.lastError = 'the relay lost this device\'s history: syncing again';
    this.o.onPoke({ changes: allTablesChanged(), newRows: [] }, true);
  }

  private async applyPoke(f: PokeFrame): Promise<void> {
    const initial = this.initial || f.baseCookie === null;
    // indexes dropped by a full fetch that did not end here (a worker builds them: nothing is written meanwhile)
    if (!initial) await this.o.replica.restoreIndexes();
    // a full fetch (in parts, or one big frame): index message text afterwards, in the background,
    // instead of per row; secondary indexes built once the fetch is past their table (once a fetch)
    if (initial && !this.fetchDeferred && (f.more === true || f.puts.length + f.dels.length > this.chunkSize())) {
      this.o.engine.deferIndexing();
      this.o.replica.bulkWriting(true);
      this.fetchDeferred = true;
    }
    // in chunks of one transaction each, sized to CHUNK_BUDGET_MS, yielding between them (dels
    // first, as within a part); the cookie moves only with the last chunk of the last part
    let di = 0;
    let pi = 0;
    do {
      const size = this.chunkSize();
      const dels = f.dels.slice(di, di + size);
      const puts = f.puts.slice(pi, pi + size - dels.length);
      di += dels.length;
      pi += puts.length;
      const last = di >= f.dels.length && pi >= f.puts.length;
      const whole = last && dels.length === f.dels.length && puts.length === f.puts.length;
      const c: PokeFrame = whole ? f : { ...f, dels, puts, more: last ? f.more : true };
      const cpu0 = process.cpuUsage();
      this.o.onPoke(this.o.engine.applyPoke(c, { trackNew: !initial, setCookie: !c.more }), initial);
      const cpu = process.cpuUsage(cpu0);
      this.learnApplyCost(dels.length + puts.length, (cpu.user + cpu.system) / 1000);
      // parts arrive back to back: let timers, I/O and the UI's queries run between chunks
      if (c.more) await yieldToLoop();
      // a long sync writes without pause: let the WAL be copied into the database now and then
      if (this.walChecksSkipped > 0) this.walChecksSkipped--;
      else if (this.o.replica.walOver(this.o.walLimitBytes ?? WAL_LIMIT_BYTES) && (await this.o.replica.checkpointNow()) === false) this.walChecksSkipped = 64; // could not complete: not again at once
    } while (di < f.dels.length || pi < f.puts.length);
    // a full set comes table by table: a table the fetch has moved past gets its indexes now (off
    // this thread), so queries on it (the inbox while messages arrive) need not scan it meanwhile
    if (initial && f.more && this.o.replica.indexesPending) {
      const passed = this.passedTables(f).filter((t) => this.o.replica.deferredFor(t));
      if (passed.length) await this.o.replica.restoreIndexes(passed);
    }
    if (!f.more) {
      // the full fetch's dropped indexes, built once now (off this thread) before the replica is used online
      await this.o.replica.restoreIndexes();
      this.o.replica.bulkWriting(false);
      this.fetchDeferred = false;
      this.fetchTable = null;
      this.initial = false;
      if (this.state !== 'online') this.setState('online', null);
      this.backfillIndexes();
    }
  }

  /** this full fetch has deferred its index work (Replica.deferIndexes): not again until it ends */
  private fetchDeferred = false;
  /** the table of the last row a full fetch applied */
  private fetchTable: string | null = null;

  /** Tables whose rows a full fetch has moved past with this part (they came before another table's). */
  private passedTables(f: PokeFrame): string[] {
    const passed: string[] = [];
    let t = this.fetchTable;
    for (const p of f.puts) {
      if (p.t === t) continue;
      if (t !== null) passed.push(t);
      t = p.t;
    }
    this.fetchTable = t;
    return passed;
  }

  /** frames received and not yet applied (over every socket of this client) */
  private framesWaiting = 0;

  /** chunks to apply before looking at the WAL's size again */
  private walChecksSkipped = 0;

  /** running estimate of one applied row's CPU cost (ms), from the chunks applied so far */
  private msPerRow = 0.02;

  /** Rows per applied chunk: what fits in CHUNK_BUDGET_MS at the measured cost (or as configured). */
  private chunkSize(): number {
    if (this.o.chunkRows) return this.o.chunkRows;
    return Math.max(MIN_CHUNK_ROWS, Math.min(MAX_CHUNK_ROWS, Math.floor(CHUNK_BUDGET_MS / this.msPerRow)));
  }

  private learnApplyCost(rows: number, ms: number): void {
    if (rows < MIN_CHUNK_ROWS) return; // a chunk's fixed cost would dominate
    this.msPerRow = 0.7 * this.msPerRow + 0.3 * (ms / rows);
  }

  /** Indexes deferred message text in small transactions, yielding between them. */
  private backfillIndexes(): void {
    if (this.backfilling || !this.o.engine.indexBackfillPending()) return;
    this.backfilling = true;
    const step = () => {
      if (this.stopped) {
        this.backfilling = false;
        return;
      }
      // frames to apply come first (a catch-up right after a full fetch): the backfill waits
      if (this.framesWaiting > 0) {
        setTimeout(step, BACKFILL_WAIT_MS);
        return;
      }
      try {
        if (this.o.engine.backfillIndexes(1000)) {
          this.backfilling = false;
          return;
        }
      } catch {
        this.backfilling = false; // replica closed under us
        return;
      }
      setImmediate(step);
    };
    setImmediate(step);
  }

  private pushNext(): void {
    const ws = this.ws;
    if (!ws || ws.readyState !== WebSocket.OPEN || !this.welcomed || this.inFlight) return;
    const rows = this.o.engine.outbox(this.pushedUpTo, MAX_PUSH_MUTATIONS);
    if (rows.length === 0) return;
    this.inFlight = rows;
    ws.send(JSON.stringify({ type: 'push', mutations: rows.map((r) => ({ id: r.id, name: r.name, args: r.args })) }));
  }
}

/** A reset touches everything: the UI refetches all. */
function allTablesChanged(): ChangeSet {
  const c = new ChangeSet();
  for (const t of tableNames) c.tables.add(t);
  return c;
}
