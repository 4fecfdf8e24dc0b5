// The local replica: one better-sqlite3 writer connection per database file, WAL,
// migrated with drizzle's migrator from drizzle/client/.
import Database from 'better-sqlite3';
import { migrateChecked } from '../../../drizzle/migrations';
import { closeSync, existsSync, openSync, readSync, renameSync, rmSync } from 'node:fs';
import { endianness } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { quoteIdent, RowStore } from '../../../shared/store/rowStore';
import type { Role } from '../../../shared/schema';
import { Checkpointer } from './checkpointer';
import { buildDeferredIndexes } from './indexBuilder';

/**
 * Tables whose secondary indexes a full fetch drops and builds once its rows have arrived: the
 * rows that dominate a full sync (a million messages: inserting each into four indexes cost more
 * than the row itself; 100k conversations into nine cost 25 µs a row). Unique indexes stay (they
 * enforce something).
 */
const DEFERRED_INDEX_TABLES = ['messages', 'conversations'];

/**
 * Insert triggers a full fetch drops while a table's backfill mark is 0 (the table was empty when
 * the fetch began): their WHEN `new.rowid <= (SELECT upto FROM <mark>) AND …` is then false for
 * every row (rowids are ≥ 1), yet evaluating it cost ~1 µs a row per trigger. The backfill after
 * the fetch does their work (engine.backfillIndexes), as it does for the rows they skip.
 */
const MARKED_INSERT_TRIGGERS: readonly { table: string; mark: string }[] = [
  { table: 'messages', mark: 'fts_backfill' },
  { table: 'conversations', mark: 'conversation_backfill' },
];

/**
 * Text indexes a full fetch stops maintaining and rebuilds whole (FTS5 'rebuild', from the content
 * table) when the table's rows have arrived: contacts' trigram index cost ~20 µs a row through its
 * triggers, a rebuild of 50k contacts ~130 ms. Every trigger keeping the index is dropped meanwhile.
 */
const REBUILT_TEXT_INDEXES: readonly { table: string; fts: string }[] = [{ table: 'contacts', fts: 'contacts_fts' }];

/** Key of a deferred statement: the table it belongs to, then the object's name. */
const deferredKey = (table: string, name: string) => `${table}:${name}`;

/** Whether a trigger's WHEN is `new.rowid <= (SELECT upto FROM <mark>)`, alone or AND-ed with more. */
function gatedByMark(sql: string, mark: string): boolean {
  const when = /\bWHEN\b([\s\S]*?)\bBEGIN\b/i.exec(sql)?.[1]?.trim();
  if (!when || /\bOR\b/i.test(when)) return false;
  const gate = `new.rowid <= (SELECT upto FROM ${mark})`;
  return when === gate || when.startsWith(`${gate} AND `);
}

export interface MetaRow {
  clientId: string;
  userId: string;
  relayUrl: string;
  role: Role;
  cookie: number | null;
  nextMutationId: number;
  lastSyncedAt: number | null;
}

/** drizzle/client, found from this file (tsx, vitest) or the working directory (bundles). */
export function defaultMigrationsDir(): string {
  const env = process.env.PARLEY_CLIENT_MIGRATIONS;
  if (env) return env;
  const candidates: string[] = [];
  try {
    // import.meta.url is absent in CommonJS bundles; fall back to the working directory there.
    const here = dirname(fileURLToPath(import.meta.url));
    candidates.push(resolve(here, '../../../drizzle/client'));
  } catch {
    /* not an ES module */
  }
  candidates.push(resolve(process.cwd(), 'drizzle/client'));
  return candidates.find((c) => existsSync(join(c, 'meta/_journal.json'))) ?? (candidates[0] as string);
}

/** A SQLite database is these files together: the database, its WAL, shared memory, journal. */
const FILE_SUFFIXES = ['', '-wal', '-shm', '-journal'] as const;

export class Replica {
  readonly db: Database.Database;
  readonly store: RowStore;

