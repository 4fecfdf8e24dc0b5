// Payment links that failed (after the provider's own retries) are tried again with
// exponential backoff. The schedule lives in the link's job row (attempts, next_at: jobs.ts), so
// a restart or another relay keeps it; after MAX_LINK_ATTEMPTS failures the waiting message is
// marked failed with the reason. (Before the jobs table it lived in `meta` as `linkRetry:…`;
// adoptUnfinishedWork carries such entries over once.)

export const MAX_LINK_ATTEMPTS = 6;
/** Delay after the 1st, 2nd, … failure; the last one repeats (capped). */
export const DEFAULT_LINK_RETRY_MS = [5_000, 30_000, 120_000, 600_000, 1_800_000];

/** The schedule as relays before the jobs table kept it in `meta` (adopted once: jobs.ts). */
export interface LinkRetryState {
  attempts: number;
  /** epoch ms of the next try; null once the relay gave up */
  nextAt: number | null;
  lastError: string;
}

/** `PARLEY_LINK_RETRY_MS=50,100` (tests): the delays in ms, the last one repeating. */
export function linkRetryDelays(env: string | undefined = process.env.PARLEY_LINK_RETRY_MS): number[] {
  const parsed = (env ?? '').split(',').map((s) => Number(s.trim())).filter((n) => Number.isFinite(n) && n >= 0 && n <= 86_400_000);
  return parsed.length ? parsed : DEFAULT_LINK_RETRY_MS;
}
export function delayAfter(failures: number, delays: number[]): number {
  return delays[Math.min(failures, delays.length) - 1] ?? delays[delays.length - 1] ?? 1_800_000;
}
