// The relay's storage seam (issue 15). Every module of the relay reaches its database through
// these interfaces, so the same relay runs on the embedded SQLite file (default) or on
// PostgreSQL (DATABASE_URL) and the same test suite proves both.
//
// Shape of the choice: the relay's storage is asynchronous (PostgreSQL is a network server);
// the shared mutators stay synchronous functions over `Tx` (shared/tx.ts), identical on client
// and relay. A write transaction hands synchronous code a `SyncRows` view:
//  - SQLite runs it directly on the writer connection (inside a savepoint);
//  - PostgreSQL runs it over a read cache: a read the cache cannot answer aborts the run, the
//    row (or query) is fetched inside the same transaction, and the callback runs again; writes
//    are buffered and sent only once a run completes. Mutators are deterministic given their
//    reads and their context (ids and `now` are replayed), so the last run is the run.
import type { RowOf, TableName } from '../../shared/schema';
import type { Tx } from '../../shared/tx';

export type Dialect = 'sqlite' | 'postgres';

/**
 * Asynchronous SQL in the subset both stores run: `?` placeholders (PostgreSQL gets `$n`),
 * `INSERT … ON CONFLICT (…) DO UPDATE/NOTHING` (never `INSERT OR …`), no SQLite-only functions
 * (`json_extract`, `strftime`, `ifnull` → `coalesce`), `=` / `IS NULL` (never `IS ?`).
 * Values come back as SQLite stores them on both stores: integers as JS numbers (PostgreSQL
 * bigint parsed to number), booleans 0/1, JSON columns as text, blobs as Buffer.
 */
export interface Sql {
  all<T = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  get<T = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<T | undefined>;
  /** a write statement; resolves to the number of rows it changed */
  run(sql: string, params?: readonly unknown[]): Promise<number>;
}

/** Typed row access over the synced tables (shared/schema.ts), asynchronous. */
export interface Rows {
  get<T extends TableName>(table: T, id: string): Promise<RowOf<T> | undefined>;
  find<T extends TableName>(table: T, where: Partial<RowOf<T>>): Promise<RowOf<T>[]>;
  count<T extends TableName>(table: T, where: Partial<RowOf<T>>): Promise<number>;
}

/**
 * The synchronous view of a write transaction, for code that must stay synchronous (the shared
 * mutators, the relay's ServerTx stamping, in-transaction write hooks). Reads see the
 * callback's own writes. On PostgreSQL the callback may run more than once: it must not have
 * side effects outside this interface and its own return value.
 */
export interface SyncRows extends Tx {
  count<T extends TableName>(table: T, where: Partial<RowOf<T>>): number;
  /** a write statement in portable SQL: run at once (SQLite) or buffered in order (PostgreSQL) */
  exec(sql: string, params?: readonly unknown[]): void;
}

export interface WriteTx extends Sql {
  readonly rows: Rows;
  /**
   * The organisation's committed version, read under the write lock when the transaction
   * began: this transaction commits at `version + 1` if it writes.
   */
  readonly version: number;
  /**
   * Runs synchronous code over this transaction. When `fn` throws, none of its writes remain
   * (a savepoint on SQLite; the buffer dropped on PostgreSQL) and the error is rethrown; the
   * transaction itself stays usable (a refused mutation still records its refusal). Ids and
   * time that `fn` draws must be the same on every run (the engine replays them).
   */
  sync<T>(fn: (rows: SyncRows) => T, opts?: SyncOptions): Promise<T>;
}

export interface SyncOptions {
  /**
   * The caller lets a failing write of `fn` fail the whole transaction (it does not catch it to
   * go on): PostgreSQL may then send `fn`'s writes with the transaction's next statement, or with
   * its COMMIT (one round trip fewer), and the error is thrown there. SQLite writes at once.
   */
  deferWrites?: boolean;
}

export interface RelayStore extends Sql {
  readonly dialect: Dialect;
  readonly rows: Rows;
  /**
   * One write transaction, serialized with every other write of the organisation (SQLite: one
   * writer connection; PostgreSQL: the organisation's version row locked FOR UPDATE, so several
   * relays never interleave). Committed when `fn` resolves, rolled back when it throws. Reads
   * outside it (this interface's Sql and rows) see committed state only.
   */
  write<T>(fn: (tx: WriteTx) => Promise<T>): Promise<T>;
  /** Several reads on one consistent snapshot (catch-up pages of one stream step). */
  read<T>(fn: (r: Sql & { rows: Rows }) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
