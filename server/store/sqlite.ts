// The relay's embedded store: RelayStore over better-sqlite3 (WAL). One writer connection, used
// only by `write` (an async mutex: writes never overlap; BEGIN IMMEDIATE … COMMIT/ROLLBACK); reads
// outside `write` go to a reader connection (autocommit: each statement sees what is committed,
// never a write in progress); `read` takes a snapshot connection from a small pool (BEGIN …
// COMMIT around the callback). Statements are prepared once per connection and SQL string.
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { serverMigrationsFolder } from '../paths';
import { migrateChecked } from '../../drizzle/migrations';
import type { RowOf, TableName } from '../../shared/schema';
import { RowStore } from '../../shared/store/rowStore';
import type { RelayStore, Rows, Sql, SyncRows, WriteTx } from './types';

const migrationsFolder = serverMigrationsFolder;
/** snapshot connections kept open for `read` (more are opened under load and closed after) */
const READ_POOL = 2;

/** A connection with its statement cache and its synchronous row store. */
class Conn {
  private readonly stmts = new Map<string, Database.Statement>();
  readonly rowStore: RowStore;

  constructor(readonly db: Database.Database) {
    this.rowStore = new RowStore(db);
  }

  stmt(sql: string): Database.Statement {
    let s = this.stmts.get(sql);
    if (!s) {
      s = this.db.prepare(sql);
      this.stmts.set(sql, s);
    }
    return s;
  }

  all<T>(sql: string, params: readonly unknown[] = []): T[] {
    return this.stmt(sql).all(...params) as T[];
  }

  get<T>(sql: string, params: readonly unknown[] = []): T | undefined {
    return this.stmt(sql).get(...params) as T | undefined;
  }

  run(sql: string, params: readonly unknown[] = []): number {
    return this.stmt(sql).run(...params).changes;
  }

  exec(sql: string): void {
    this.db.exec(sql);
  }

  /** Asynchronous Sql over this connection (resolved at once: better-sqlite3 is synchronous). */
  sql(): Sql & { rows: Rows } {
    return {
      all: async <T>(sql: string, params?: readonly unknown[]) => this.all<T>(sql, params),
      get: async <T>(sql: string, params?: readonly unknown[]) => this.get<T>(sql, params),
      run: async (sql: string, params?: readonly unknown[]) => this.run(sql, params),
      rows: asyncRows(this.rowStore),
    };
  }
}

function asyncRows(rs: RowStore): Rows {
  return {
    get: async <T extends TableName>(table: T, id: string) => rs.get(table, id),
    find: async <T extends TableName>(table: T, where: Partial<RowOf<T>>) => rs.find(table, where),
    count: async <T extends TableName>(table: T, where: Partial<RowOf<T>>) => rs.count(table, where),
  };
}

function open(file: string, readonly: boolean): Database.Database {
  const db = new Database(file, readonly ? { readonly: true } : {});
  if (!readonly) db.pragma('journal_mode = WAL');
  // WAL + synchronous=NORMAL: a committed transaction is in the WAL file before
  // COMMIT returns, so it survives the process being killed (SIGKILL); only a power
  // loss / OS crash can lose the last transactions. The durability test kills the relay.
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = OFF');
  db.pragma('busy_timeout = 5000');
  return db;
}

/** A FIFO async mutex. */
export class Mutex {
  private tail: Promise<void> = Promise.resolve();

  run<T>(fn: () => Promise<T>): Promise<T> {
    const result = this.tail.then(fn);
    this.tail = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }
}

export class SqliteStore implements RelayStore {
  readonly dialect = 'sqlite' as const;
  readonly rows: Rows;
  private readonly writer: Conn;
  private readonly reader: Conn;
  private readonly readerSql: Sql & { rows: Rows };
  private readonly snapshots: Conn[] = [];
  private readonly lock = new Mutex();
  private savepoints = 0;
  private closed = false;

  private constructor(readonly file: string) {
    const w = open(file, false);
    try {
      // applied migrations must be a prefix of the shipped ones, else refuse (never guess)
      migrateChecked(w, migrationsFolder, 'The relay database');
    } catch (e) {
      w.close();
      throw e;
    }
    this.writer = new Conn(w);
    this.reader = new Conn(open(file, true));
    this.readerSql = this.reader.sql();
    this.rows = this.readerSql.rows;
  }

  /** Opens (creating and migrating) `relay.sqlite` in `dataDir`. */
  static open(dataDir: string): SqliteStore {
    mkdirSync(dataDir, { recursive: true });
    return new SqliteStore(join(dataDir, 'relay.sqlite'));
  }

  all<T = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<T[]> {
    return this.readerSql.all<T>(sql, params);
  }

  get<T = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<T | undefined> {
    return this.readerSql.get<T>(sql, params);
  }

  /** A write outside `write`: its own serialized transaction (never on the reader). */
  run(sql: string, params?: readonly unknown[]): Promise<number> {
    return this.write((tx) => tx.run(sql, params));
  }

  write<T>(fn: (tx: WriteTx) => Promise<T>): Promise<T> {
    return this.lock.run(async () => {
      if (this.closed) throw new Error('the relay store is closed');
      const w = this.writer;
      w.exec('BEGIN IMMEDIATE');
      let done = false;
      try {
        const version = Number(w.get<{ value: string }>('SELECT value FROM meta WHERE key = ?', ['version'])?.value ?? '0');
        const tx: WriteTx = {
          ...w.sql(),
          version,
          // SQLite writes at once (SyncOptions.deferWrites changes nothing here)
          sync: async <R>(f: (rows: SyncRows) => R) => this.sync(f),
        };
        const value = await fn(tx);
        w.exec('COMMIT');
        done = true;
        return value;
      } finally {
        if (!done && this.writer.db.inTransaction) w.exec('ROLLBACK');
      }
    });
  }

  /** Inside `write`: `fn` over the writer's row store, in a savepoint. */
  private sync<R>(fn: (rows: SyncRows) => R): R {
    const w = this.writer;
    const name = `s${++this.savepoints}`;
    w.exec(`SAVEPOINT ${name}`);
    const rs = w.rowStore;
    const rows: SyncRows = {
      get: (t, id) => rs.get(t, id),
      find: (t, where) => rs.find(t, where),
      count: (t, where) => rs.count(t, where),
      put: (t, row) => rs.put(t, row),
      del: (t, id) => rs.del(t, id),
      exec: (sql, params) => void w.run(sql, params),
    };
    try {
      const out = fn(rows);
      w.exec(`RELEASE ${name}`);
      return out;
    } catch (e) {
      w.exec(`ROLLBACK TO ${name}`);
      w.exec(`RELEASE ${name}`);
      throw e;
    } finally {
      this.savepoints--;
    }
  }

  async read<T>(fn: (r: Sql & { rows: Rows }) => Promise<T>): Promise<T> {
    if (this.closed) throw new Error('the relay store is closed');
    const c = this.snapshots.pop() ?? new Conn(open(this.file, true));
    c.exec('BEGIN');
    try {
      return await fn(c.sql());
    } finally {
      c.exec('COMMIT');
      if (this.snapshots.length < READ_POOL && !this.closed) this.snapshots.push(c);
      else c.db.close();
    }
  }

  /** The writer's database, for tools that need SQLite itself (backup, the CLI's checks). */
  get sqlite(): Database.Database {
    return this.writer.db;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    // pending writes finish first
    await this.lock.run(async () => {
      this.closed = true;
    });
    for (const c of this.snapshots.splice(0)) c.db.close();
    this.reader.db.close();
    this.writer.db.close();
  }
}
