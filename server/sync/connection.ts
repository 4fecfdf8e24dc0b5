// One sync WebSocket: an ordered send queue drained by the hub's scheduler (bounded per turn,
// paused while the socket is above its high-water mark), and the client's sync state.
// Queue items: frames, pre-encoded poke bodies shared by every socket that gets the same poke,
// and catch-up streams that produce their next part only when the socket has room for it.
import { WebSocket } from 'ws';
import type { Viewer } from '../../shared/scopes';
import { downgradeFrame, PROTOCOL_VERSION, V1_TABLES, type DownFrame } from '../../shared/protocol/index';
import { tableNames } from '../../shared/schema';
import type { ProtocolErrorCode } from '../../shared/protocol/error';
import type { RowDel, RowPut } from '../../shared/protocol/poke';
import type { PokeBuilder } from './pokeBuilder';
import { SEND_POOL } from './bufferPool';

/** rows (puts + dels) per poke part */
export const POKE_PART_ROWS = 2000;
/** bytes the socket may hold unsent before we stop producing catch-up parts for it */
export const HIGH_WATER = 256 << 10;
/**
 * catch-up bytes handed to sockets and not yet written to the kernel, over all sockets of a relay:
 * beyond it no catch-up produces its next part (1,000 reconnecting clients share this, not 1,000×)
 */
export const MAX_STREAM_BYTES_IN_FLIGHT = 8 << 20;
/** live poke bytes queued for one socket beyond which it is dropped (it reconnects and catches up) */
export const MAX_QUEUED_BYTES = 32 << 20;
/** close code for a socket dropped because it fell too far behind: reconnect and catch up */
export const CLOSE_TOO_SLOW = 1013;
const MAX_ERRORS = 10;
/** While every table is one protocol 1 knew, shared poke bodies need no rewriting for 0.1 clients. */
const V1_HAS_EVERY_TABLE = tableNames.every((t) => V1_TABLES.has(t));
const MAX_TIMER_MS = 2 ** 31 - 1;

/** `{"puts":[…],"dels":[…]}`: the part of a poke every recipient shares, encoded once. */
export function encodePokeBody(p: { puts: RowPut[]; dels: RowDel[] }): Buffer {
  return Buffer.from(JSON.stringify({ puts: p.puts, dels: p.dels }));
}

/** A poke frame's start, up to where its body's fields follow: `{"type":"poke",…,`. */
function pokeHead(baseCookie: number | null, cookie: number, lastMutationId: number, more: boolean): string {
  return `{"type":"poke","baseCookie":${baseCookie === null ? 'null' : baseCookie},"cookie":${cookie},"lastMutationId":${lastMutationId}${more ? ',"more":true' : ''},`;
}

/** A whole poke frame: this socket's header, then the shared body's bytes. */
export function pokeBytes(baseCookie: number | null, cookie: number, lastMutationId: number, more: boolean, body: Buffer): Buffer {
  return Buffer.concat([Buffer.from(pokeHead(baseCookie, cookie, lastMutationId, more)), body.subarray(1)]);
}

/**
 * A poke part's body (`{"puts":[…],"dels":[…]}`) as the chunks it is made of, and whether more
 * parts follow. The chunks go out as fragments of one WebSocket message: a part's rows (a few
 * hundred KB) are never copied into one buffer, nor again behind each socket's header.
 */
export class EncodedPart {
  constructor(
    readonly chunks: readonly Buffer[],
    readonly more: boolean,
    /** for each chunk, the send-pool buffer under it (given back once written), or null */
    readonly pooled: readonly (Buffer | null)[] = [],
  ) {}

  /** The body in one buffer (tests, tools, protocol 1 clients). */
  get body(): Buffer {
    return this.chunks.length === 1 ? (this.chunks[0] as Buffer) : Buffer.concat(this.chunks);
  }
}

/** A catch-up in the making: each step does a bounded amount of work (reads a page) and may yield parts. */
export interface PartSource {
  step(): Promise<EncodedPart[]>;
  readonly done: boolean;
}

/** catch-ups (and full syncs) streaming at once; the others wait their turn in arrival order */
export const MAX_CONCURRENT_STREAMS = 16;
/**
 * a streaming catch-up whose client has not read for this long gives its slot to the next in line
 * (a laptop asleep mid-sync must not hold up everyone's catch-up); it queues again when it reads
 */
export const STREAM_STALL_MS = 2000;

/**
 * Admits catch-up streams a few at a time, first come first served: in a reconnect storm of
 * 1,000 clients, 16 stream at once and finish early instead of 1,000 sharing every turn and all
 * finishing last, and the relay holds 16 streams' state (visibility memo, part being built), not
 * 1,000. A waiting stream does not exist yet: it is opened when admitted.
 */
