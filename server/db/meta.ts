// Small key/value settings of the relay (global version, org name, token secret, retention floor).
import type { Sql } from '../store/types';

export type MetaKey = 'version' | 'orgName' | 'tokenSecret' | 'minRetainedVersion';

export const GET_META = 'SELECT value FROM meta WHERE key = ?';
export const SET_META = 'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value';

export class MetaStore {
  /** `sql`: the store (reads committed state; a set is its own write) or a write transaction */
  constructor(private readonly sql: Sql) {}

  async get(key: MetaKey): Promise<string | undefined> {
    const r = await this.sql.get<{ value: string }>(GET_META, [key]);
    return r?.value;
  }

  async set(key: MetaKey, value: string): Promise<void> {
    await this.sql.run(SET_META, [key, value]);
  }

  async minRetainedVersion(): Promise<number> {
    return Number((await this.get('minRetainedVersion')) ?? '0');
  }
}