  private constructor(readonly path: string, migrationsDir: string) {
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('foreign_keys = OFF');
    this.db.pragma(`cache_size = ${-Replica.CACHE_KIB}`);
    // the WAL file is truncated back to this after it is reset (it grows during a full fetch
    // while the checkpoint worker cannot catch up with the writer)
    this.db.pragma('journal_size_limit = 67108864');
    // rows restricted away (scope deletes) must not linger in free pages or cells: deleted
    // content is overwritten with zeros; scrub() then empties the WAL of the old frames
    this.db.pragma('secure_delete = ON');
    try {
      // indexes left dropped by an interrupted full fetch: back before any migration touches them
      if (this.db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'deferred_indexes'").get()) this.restoreIndexesNow();
      migrateChecked(this.db, migrationsDir, 'This replica');
    } catch (e) {
      this.db.close();
      throw e;
    }
    // FTS5 otherwise keeps deleted terms in old segments behind delete markers
    for (const fts of ['messages_fts', 'notes_fts', 'contacts_fts', 'chat_messages_fts']) {
      this.db.prepare(`INSERT INTO "${fts}"("${fts}", rank) VALUES ('secure-delete', 1)`).run();
    }
    this.store = new RowStore(this.db);
  }

  static open(path: string, migrationsDir = defaultMigrationsDir()): Replica {
    return new Replica(path, migrationsDir);
  }

  private metaStmt: Database.Statement | null = null;

  meta(): MetaRow | null {
    // asked for on every status event (each applied chunk of a sync): prepared once
    const r = (this.metaStmt ??= this.db.prepare('SELECT * FROM meta WHERE id = 1')).get() as Record<string, unknown> | undefined;
    if (!r) return null;
    return {
      clientId: r.client_id as string,
      userId: r.user_id as string,
      relayUrl: r.relay_url as string,
      role: r.role as Role,
      cookie: (r.cookie as number | null) ?? null,
      nextMutationId: r.next_mutation_id as number,
      lastSyncedAt: (r.last_synced_at as number | null) ?? null,
    };
  }

  initMeta(m: { clientId: string; userId: string; relayUrl: string; role: Role }): void {
    this.db
      .prepare(
        `INSERT INTO meta (id, client_id, user_id, relay_url, role, cookie, next_mutation_id) VALUES (1, ?, ?, ?, ?, NULL, 1)
         ON CONFLICT(id) DO UPDATE SET relay_url = excluded.relay_url, role = excluded.role`,
      )
      .run(m.clientId, m.userId, m.relayUrl, m.role);
  }

  setCookie(cookie: number | null, at: number | null): void {
    this.db.prepare('UPDATE meta SET cookie = ?, last_synced_at = COALESCE(?, last_synced_at) WHERE id = 1').run(cookie, at);
  }

  /** meta.skipped_tables (null when there is no meta row yet). */
  private skippedTables(): string[] | null {
    const r = this.db.prepare('SELECT skipped_tables AS s FROM meta WHERE id = 1').get() as { s: string | null } | undefined;
    return r ? (r.s ? (JSON.parse(r.s) as string[]) : []) : null;
  }

  private setSkippedTables(tables: string[]): void {
    this.db.prepare('UPDATE meta SET skipped_tables = ? WHERE id = 1').run(tables.length ? JSON.stringify(tables) : null);
  }

  /** A newer relay sent rows of a table this build does not know (protocol 2 clients skip them). */
  noteSkippedTable(table: string): void {
    const skipped = this.skippedTables();
    if (skipped && !skipped.includes(table)) this.setSkippedTables([...skipped, table]);
  }

  /**
   * True once when this build knows a table an older build skipped: the replica misses those
   * rows, so the caller refetches everything (wipeSynced).
   */
  takeNowKnownSkippedTables(known: readonly string[]): boolean {
    const skipped = this.skippedTables() ?? [];
    const still = skipped.filter((t) => !known.includes(t));
    if (still.length === skipped.length) return false;
    this.setSkippedTables(still);
    return true;
  }

  /** whether indexes are dropped (deferred_indexes has rows): known without a query */
  private indexesDeferred = false;
  /** times dropped indexes were built again (tests, metrics) */
  indexRestores = 0;

  get indexesPending(): boolean {
    return this.indexesDeferred;
  }
  private restoring: Promise<void> | null = null;

  /**
   * A full fetch begins: drop the secondary indexes of DEFERRED_INDEX_TABLES, the insert triggers
   * MARKED_INSERT_TRIGGERS makes no-ops, and the triggers of REBUILT_TEXT_INDEXES, keeping each
   * exact CREATE statement (and the rebuild) in deferred_indexes (same transaction, so a crash
   * leaves them recorded). Called after the backfill marks are set for the fetch.
   */
  deferIndexes(): void {
    if (this.indexesDeferred) return; // every part of a fetch asks: dropped with the first
    const list: { key: string; sql: string; drop: string | null }[] = [];
    const q = quoteIdent;
    const objects = this.db.prepare("SELECT type, name, tbl_name AS tbl, sql FROM sqlite_master WHERE type IN ('index', 'trigger') AND sql IS NOT NULL ORDER BY rowid").all() as { type: string; name: string; tbl: string; sql: string }[];
    for (const o of objects) {
      if (o.type === 'index' && DEFERRED_INDEX_TABLES.includes(o.tbl) && !/^CREATE UNIQUE/i.test(o.sql)) list.push({ key: deferredKey(o.tbl, o.name), sql: o.sql, drop: `DROP INDEX ${q(o.name)}` });
    }
    for (const { table, mark } of MARKED_INSERT_TRIGGERS) {
      const upto = (this.db.prepare(`SELECT upto FROM ${q(mark)}`).get() as { upto: number } | undefined)?.upto;
      if (upto !== 0) continue;
      for (const o of objects) {
        if (o.type === 'trigger' && o.tbl === table && /\bAFTER\s+INSERT\s+ON\b/i.test(o.sql) && gatedByMark(o.sql, mark)) list.push({ key: deferredKey(table, o.name), sql: o.sql, drop: `DROP TRIGGER ${q(o.name)}` });
      }
    }
    for (const { table, fts } of REBUILT_TEXT_INDEXES) {
      const triggers = objects.filter((o) => o.type === 'trigger' && o.tbl === table && new RegExp(`\\b${fts}\\b`).test(o.sql));
      if (triggers.length === 0) continue;
      // the rebuild first (restored in this order): it reads the content table as it is then
      list.push({ key: deferredKey(table, `${fts} rebuild`), sql: `INSERT INTO ${q(fts)}(${q(fts)}) VALUES ('rebuild')`, drop: null });
      for (const o of triggers) list.push({ key: deferredKey(table, o.name), sql: o.sql, drop: `DROP TRIGGER ${q(o.name)}` });
    }
    if (list.length === 0) return;
    const keep = this.db.prepare('INSERT OR IGNORE INTO deferred_indexes(name, sql) VALUES (?, ?)');
    this.db.transaction(() => {
      for (const x of list) {
        keep.run(x.key, x.sql);
        if (x.drop) this.db.exec(x.drop);
      }
    })();
    this.indexesDeferred = true;
  }

  /** Whether `table` has statements deferred by a full fetch (its indexes not yet built again). */
  deferredFor(table: string): boolean {
    if (!this.indexesDeferred) return false;
    return this.db.prepare('SELECT 1 FROM deferred_indexes WHERE substr(name, 1, ?) = ? LIMIT 1').get(table.length + 1, `${table}:`) !== undefined;
  }

  /**
   * Builds the dropped indexes (of `tables`, or all) again from their recorded statements, in a
   * worker thread (this connection must write nothing until it resolves), or here when no worker
   * can run. Calls queue: each starts when the one before has finished.
   */
  restoreIndexes(tables?: readonly string[]): Promise<void> {
    if (!this.indexesDeferred || this.closed) return Promise.resolve();
    const run = async (): Promise<void> => {
      if (!this.indexesDeferred || this.closed) return;
      const built = await buildDeferredIndexes(this.path, tables);
      if (built) this.indexRestores++;
      if (!this.closed && this.db.open) this.restoreIndexesNow(tables); // what the worker could not build (none when it did)
    };
    const next = (this.restoring ?? Promise.resolve()).then(run);
    const mine = next.finally(() => {
      if (this.restoring === mine) this.restoring = null;
    });
    this.restoring = mine;
    return next;
  }

  /** Resolves when no index build runs in the worker (it holds the write lock while it builds). */
  indexBuildsDone(): Promise<void> {
    return this.restoring ?? Promise.resolve();
  }

  /** The same on this connection (opening after an interrupted fetch, or without a worker). */
  restoreIndexesNow(tables?: readonly string[]): void {
    const all = this.db.prepare('SELECT name, sql FROM deferred_indexes ORDER BY rowid').all() as { name: string; sql: string }[];
    const rows = tables ? all.filter((r) => tables.some((t) => r.name.startsWith(`${t}:`))) : all;
    if (rows.length) {
      this.indexRestores++;
      const drop = this.db.prepare('DELETE FROM deferred_indexes WHERE name = ?');
      this.db.transaction(() => {
        for (const r of rows) {
          this.db.exec(r.sql);
          drop.run(r.name);
        }
      })();
    }
    this.indexesDeferred = rows.length < all.length;
  }

  /** SQLite's page cache on this connection, in KiB (as `cache_size` takes it, negative). */
  private static readonly CACHE_KIB = 32000;
  /**
   * During a full fetch the page cache is small: rows are appended, not read back, and the pages
   * a 32 MB cache would hold (plus the heap's fragmentation around them) were ~40 MB of the
   * client's RSS at the end of a 1M-row fetch. Queries read from the OS's file cache meanwhile.
   */
  bulkWriting(on: boolean): void {
    if (this.closed || !this.db.open) return;
    this.db.pragma(`cache_size = ${on ? -2000 : -Replica.CACHE_KIB}`);
  }

  setRole(role: Role): void {
    this.db.prepare('UPDATE meta SET role = ? WHERE id = 1').run(role);
  }

  private checkpointer: Checkpointer | null = null;
  private checkpointerStarting: Promise<void> | null = null;
  private workerClosed: Promise<void> = Promise.resolve();
  private closed = false;

  /** Moves WAL checkpoints to a worker thread (automatic checkpoints stay on if it cannot start). */
  startCheckpointer(): Promise<void> {
    this.checkpointerStarting ??= this.runCheckpointer();
    return this.checkpointerStarting;
  }

  /** Resolves after the checkpoint worker next copies the whole WAL into the database. */
  nextCompleteCheckpoint(): Promise<void> {
    const c = this.checkpointer;
    if (!c) return Promise.reject(new Error('no checkpoint worker'));
    return new Promise((resolve) => {
      const off = c.onComplete(() => {
        off();
        resolve();
      });
    });
  }

  /** checkpoints asked for by checkpointNow() (tests, metrics) */
  checkpointsRequested = 0;

  private shmFd: number | null = null;

  /**
   * Whether the WAL holds more than `limitBytes` of frames not yet started over (a writer that
   * never pauses, such as a full fetch, keeps the periodic checkpoints from ever completing, and
   * the WAL from restarting). Read from the wal-index header (https://www.sqlite.org/walformat.html:
   * mxFrame at byte 16, the page size at 14, native byte order): the WAL file's own size only
   * grows, it is reused from the start after a complete checkpoint.
   */
  walOver(limitBytes: number): boolean {
    try {
      this.shmFd ??= openSync(`${this.path}-shm`, 'r');
      const h = Buffer.alloc(20);
      if (readSync(this.shmFd, h, 0, 20, 0) < 20) return false;
      const le = endianness() === 'LE';
      const page = le ? h.readUInt16LE(14) : h.readUInt16BE(14);
      const frames = le ? h.readUInt32LE(16) : h.readUInt32BE(16);
      return frames * (page === 1 ? 65536 : page) > limitBytes;
    } catch {
      return false;
    }
  }

  /**
   * Lets the checkpoint worker copy the whole WAL into the database while this connection
   * writes nothing (the next write then starts the WAL over); the event loop stays free.
   * Null without a worker (SQLite's automatic checkpoints keep the WAL in check then).
   */
  async checkpointNow(): Promise<boolean | null> {
    const c = this.checkpointer;
    if (!c || this.closed) return null;
    this.checkpointsRequested++;
    return c.checkpointNow();
  }

  private async runCheckpointer(): Promise<void> {
    const c = await Checkpointer.start(this.path);
    if (!c) return;
    if (this.closed) return c.close();
    this.checkpointer = c;
    this.db.pragma('wal_autocheckpoint = 0');
    c.onFailing(() => {
      if (this.db.open) this.db.pragma('wal_autocheckpoint = 1000'); // never let the WAL grow unchecked
    });
  }

  private scrubQueued = false;

  /** Schedules scrub() once the current synchronous work (and its transaction) is done. */
  requestScrub(): void {
    if (this.scrubQueued || this.closed) return;
    this.scrubQueued = true;
    setTimeout(() => {
      this.scrubQueued = false;
      void this.scrub();
    }, 0);
  }

  /**
   * Copies the WAL into the database and truncates it to zero bytes, so frames holding
   * deleted rows (restricted conversations, a signed-out user's data) leave the disk.
   * Retries while the checkpoint worker holds the checkpoint lock; true when done.
   */
  async scrub(attempts = 40): Promise<boolean> {
    for (let i = 0; i < attempts; i++) {
      if (this.closed || !this.db.open) return false;
      try {
        const [r] = this.db.pragma('wal_checkpoint(TRUNCATE)') as { busy: number }[];
        if (r?.busy === 0) return true;
      } catch (e) {
        if ((e as { code?: string }).code !== 'SQLITE_BUSY' && (e as { code?: string }).code !== 'SQLITE_LOCKED') throw e;
      }
      await new Promise((res) => setTimeout(res, 25));
    }
    return false;
  }

  close(): void {
    this.closed = true;
    if (this.shmFd !== null) closeSync(this.shmFd);
    this.shmFd = null;
    if (this.checkpointer) this.workerClosed = this.checkpointer.close();
    this.checkpointer = null;
    if (this.db.open) this.db.close();
  }

  /** Resolves when every connection to the file is closed, the checkpoint worker's included. */
  async whenClosed(): Promise<void> {
    await this.checkpointerStarting;
    await this.workerClosed;
  }

  /** A damaged database is renamed (with its WAL) to `<name>.damaged-<time>`, never deleted. */
  static setAside(path: string): string {
    const to = `${path}.damaged-${Date.now()}`;
    for (const suffix of FILE_SUFFIXES) {
      if (existsSync(path + suffix)) renameSync(path + suffix, to + suffix);
    }
    return to;
  }

  /** Removes the database and its WAL files. */
  static destroy(path: string): void {
    for (const suffix of FILE_SUFFIXES) rmSync(path + suffix, { force: true });
  }
}