export class StreamGate<C = unknown> {
  private readonly active = new Set<C>();
  /** insertion order is the admission order */
  private readonly waiting = new Set<C>();

  constructor(
    readonly max: number,
    /** a waiting connection was admitted: schedule its drain */
    private readonly wake: (c: C) => void,
  ) {}

  /** Whether `c` may stream now; if not, it waits and is woken when admitted. */
  acquire(c: C): boolean {
    if (this.active.has(c)) return true;
    if (this.active.size < this.max && this.waiting.size === 0) {
      this.active.add(c);
      return true;
    }
    this.waiting.add(c);
    return false;
  }

  /** `c` finished, closed or was dropped: the next in line takes its slot. */
  release(c: C): void {
    this.active.delete(c);
    this.waiting.delete(c);
    for (const next of this.waiting) {
      if (this.active.size >= this.max) break;
      this.waiting.delete(next);
      this.active.add(next);
      this.wake(next);
    }
  }

  get activeCount(): number {
    return this.active.size;
  }

  get waitingCount(): number {
    return this.waiting.size;
  }
}

type Item =
  | { k: 'frame'; frame: DownFrame }
  /** a frame encoded once for every socket that gets it (presence) */
  | { k: 'bytes'; data: Buffer }
  | { k: 'poke'; baseCookie: number | null; cookie: number; lastMutationId: number; more: boolean; body: Buffer }
  | {
      k: 'stream'; baseCookie: number | null; cookie: number; lastMutationId: number; open: () => PartSource; source: PartSource | null; holdsSlot: boolean;
      /** a step is reading: the connection waits (parked) and is woken when it is done */
      stepping: boolean;
      onDone?: () => void;
    }
  | { k: 'close'; code: number; reason: string };

export interface ConnectionHooks {
  /** the connection has something to send: schedule a drain */
  wake(c: Connection): void;
  /** a large send reached the kernel: the socket may have room again */
  flushed(c: Connection): void;
  /** a catch-up stream failed (logged by the hub) */
  error(msg: string, e: unknown): void;
  /**
   * shared by every connection of the hub: catch-up bytes not yet written to the kernel; what a
   * catch-up step costs (ms, measured where steps run one at a time, else 0); the cost of steps
   * started in the scheduler's current turn (they finish after it: it counts them in its budget)
   */
  readonly budget: { streamBytesInFlight: number; stepMs: number; debtMs: number };
  /** shared by every connection of the hub: runs a catch-up step (one at a time on SQLite) */
  readonly steps: <T>(fn: () => Promise<T>) => Promise<T>;
  /** shared by every connection of the hub: how many catch-ups stream at once */
  readonly streams: StreamGate<Connection>;
  /** how long a streaming catch-up may wait for its client to read before it gives up its slot */
  readonly streamStallMs: number;
}

export class Connection {
  state: 'new' | 'auth' | 'live' | 'closed' = 'new';
  userId = '';
  clientId = '';
  viewer: Viewer | null = null;
  /** the version the client's replica reaches once it has applied what we queued */
  cookie: number | null = null;
  lastMutationId = 0;
  /** the protocol version the client said hello with: frames are brought down to it */
  protocolVersion = PROTOCOL_VERSION;
  /** set while this client's push runs: its changes wait for the pushResult */
  pushBuilder: PokeBuilder | null = null;
  /** frames are handled one after another (hello verification is async) */
  chain: Promise<void> = Promise.resolve();
  /**
   * The peer closed the socket while it was live (not the relay): the pushes it sent before
   * closing are still handled (see SyncHub.onPush), whatever the store's speed.
   */
  hungUp = false;
  /** the relay queued this socket's close (an error, a drain): nothing more it sent is handled */
  closing = false;
  /** a connection id for logs */
  readonly id: number;
  private static nextId = 1;
  /** closes the socket when the access token presented at hello expires */
  private expiryTimer: NodeJS.Timeout | null = null;
  private errors = 0;
  /** when the socket last went above its high-water mark (null: it is below) */
  private fullSince: number | null = null;
  private readonly queue: Item[] = [];
  private queuedBytes = 0;

  constructor(
    readonly ws: WebSocket,
    private readonly hooks: ConnectionHooks,
  ) {
    this.id = Connection.nextId++;
  }

  send(frame: DownFrame): void {
    const f = this.protocolVersion < PROTOCOL_VERSION ? downgradeFrame(frame, this.protocolVersion) : frame;
    if (f) this.push({ k: 'frame', frame: f });
  }

  /** A frame already encoded by the caller for every socket that gets it; older clients get it downgraded. */
  sendEncoded(frame: DownFrame, bytes: Buffer): void {
    if (this.protocolVersion < PROTOCOL_VERSION) return this.send(frame);
    this.push({ k: 'bytes', data: bytes });
  }

