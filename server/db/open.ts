// Opens the relay database: one writer connection, WAL, migrations checked and applied at start.
import Database from 'better-sqlite3';
import { migrateChecked } from '../../drizzle/migrations';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export type Db = Database.Database;

const migrationsFolder = fileURLToPath(new URL('../../drizzle/server', import.meta.url));

export function openDatabase(dataDir: string): Db {
  mkdirSync(dataDir, { recursive: true });
  const db = new Database(join(dataDir, 'relay.sqlite'));
  db.pragma('journal_mode = WAL');
  // WAL + synchronous=NORMAL: a committed transaction is in the WAL file before
  // COMMIT returns, so it survives the process being killed (SIGKILL); only a power
  // loss / OS crash can lose the last transactions. The durability test kills the relay.
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = OFF');
  db.pragma('busy_timeout = 5000');
  try {
    // applied migrations must be a prefix of the shipped ones, else refuse (never guess)
    migrateChecked(db, migrationsFolder, 'The relay database');
  } catch (e) {
    db.close();
    throw e;
  }
  return db;
}
