// Outbound retries: exponential backoff with jitter on 429 and 5xx, honouring Retry-After.
import { sleep } from './rateLimiter';

export interface RetryPolicy {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}
export const defaultRetryPolicy: RetryPolicy = { maxAttempts: 4, baseDelayMs: 500, maxDelayMs: 30_000 };

/** What one attempt produced: done (success or permanent failure) or retry after a transient one. */
export type Attempt<T> = { done: T } | { retry: T; retryAfterMs?: number };

export const isRetryableStatus = (status: number) => status === 429 || status >= 500;

/** Retry-After is seconds or an HTTP date. */
export function parseRetryAfter(value: string | null | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const secs = Number(value);
  if (Number.isFinite(secs)) return Math.max(0, secs * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/**
 * Runs `attempt` until it is done or attempts run out; returns the last result. `beforeEach`
 * runs before every attempt (the rate limiter's take), so retries are rate-limited too.
 */
export async function withRetries<T>(policy: RetryPolicy, attempt: (n: number) => Promise<Attempt<T>>, beforeEach?: () => Promise<void>): Promise<T> {
  for (let n = 1; ; n++) {
    await beforeEach?.();
    const r = await attempt(n);
    if ('done' in r) return r.done;
    if (n >= policy.maxAttempts) return r.retry;
    const backoff = policy.baseDelayMs * 2 ** (n - 1) * (0.5 + Math.random() / 2);
    await sleep(Math.min(policy.maxDelayMs, r.retryAfterMs ?? backoff));
  }
}
