// Per-account send pace: every send (single, broadcast, retry) takes a slot first, so one
// provider account never exceeds its sends-per-second. `SharedPace` keeps the pace in the
// database (send_pace), so every relay of the organisation draws from the same allowance;
// `TokenBucket` is the in-process bucket it replaces (kept for code without a store).
import type { RelayStore } from '../store/types';
import { writeReturning } from '../jobs/lease';

/** What an adapter waits on before each attempt. */
export interface SendLimiter {
  take(): Promise<void>;
}

export class TokenBucket implements SendLimiter {
  private tokens: number;
  private last = Date.now();
  private queue: Promise<void> = Promise.resolve();

  constructor(private ratePerSecond: number, private readonly burst = Math.max(1, ratePerSecond)) {
    this.tokens = this.burst;
  }

  setRate(ratePerSecond: number): void {
    this.ratePerSecond = Math.max(0.001, ratePerSecond);
  }

  /** Resolves when a token is available; callers are served in arrival order. */
  take(): Promise<void> {
    const turn = this.queue.then(() => this.waitForToken());
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  private async waitForToken(): Promise<void> {
    for (;;) {
      const now = Date.now();
      this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.ratePerSecond);
      this.last = now;
      if (this.tokens >= 1) {
        this.tokens -= 1;
        return;
      }
      await sleep(Math.ceil(((1 - this.tokens) / this.ratePerSecond) * 1000));
    }
  }
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * The account's pace shared through the database (issue 15): a GCRA over one row per account.
 * `next_at` is the theoretical time of the next free slot; a take advances it by one interval
 * (1000 / rate ms) from max(next_at, now) in one atomic statement, and waits until its slot
 * (allowing a burst of `burst` sends at once, like the token bucket). The statement is its own
 * short transaction (PostgreSQL: a row lock on the account's row only), so relays taking at once
 * queue on the row, each gets a distinct slot, and together they keep the rate.
 * Slots are in each relay's clock: relays' clocks must agree (NTP) to within a slot.
 */
export class SharedPace implements SendLimiter {
  constructor(
    private readonly store: RelayStore,
    private readonly accountId: string,
    private ratePerSecond: number,
    private burst = Math.max(1, Math.floor(ratePerSecond)),
    private readonly now: () => number = Date.now,
  ) {}

  setRate(ratePerSecond: number): void {
    this.ratePerSecond = Math.max(0.001, ratePerSecond);
    this.burst = Math.max(1, Math.floor(this.ratePerSecond));
  }

  async take(): Promise<void> {
    const slot = await this.reserve();
    const wait = slot - this.now();
    if (wait > 0) await sleep(wait);
  }

  /** Reserves the account's next slot (epoch ms, never before now): the send may go then. */
  async reserve(): Promise<number> {
    const interval = Math.max(1, Math.ceil(1000 / Math.max(0.001, this.ratePerSecond)));
    const now = this.now();
    const [row] = await writeReturning<{ nextAt: number }>(
      this.store,
      'INSERT INTO send_pace (account_id, next_at) VALUES (?, ?) ON CONFLICT (account_id) DO UPDATE SET ' +
        'next_at = (CASE WHEN send_pace.next_at > ? THEN send_pace.next_at ELSE ? END) + ? RETURNING next_at AS "nextAt"',
      [this.accountId, now + interval, now, now, interval],
    );
    // this send's slot: one interval before the new next_at, earlier by the burst allowance
    return Math.max(now, (row?.nextAt ?? now) - interval - (this.burst - 1) * interval);
  }
}

/** One limiter per provider account id, shared by every adapter instance of that account. */
export class RateLimiters {
  private readonly paces = new Map<string, SharedPace>();
  constructor(private readonly store: RelayStore) {}

  for(accountId: string, ratePerSecond: number): SharedPace {
    let p = this.paces.get(accountId);
    if (!p) {
      p = new SharedPace(this.store, accountId, ratePerSecond);
      this.paces.set(accountId, p);
    } else p.setRate(ratePerSecond);
    return p;
  }
}
