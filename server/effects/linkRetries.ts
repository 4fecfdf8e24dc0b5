// Payment links that failed (after the provider's own retries) are tried again with
// exponential backoff. The schedule lives in the relay-only meta table so a restart keeps it;
// after MAX_LINK_ATTEMPTS failures the waiting message is marked failed with the reason.
import type { Db } from '../db/open';
import type { SqlStatement } from '../../shared/store/rowStore';

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
  private readonly getStmt: SqlStatement;
  private readonly setStmt: SqlStatement;
  private readonly delStmt: SqlStatement;

  constructor(db: Db) {
    this.getStmt = db.prepare('SELECT value FROM meta WHERE key = ?');
    this.setStmt = db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value');
    this.delStmt = db.prepare('DELETE FROM meta WHERE key = ?');
  }

  private key(kind: 'invoice' | 'checkout', id: string): string {
    return `linkRetry:${kind}:${id}`;
  }

  get(kind: 'invoice' | 'checkout', id: string): LinkRetryState | undefined {
    const r = this.getStmt.get(this.key(kind, id)) as { value: string } | undefined;
    return r ? (JSON.parse(r.value) as LinkRetryState) : undefined;
  }

  set(kind: 'invoice' | 'checkout', id: string, s: LinkRetryState): void {
    this.setStmt.run(this.key(kind, id), JSON.stringify(s));
  }

  clear(kind: 'invoice' | 'checkout', id: string): void {
    this.delStmt.run(this.key(kind, id));
  }
}
