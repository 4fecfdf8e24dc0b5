// Per-account token bucket: every send (single, broadcast, retry) takes a token first,
// so one provider account never exceeds its sends-per-second.
export class TokenBucket {
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

/** One limiter per provider account id, shared by every adapter instance of that account. */
export class RateLimiters {
  private readonly buckets = new Map<string, TokenBucket>();
  for(accountId: string, ratePerSecond: number): TokenBucket {
    let b = this.buckets.get(accountId);
    if (!b) {
      b = new TokenBucket(ratePerSecond);
      this.buckets.set(accountId, b);
    } else b.setRate(ratePerSecond);
    return b;
  }
}
