// Payment links that failed (after the provider's own retries) are tried again with
// exponential backoff. The schedule lives in the relay-only meta table so a restart keeps it;
// after MAX_LINK_ATTEMPTS failures the waiting message is marked failed with the reason.
import { GET_META, SET_META } from '../db/meta';
import type { RelayStore } from '../store/types';

export const MAX_LINK_ATTEMPTS = 6;
/** Delay after the 1st, 2nd, … failure; the last one repeats (capped). */
export const DEFAULT_LINK_RETRY_MS = [5_000, 30_000, 120_000, 600_000, 1_800_000];

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

export class LinkRetryStore {
  constructor(private readonly store: RelayStore) {}

  private key(kind: 'invoice' | 'checkout', id: string): string {
    return `linkRetry:${kind}:${id}`;
  }

  async get(kind: 'invoice' | 'checkout', id: string): Promise<LinkRetryState | undefined> {
    const r = await this.store.get<{ value: string }>(GET_META, [this.key(kind, id)]);
    return r ? (JSON.parse(r.value) as LinkRetryState) : undefined;
  }

  async set(kind: 'invoice' | 'checkout', id: string, s: LinkRetryState): Promise<void> {
    await this.store.run(SET_META, [this.key(kind, id), JSON.stringify(s)]);
  }

  async clear(kind: 'invoice' | 'checkout', id: string): Promise<void> {
    await this.store.run('DELETE FROM meta WHERE key = ?', [this.key(kind, id)]);
  }
}
