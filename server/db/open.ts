// Opens the relay's store: today the embedded SQLite file in the data directory (WAL, migrations
// checked and applied at start: server/store/sqlite.ts). Modules get the RelayStore, never a driver.
import { SqliteStore } from '../store/sqlite';
import type { RelayStore } from '../store/types';

export function openStore(dataDir: string): RelayStore & { close(): Promise<void> } {
  return SqliteStore.open(dataDir);
}