  /** A shared poke body as this client may receive it (protocol 1: no table it did not have). */
  private forClient(body: Buffer): Buffer {
    if (this.protocolVersion >= 2 || V1_HAS_EVERY_TABLE) return body;
    const p = JSON.parse(body.toString('utf8')) as { puts: RowPut[]; dels: RowDel[] };
    const f = downgradeFrame({ type: 'poke' as const, ...p }, this.protocolVersion);
    return f ? encodePokeBody(f) : body;
  }

  /** A live poke whose body was encoded once for every socket that gets it; advances the cookie. */
  sendEncodedPoke(bodies: Buffer[], cookie: number): void {
    if (this.state === 'closed') return;
    bodies.forEach((body, i) => {
      this.queuedBytes += body.length;
      this.queue.push({ k: 'poke', baseCookie: this.cookie, cookie, lastMutationId: this.lastMutationId, more: i < bodies.length - 1, body });
    });
    this.cookie = cookie;
    if (this.queuedBytes > MAX_QUEUED_BYTES) return this.drop();
    this.hooks.wake(this);
  }

  /** Sends a poke built for this socket alone (its push, a viewer change), in parts when large. */
  sendPoke(b: PokeBuilder, baseCookie: number | null, cookie: number): void {
    const parts = b.parts(POKE_PART_ROWS);
    parts.forEach((p, i) => {
      const more = i < parts.length - 1;
      this.send({ type: 'poke', baseCookie, cookie, puts: p.puts, dels: p.dels, lastMutationId: this.lastMutationId, ...(more ? { more } : {}) });
    });
    this.cookie = cookie;
  }

  /**
   * A catch-up streamed part by part, as the socket drains, once the hub's gate admits it
   * (`open` runs then); the cookie is `cookie` after it.
   */
  sendStream(open: () => PartSource, baseCookie: number | null, cookie: number, onDone?: () => void): void {
    this.push({ k: 'stream', baseCookie, cookie, lastMutationId: this.lastMutationId, open, source: null, holdsSlot: false, stepping: false, ...(onDone ? { onDone } : {}) });
    this.cookie = cookie;
  }

  /**
   * Arms the token-expiry close: at `expiresAt` the client gets `token_expired` and the socket
   * closes (4000), so it refreshes and reconnects. Re-armed in steps: timers cap at ~24.8 days.
   */
  expireAt(expiresAt: number, now = Date.now()): void {
    this.clearExpiry();
    const delay = expiresAt - now;
    if (delay <= 0) return this.fail('token_expired', 'access token expired: refresh it and reconnect', true);
    this.expiryTimer = setTimeout(() => this.expireAt(expiresAt), Math.min(delay, MAX_TIMER_MS));
    this.expiryTimer.unref();
  }

  clearExpiry(): void {
    if (this.expiryTimer) clearTimeout(this.expiryTimer);
    this.expiryTimer = null;
  }

  /** An error frame; too many of them (abuse) or a fatal one closes the socket. */
  fail(code: ProtocolErrorCode, message: string, close: boolean | number = false, extra: { minVersion?: number; maxVersion?: number } = {}): void {
    this.send({ type: 'error', code, message, ...extra });
    this.errors++;
    if (close || this.errors > MAX_ERRORS) this.closeAfterFlush(typeof close === 'number' ? close : close ? 4000 : 1008, code);
  }

  closeAfterFlush(code: number, reason: string): void {
    this.closing = true;
    this.push({ k: 'close', code, reason });
  }

  /** Nothing more is sent: the socket closed, or the relay drops it. */
  markClosed(): void {
    this.state = 'closed';
    this.hooks.streams.release(this);
    this.clearExpiry();
    this.queue.length = 0;
    this.queuedBytes = 0;
  }

  get queuedItems(): number {
    return this.queue.length;
  }

  writable(): boolean {
    if (this.ws.readyState !== WebSocket.OPEN) return true;
    if (this.ws.bufferedAmount > HIGH_WATER) {
      this.yieldStalledSlot();
      return false;
    }
    this.fullSince = null;
    return this.queue[0]?.k !== 'stream' || this.hooks.budget.streamBytesInFlight <= MAX_STREAM_BYTES_IN_FLIGHT;
  }

