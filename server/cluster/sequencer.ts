// Puts commits back in version order (issue 15). A relay learns of commits from two sources: its
// own engine (local) and the other relays over NATS (remote), in any order, some twice, some
// never. Each commit says the version before it (`prev`) and its own (`version`); the sequencer
// hands them to `deliver` strictly in version order, each exactly once, each starting where the
// last ended. What it cannot deliver it bridges with one `catchUp(from, to)`, which the hub
// implements by catching its sockets up from the database, and carries on after it:
//  - a gap not filled within `gapMs` (a notice lost, a relay cut off from NATS);
//  - a `big` commit (its change set was too large to travel: only its versions did);
//  - more than `maxBuffered` commits waiting behind a gap (memory stays bounded);
//  - `known(version)`: the database is known to be at `version` (a peer's heartbeat, NATS back
//    after an outage) while nothing arrived for it.
// Pure: no I/O; time comes from the timer functions given (tests drive them).

export interface SequencedCommit<T> {
  prev: number;
  version: number;
  /** the commit to deliver; null: only its versions are known (big), so it is caught up instead */
  payload: T | null;
}

export interface SequencerTimers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface SequencerOptions<T> {
  /** the version everything up to which is already delivered (the database's at start) */
  start: number;
  /** one commit, in order: `prev` is always the previous delivery's (or catch-up's) version */
  deliver(c: SequencedCommit<T> & { payload: T }): void;
  /**
   * Bring every socket from `from` to (at least) `to` from the database; the sequencer waits for
   * it (nothing is delivered meanwhile) and continues after `to`. A rejection is retried after
   * `gapMs`.
   */
  catchUp(from: number, to: number): Promise<void> | void;
  /** a gap is waited for this long before it is caught up (default 250 ms) */
  gapMs?: number;
  /** commits waiting behind a gap beyond this: caught up at once (default 1,000) */
  maxBuffered?: number;
  /** a catch-up failed (it is retried), or `deliver` threw (the next commit is delivered anyway) */
  onError?(e: unknown): void;
  timers?: SequencerTimers;
}

/** What a sequencer did (metrics, tests). */
export interface SequencerStats {
  delivered: number;
  duplicates: number;
  /** catch-ups started (failed ones included) */
  catchUps: number;
  catchUpFailures: number;
  overflows: number;
}

const realTimers: SequencerTimers = {
  setTimeout: (fn, ms) => {
    const t = setTimeout(fn, ms);
    t.unref();
    return t;
  },
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};

export class CommitSequencer<T> {
  private last: number;
  /** waiting commits by `prev` (the one delivered next has prev === last) */
  private readonly waiting = new Map<number, SequencedCommit<T>>();
  /** the database is known to be at least here */
  private knownVersion: number;
  private timer: unknown = null;
  private catching = false;
  private closed = false;
  private readonly gapMs: number;
  private readonly maxBuffered: number;
  private readonly timers: SequencerTimers;
  readonly stats: SequencerStats = { delivered: 0, duplicates: 0, catchUps: 0, catchUpFailures: 0, overflows: 0 };

  constructor(private readonly opts: SequencerOptions<T>) {
    this.last = opts.start;
    this.knownVersion = opts.start;
    this.gapMs = opts.gapMs ?? 250;
    this.maxBuffered = opts.maxBuffered ?? 1000;
    this.timers = opts.timers ?? realTimers;
  }

  /** the version delivered (or caught up) up to */
  get version(): number {
    return this.last;
  }

  /** commits waiting behind a gap */
  get buffered(): number {
    return this.waiting.size;
  }

  /** true while a catch-up runs */
  get catchingUp(): boolean {
    return this.catching;
  }

  /** A commit, local or remote, in any order; duplicates and already-covered versions are ignored. */
  push(c: SequencedCommit<T>): void {
    if (this.closed) return;
    if (!(c.version > c.prev)) return;
    if (c.version <= this.last) {
      this.stats.duplicates++;
      return;
    }
    // starts before what was delivered but ends after it (never in one organisation's history):
    // what it covers past `last` cannot be delivered as it is, so it is caught up
    const item: SequencedCommit<T> = c.prev < this.last ? { prev: this.last, version: c.version, payload: null } : c;
    const had = this.waiting.get(item.prev);
    if (had) {
      // the same commit again; a full copy replaces a version-only one
      if (had.payload === null && item.payload !== null && had.version === item.version) this.waiting.set(item.prev, item);
      else this.stats.duplicates++;
      return this.pump();
    }
    this.waiting.set(item.prev, item);
    this.knownVersion = Math.max(this.knownVersion, item.version);
    this.pump();
  }

