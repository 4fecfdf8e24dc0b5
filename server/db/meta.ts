// Small key/value settings of the relay (global version, org name, token secret, retention floor).
import type { Db } from './open';
import type { SqlStatement } from '../../shared/store/rowStore';

export type MetaKey = 'version' | 'orgName' | 'tokenSecret' | 'minRetainedVersion';

export class MetaStore {
  private readonly getStmt: SqlStatement;
  private readonly setStmt: SqlStatement;
  private versionCache: number | null = null;

  constructor(db: Db) {
    this.getStmt = db.prepare('SELECT value FROM meta WHERE key = ?');
    this.setStmt = db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value');
  }

  get(key: MetaKey): string | undefined {
    const r = this.getStmt.get(key) as { value: string } | undefined;
    return r?.value;
  }

  set(key: MetaKey, value: string): void {
    this.setStmt.run(key, value);
    if (key === 'version') this.versionCache = Number(value);
  }

  /** The relay's global version (cached: only this connection writes). */
  version(): number {
    if (this.versionCache === null) this.versionCache = Number(this.get('version') ?? '0');
    return this.versionCache;
  }

  /** Forget the cache (after a rolled-back transaction that may have set it). */
  invalidate(): void {
    this.versionCache = null;
  }

  minRetainedVersion(): number {
    return Number(this.get('minRetainedVersion') ?? '0');
  }
}