  /**
   * Called by the scheduler: sends until the queue is empty, the socket is full, or a catch-up
   * step ran; 'parked' when its catch-up waits for the gate (which wakes it when admitted).
   */
  drain(): 'more' | 'blocked' | 'idle' | 'parked' {
    while (this.queue.length) {
      if (this.ws.readyState !== WebSocket.OPEN) {
        this.markClosed();
        return 'idle';
      }
      if (this.ws.bufferedAmount > HIGH_WATER) {
        this.fullSince ??= Date.now();
        return 'blocked';
      }
      this.fullSince = null;
      const item = this.queue[0] as Item;
      switch (item.k) {
        case 'frame':
          this.queue.shift();
          this.ws.send(JSON.stringify(item.frame));
          break;
        case 'bytes':
          this.queue.shift();
          this.ws.send(item.data);
          break;
        case 'poke':
          this.queue.shift();
          this.queuedBytes -= item.body.length;
          this.ws.send(pokeBytes(item.baseCookie, item.cookie, item.lastMutationId, item.more, this.forClient(item.body)));
          break;
        case 'close':
          this.markClosed();
          this.ws.close(item.code, item.reason);
          return 'idle';
        case 'stream': {
          if (item.stepping) return 'parked';
          if (!item.holdsSlot) {
            if (!this.hooks.streams.acquire(this)) return 'parked';
            item.holdsSlot = true;
          }
          if (this.hooks.budget.streamBytesInFlight > MAX_STREAM_BYTES_IN_FLIGHT) return 'blocked';
          // a step reads (asynchronously): the connection is parked until it is done, then woken;
          // nothing else is sent meanwhile, so live pokes queued behind the stream stay behind it
          item.stepping = true;
          this.hooks.budget.debtMs += this.hooks.budget.stepMs;
          this.step(item).then(
            () => {
              item.stepping = false;
              if (this.state !== 'closed') this.hooks.wake(this);
            },
            (e: unknown) => {
              item.stepping = false;
              this.hooks.error('relay: catch-up failed', e);
              this.closing = true;
              this.markClosed();
              this.ws.close(1011, 'internal');
            },
          );
          return 'parked';
        }
      }
    }
    return 'idle';
  }

  /** One step of a catch-up stream: its parts go to the socket; done, the stream leaves the queue. */
  private async step(item: Extract<Item, { k: 'stream' }>): Promise<void> {
    const source = (item.source ??= item.open());
    // read, encoded and handed to the socket as one step (its cost, sends included, is timed)
    await this.hooks.steps(async () => {
      const parts = await source.step();
      if (this.state === 'closed' || this.queue[0] !== item) return;
      for (const p of parts) this.sendPart(item, p);
      if (source.done) {
        this.queue.shift();
        this.hooks.streams.release(this);
        item.onDone?.();
      }
    });
  }

  private sendPart(item: Extract<Item, { k: 'stream' }>, p: EncodedPart): void {
    const asIs = this.protocolVersion >= 2 || V1_HAS_EVERY_TABLE;
    const chunks = asIs ? p.chunks : [this.forClient(p.body)];
    // the socket's header joins the first chunk (the part's start: never pooled); the rest go as they are
    const frames = [Buffer.concat([Buffer.from(pokeHead(item.baseCookie, item.cookie, item.lastMutationId, p.more)), (chunks[0] as Buffer).subarray(1)]), ...chunks.slice(1)];
    // send buffers go back once nothing reads them: once written, or now when copied (protocol 1)
    const pooled = asIs ? p.pooled : [];
    if (!asIs) for (const b of p.pooled) if (b) SEND_POOL.give(b);
    const bytes = frames.reduce((n, f) => n + f.length, 0);
    const budget = this.hooks.budget;
    budget.streamBytesInFlight += bytes;
    frames.forEach((f, i) => {
      const last = i === frames.length - 1;
      const own = i > 0 ? pooled[i] : null;
      // fragments of one message: nothing else is sent on this socket between them (no await);
      // ws calls back once the socket wrote it (or could not: the buffer is then left to the GC)
      this.ws.send(f, { fin: last }, (err?: Error) => {
        if (own && !err) SEND_POOL.give(own);
        if (!last) return;
        budget.streamBytesInFlight -= bytes;
        this.hooks.flushed(this);
      });
    });
  }

  /** A catch-up whose client has not read for STREAM_STALL_MS lets the next in line stream. */
  private yieldStalledSlot(): void {
    const head = this.queue[0];
    if (head?.k !== 'stream' || !head.holdsSlot || this.fullSince === null) return;
    if (Date.now() - this.fullSince < this.hooks.streamStallMs) return;
    head.holdsSlot = false;
    this.hooks.streams.release(this);
  }

  private push(item: Item): void {
    if (this.state === 'closed') return;
    this.queue.push(item);
    this.hooks.wake(this);
  }

  /** Fell too far behind (a client that does not read): it reconnects and catches up from its cookie. */
  private drop(): void {
    this.closing = true;
    this.markClosed();
    this.ws.close(CLOSE_TOO_SLOW, 'too far behind: reconnect');
  }
}