  /** The database is at `version` at least (a peer's heartbeat, NATS back after an outage). */
  known(version: number): void {
    if (this.closed || version <= this.knownVersion) return;
    this.knownVersion = version;
    this.pump();
  }

  /** No more deliveries or catch-ups (a catch-up already running finishes). */
  close(): void {
    this.closed = true;
    this.clearTimer();
    this.waiting.clear();
  }

  private pump(): void {
    if (this.catching || this.closed) return;
    for (;;) {
      const next = this.waiting.get(this.last);
      if (!next) break;
      if (next.payload === null) return this.startCatchUp(this.bridgeEnd(this.last));
      this.waiting.delete(this.last);
      this.last = next.version;
      this.stats.delivered++;
      try {
        this.opts.deliver({ prev: next.prev, version: next.version, payload: next.payload });
      } catch (e) {
        // the hub's fan-out of one commit failed: reported, and the order goes on
        this.opts.onError?.(e);
      }
      if (this.catching || this.closed) return; // deliver re-entered (a commit made in its callback)
    }
    if (this.waiting.size > this.maxBuffered) {
      this.stats.overflows++;
      return this.startCatchUp(Math.max(...Array.from(this.waiting.values(), (c) => c.version)));
    }
    if (this.waiting.size === 0 && this.knownVersion <= this.last) return this.clearTimer();
    if (this.timer === null) this.timer = this.timers.setTimeout(() => this.onGapTimeout(), this.gapMs);
  }

  private onGapTimeout(): void {
    this.timer = null;
    if (this.catching || this.closed) return;
    const firstWaiting = this.waiting.size ? Math.min(...this.waiting.keys()) : Infinity;
    if (firstWaiting === this.last) return this.pump(); // filled meanwhile
    // bridge the gap up to the first waiting commit (or to the known version when none waits)
    const to = firstWaiting === Infinity ? this.knownVersion : firstWaiting;
    if (to <= this.last) return this.pump();
    this.startCatchUp(this.bridgeEnd(to));
  }

  /** From `v`, past every version-only commit that directly follows (one catch-up covers them all). */
  private bridgeEnd(v: number): number {
    let end = v;
    for (let c = this.waiting.get(end); c && c.payload === null; c = this.waiting.get(end)) end = c.version;
    return end;
  }

  private startCatchUp(to: number): void {
    this.clearTimer();
    const from = this.last;
    this.catching = true;
    this.stats.catchUps++;
    let result: Promise<void> | void;
    try {
      result = this.opts.catchUp(from, to);
    } catch (e) {
      return this.catchUpFailed(e);
    }
    if (result instanceof Promise) result.then(() => this.caughtUp(to), (e: unknown) => this.catchUpFailed(e));
    else this.caughtUp(to);
  }

  private caughtUp(to: number): void {
    this.catching = false;
    if (this.closed) return;
    this.last = Math.max(this.last, to);
    for (const [prev, c] of [...this.waiting]) {
      if (prev >= this.last) continue;
      this.waiting.delete(prev);
      // one that starts before `last` and ends after it cannot happen in one history: caught up
      if (c.version > this.last) this.waiting.set(this.last, { prev: this.last, version: c.version, payload: null });
    }
    this.pump();
  }

  private catchUpFailed(e: unknown): void {
    this.catching = false;
    this.stats.catchUpFailures++;
    this.opts.onError?.(e);
    if (this.closed) return;
    // retried after gapMs: whatever made it needed (a gap, a big commit, the known version) is
    // still there, so the timeout starts the catch-up again
    this.clearTimer();
    this.timer = this.timers.setTimeout(() => this.onGapTimeout(), this.gapMs);
  }

  private clearTimer(): void {
    if (this.timer === null) return;
    this.timers.clearTimeout(this.timer);
    this.timer = null;
  }
}
