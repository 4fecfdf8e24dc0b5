// Opens the relay's store: the embedded SQLite file in the data directory (WAL, migrations
// checked and applied at start: server/store/sqlite.ts), or PostgreSQL when a database URL is
// given (DATABASE_URL: server/store/postgres.ts, migrations applied under their lock). Modules get
// the RelayStore, never a driver.
import { SqliteStore } from '../store/sqlite';
import { openPostgresStore } from '../store/postgres';
import type { RelayStore } from '../store/types';

export function openStore(dataDir: string): RelayStore & { close(): Promise<void> } {
  return SqliteStore.open(dataDir);
}

/** PostgreSQL when `databaseUrl` is set (the data dir then keeps only local files), else SQLite. */
export async function openRelayStore(dataDir: string, databaseUrl?: string): Promise<RelayStore> {
  return databaseUrl ? await openPostgresStore(databaseUrl) : SqliteStore.open(dataDir);
}
