// Spreads bursts of work over event-loop turns. A reconnect storm brings 1,000 hellos in one poll
// phase: each hello's reads (token, viewer, client, welcome) run as microtasks of the socket read
// that brought it, so without pacing they all run before any timer, ping or push is served again
// (a stall of over 100 ms). The pacer starts sections first come first served, a few at a time,
// and once `budgetMs` of the current slice (up to the next check phase) is spent no more (but
// always one per slice): the rest start in the next slices.
import { performance } from 'node:perf_hooks';

/** hello sections running at once (one waits for the token check on the thread pool meanwhile) */
export const HELLO_CONCURRENCY = 16;
/** hello work started per slice of the event loop */
export const HELLO_SLICE_MS = 4;

export class Pacer {
  private readonly waiting: (() => void)[] = [];
  private running = 0;
  /** when the current slice began (null: none is open; the next section opens one) */
  private sliceStart: number | null = null;
  private startedInSlice = 0;
  private stopped = false;
  /** sections that had to wait for a later slice or a free place (tests, metrics) */
  deferred = 0;

  constructor(
    readonly concurrency = HELLO_CONCURRENCY,
    readonly budgetMs = HELLO_SLICE_MS,
  ) {}

  /** Runs `fn` when its turn comes; sections start in arrival order. */
  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.waiting.length === 0 && this.mayStart()) this.start();
    else {
      this.deferred++;
      // the place is taken for us by `next` before we are woken
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
    try {
      return await fn();
    } finally {
      this.running--;
      this.next();
    }
  }

  get waitingCount(): number {
    return this.waiting.length;
  }

  /** Everything waiting starts at once (shutdown: the sections find their sockets closed). */
  stop(): void {
    this.stopped = true;
    this.next();
  }

  private mayStart(): boolean {
    if (this.stopped) return true;
    if (this.running >= this.concurrency) return false;
    const spent = this.elapsed();
    return this.startedInSlice === 0 || spent < this.budgetMs;
  }

  private start(): void {
    this.running++;
    this.startedInSlice++;
  }

  /** Time spent in the current slice; opens one (ending at the next check phase) when none is. */
  private elapsed(): number {
    if (this.sliceStart === null) {
      this.sliceStart = performance.now();
      this.startedInSlice = 0;
      setImmediate(() => {
        this.sliceStart = null;
        this.next();
      });
    }
    return performance.now() - this.sliceStart;
  }

  private next(): void {
    while (this.waiting.length && this.mayStart()) {
      this.start();
      (this.waiting.shift() as () => void)();
    }
  }
}
