// The relay's store on PostgreSQL (DATABASE_URL): RelayStore over a node-postgres Pool.
//  - SQL in the portable subset of types.ts: `?` placeholders become `$n`; values come back as
//    SQLite gives them (per-pool type parsers, never the global ones): bigint/numeric as JS
//    numbers, booleans as 0/1, json/jsonb as text, bytea as Buffer.
//  - write(): one transaction that first locks the organisation's version row in `meta`
//    (SELECT … FOR UPDATE): writes of every relay on this database are serialized there.
//    Serialization failures and deadlocks rerun the whole callback a few times.
//  - tx.sync(): restartable synchronous runs over a per-transaction cache (restartable.ts).
//  - read(): a REPEATABLE READ READ ONLY snapshot.
// Rows are mapped with the drizzle sqlite columns (rowCodec.ts), so they equal SQLite's.
import pg from 'pg';
import type { RowOf, TableName } from '../../shared/schema';
import type { RelayStore, Rows, Sql, SyncOptions, SyncRows, WriteTx } from './types';
import { codecOf, decodeRow, encodeRow, encodeWhere, quoteIdent, whereSql } from './rowCodec';
import { migratePostgres } from './pgMigrate';
import { TxCache, execTarget, runRestartable, type Loaded, type Need, type RestartableBackend, type WriteOp } from './restartable';

const INT8 = 20;
const NUMERIC = 1700;
const BOOL = 16;
const JSON_OID = 114;
const JSONB = 3802;

// ---- SQL text ----

/**
 * Calls `onParam(i)` for each `?` placeholder outside string literals, quoted identifiers and
 * comments, and returns the SQL with each replaced by what it returned.
 */
export function replacePlaceholders(sql: string, onParam: (index: number) => string): string {
  let out = '';
  let n = 0;
  let i = 0;
  while (i < sql.length) {
    const ch = sql[i] as string;
    if (ch === "'" || ch === '"') {
      // a literal ('…' with '' escapes; E'…' also has backslash escapes) or a quoted identifier
      const escapes = ch === "'" && i > 0 && /[eE]/.test(sql[i - 1] as string) && !/[A-Za-z0-9_]/.test(sql[i - 2] ?? ' ');
      let j = i + 1;
      for (; j < sql.length; j++) {
        if (escapes && sql[j] === '\\') j++;
        else if (sql[j] === ch) {
          if (sql[j + 1] === ch) j++;
          else break;
        }
      }
      out += sql.slice(i, j + 1);
      i = j + 1;
    } else if (ch === '-' && sql[i + 1] === '-') {
      const end = sql.indexOf('\n', i);
      const j = end === -1 ? sql.length : end;
      out += sql.slice(i, j);
      i = j;
    } else if (ch === '/' && sql[i + 1] === '*') {
      const end = sql.indexOf('*/', i + 2);
      const j = end === -1 ? sql.length : end + 2;
      out += sql.slice(i, j);
      i = j;
    } else if (ch === '?') {
      out += onParam(n++);
      i++;
    } else {
      out += ch;
      i++;
    }
  }
  return out;
}

const translated = new Map<string, string>();
/** `?` → `$1, $2, …` (cached: the relay's statements are few and repeated). */
export function toPg(sql: string): string {
  let t = translated.get(sql);
  if (t === undefined) {
    t = replacePlaceholders(sql, (i) => `$${i + 1}`);
    if (translated.size < 5000) translated.set(sql, t);
  }
  return t;
}

/** Parameters as SQLite would bind them: booleans 0/1, undefined as NULL. */
function bindValue(v: unknown): unknown {
  if (v === undefined) return null;
  if (typeof v === 'boolean') return v ? 1 : 0;
  return v;
}
const bind = (params: readonly unknown[] | undefined) => (params ?? []).map(bindValue);

/** A value written inline as an (untyped) SQL literal, for batched multi-statement sends. */
export function literal(v: unknown): string {
  v = bindValue(v);
  if (v === null) return 'NULL';
  if (Buffer.isBuffer(v) || v instanceof Uint8Array) return `'\\x${Buffer.from(v).toString('hex')}'`;
  if (typeof v === 'number' || typeof v === 'bigint') {
    if (typeof v === 'number' && !Number.isFinite(v)) throw new Error(`cannot store ${v}`);
    return `'${String(v)}'`;
  }
  if (typeof v === 'string') return pg.escapeLiteral(v);
  throw new Error(`cannot write a ${typeof v} as an SQL value`);
}

/** One statement with its parameters written inline. */
export function inline(sql: string, params: readonly unknown[]): string {
  const out = replacePlaceholders(sql, (i) => {
    if (i >= params.length) throw new Error(`missing parameter ${i + 1} for: ${sql}`);
    return literal(params[i]);
  });
  return out;
}

// ---- queries ----

type Queryable = pg.Pool | pg.PoolClient;

class PgSql implements Sql {
  constructor(protected readonly q: Queryable) {}

  async all<T = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<T[]> {
    return (await this.q.query(toPg(sql), bind(params))).rows as T[];
  }

  async get<T = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<T | undefined> {
    return (await this.q.query(toPg(sql), bind(params))).rows[0] as T | undefined;
  }

  async run(sql: string, params?: readonly unknown[]): Promise<number> {
    return (await this.q.query(toPg(sql), bind(params))).rowCount ?? 0;
  }
}

class PgRows implements Rows {
  constructor(private readonly sql: Sql) {}

  async get<T extends TableName>(table: T, id: string): Promise<RowOf<T> | undefined> {
    const raw = await this.sql.get(`SELECT * FROM ${quoteIdent(codecOf(table).sqlName)} WHERE "id" = ?`, [id]);
    return raw ? decodeRow(table, raw) : undefined;
  }

  async find<T extends TableName>(table: T, where: Partial<RowOf<T>>): Promise<RowOf<T>[]> {
    const w = whereSql(encodeWhere(table, where));
    const raws = await this.sql.all(`SELECT * FROM ${quoteIdent(codecOf(table).sqlName)}${w.sql}`, w.params);
    return raws.map((r) => decodeRow(table, r));
  }

  async count<T extends TableName>(table: T, where: Partial<RowOf<T>>): Promise<number> {
    const w = whereSql(encodeWhere(table, where));
    const r = await this.sql.get<{ n: number }>(`SELECT count(*) AS n FROM ${quoteIdent(codecOf(table).sqlName)}${w.sql}`, w.params);
    return r?.n ?? 0;
  }
}

// ---- the restartable backend: batched loads and flushes on the transaction's client ----

class PgBackend implements RestartableBackend {
  /** round trips made (tests bound them) */
  roundTrips = 0;

  constructor(private readonly client: pg.PoolClient) {}

  async load(needs: Need[]): Promise<Loaded[]> {
    // one statement for all needs: UNION ALL of per-need selects, rows as jsonb tagged by need
    const parts: string[] = [];
    const params: unknown[] = [];
    const byIdGroups = new Map<TableName, { k: number; ids: string[] }>();
    needs.forEach((need, k) => {
      const t = quoteIdent(codecOf(need.table).sqlName);
      if (need.kind === 'row') {
        let g = byIdGroups.get(need.table);
        if (!g) {
          g = { k, ids: [] };
          byIdGroups.set(need.table, g);
        }
        g.ids.push(need.id);
      } else {
        const w = whereSql(need.where);
        const what = need.full ? 'to_jsonb(x.*)' : "jsonb_build_object('id', x.\"id\")";
        parts.push(`(SELECT ${k}::int AS k, ${what} AS r FROM ${t} x${w.sql})`);
        params.push(...w.params);
      }
    });
    for (const [table, g] of byIdGroups) {
      parts.push(`(SELECT ${g.k}::int AS k, to_jsonb(x.*) AS r FROM ${quoteIdent(codecOf(table).sqlName)} x WHERE x."id" = ANY(?::text[]))`);
      params.push(g.ids);
    }
    this.roundTrips++;
    const res = await this.client.query<{ k: number; r: string }>(toPg(parts.join(' UNION ALL ')), params);
    const byK = new Map<number, Record<string, unknown>[]>();
    for (const row of res.rows) {
      let l = byK.get(row.k);
      if (!l) byK.set(row.k, (l = []));
      l.push(JSON.parse(row.r) as Record<string, unknown>); // jsonb comes back as text (the pool's parser)
    }
    const byId = new Map<string, Record<string, unknown>>();
    for (const [table, g] of byIdGroups) for (const r of byK.get(g.k) ?? []) byId.set(`${table}\u0000${String(r.id)}`, r);
    return needs.map((need, k): Loaded => {
      if (need.kind === 'row') {
        const raw = byId.get(`${need.table}\u0000${need.id}`);
        return { kind: 'row', row: raw ? decodeRow(need.table, raw) : undefined };
      }
      const raws = byK.get(k) ?? [];
      return { kind: 'query', rows: raws.map((r) => (need.full ? decodeRow(need.table, r) : (r as RowOf<TableName>))) };
    });
  }

  async write(ops: WriteOp[]): Promise<void> {
    const statements = writeStatements(ops);
    this.roundTrips++;
    // no parameters: the simple protocol, several statements in one round trip. Inside a
    // savepoint, so a failing statement (a key violation in an exec) drops this run's writes and
    // leaves the transaction usable, as the savepoint of SQLite's sync does.
    try {
      await this.client.query(`SAVEPOINT parley_sync;\n${statements.join(';\n')};\nRELEASE SAVEPOINT parley_sync`);
    } catch (e) {
      await this.client.query('ROLLBACK TO SAVEPOINT parley_sync; RELEASE SAVEPOINT parley_sync');
      throw e;
    }
  }
}

/** A run's writes as statements with inline literals (a run of puts or dels on one table: one statement). */
function writeStatements(ops: WriteOp[]): string[] {
  const statements: string[] = [];
  for (let i = 0; i < ops.length; ) {
    const op = ops[i] as WriteOp;
    if (op.kind === 'exec') {
      statements.push(inline(op.sql, op.params));
      i++;
      continue;
    }
    // a run of puts (or of dels) on one table becomes one statement
    let j = i;
    while (j < ops.length && (ops[j] as WriteOp).kind === op.kind && (ops[j] as { table?: string }).table === op.table) j++;
    const group = ops.slice(i, j) as Exclude<WriteOp, { kind: 'exec' }>[];
    const c = codecOf(op.table);
    const t = quoteIdent(c.sqlName);
    if (op.kind === 'put') {
      // one row may appear once per INSERT … ON CONFLICT: its last put wins (full-row upserts)
      const last = new Map<string, RowOf<TableName>>();
      for (const g of group) if (g.kind === 'put') last.set((g.row as { id: string }).id, g.row);
      const names = c.columns.map((col) => quoteIdent(col.name));
      const values = [...last.values()].map((row) => `(${encodeRow(op.table, row).map(literal).join(',')})`);
      const updates = names.filter((n) => n !== '"id"').map((n) => `${n}=excluded.${n}`);
      statements.push(`INSERT INTO ${t} (${names.join(',')}) VALUES ${values.join(',')} ON CONFLICT ("id") DO UPDATE SET ${updates.join(',')}`);
    } else {
      const ids = group.map((g) => literal((g as { id: string }).id));
      statements.push(`DELETE FROM ${t} WHERE "id" IN (${ids.join(',')})`);
    }
    i = j;
  }
  return statements;
}

// ---- transactions ----

class PgWriteTx extends PgSql implements WriteTx {
  readonly rows: Rows;
  readonly cache = new TxCache();
  readonly backend: PgBackend;

  constructor(
    private readonly client: pg.PoolClient,
    readonly version: number,
  ) {
    super(client);
    this.rows = new PgRows(this);
    this.backend = new PgBackend(client);
  }

  /** writes of a sync that may defer them (SyncOptions.deferWrites), not sent yet */
  private deferred: WriteOp[] = [];

  /** Sends the deferred writes (before anything else reads or writes the transaction). */
  private async flush(): Promise<void> {
    if (!this.deferred.length) return;
    const ops = this.deferred;
    this.deferred = [];
    this.backend.roundTrips++;
    await this.client.query(writeStatements(ops).join(';\n'));
  }

  /** The deferred writes followed by COMMIT, as one statement list (one round trip). */
  commitSql(): string {
    const ops = this.deferred;
    this.deferred = [];
    return [...(ops.length ? writeStatements(ops) : []), 'COMMIT'].join(';\n');
  }

  override async all<T = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<T[]> {
    await this.flush();
    return super.all<T>(sql, params);
  }

  override async get<T = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<T | undefined> {
    await this.flush();
    return super.get<T>(sql, params);
  }

  override async run(sql: string, params?: readonly unknown[]): Promise<number> {
    await this.flush();
    // a statement outside sync(): what the cache holds of its table may be stale now
    const target = execTarget(sql);
    if (target) this.cache.invalidate(target);
    return super.run(sql, params);
  }

  async sync<T>(fn: (rows: SyncRows) => T, opts: SyncOptions = {}): Promise<T> {
    await this.flush();
    return runRestartable(this.cache, this.backend, fn, opts.deferWrites ? (ops) => this.deferred.push(...ops) : undefined);
  }
}

const BEGIN_AND_LOCK = "BEGIN; SELECT value FROM meta WHERE key = 'version' FOR UPDATE";

/** A multi-statement simple query resolves to one result per statement (node-postgres). */
function lastResult<R extends pg.QueryResultRow>(r: pg.QueryResult<R> | pg.QueryResult<R>[]): pg.QueryResult<R> {
  return Array.isArray(r) ? (r[r.length - 1] as pg.QueryResult<R>) : r;
}

const RETRYABLE = new Set(['40001', '40P01']); // serialization_failure, deadlock_detected
const codeOf = (e: unknown): string | undefined => (e as { code?: unknown })?.code as string | undefined;

export interface PostgresStoreOptions {
  /** pool size (default 10) */
  max?: number;
  /** attempts of a write that keeps failing on serialization or deadlock (default 5) */
  writeAttempts?: number;
}

export class PostgresStore implements RelayStore {
  readonly dialect = 'postgres' as const;
  readonly pool: pg.Pool;
  readonly rows: Rows;
  private readonly sql: PgSql;
  private readonly writeAttempts: number;
  /** the last write transaction's cache statistics (tests) */
  lastWrite: { runs: number; misses: number; roundTrips: number } | null = null;

  constructor(connectionString: string, opts: PostgresStoreOptions = {}) {
    const types = new pg.TypeOverrides();
    types.setTypeParser(INT8, (v: string) => Number(v));
    types.setTypeParser(NUMERIC, (v: string) => Number(v));
    // as SQLite gives them: a boolean expression (EXISTS, a comparison) as 0/1, JSON as its text
    types.setTypeParser(BOOL, (v: string) => (v === 't' ? 1 : 0));
    types.setTypeParser(JSON_OID, (v: string) => v);
    types.setTypeParser(JSONB, (v: string) => v);
    this.pool = new pg.Pool({ connectionString, max: opts.max ?? 10, types });
    // an idle client that loses its connection must not crash the relay; the pool replaces it
    this.pool.on('error', () => undefined);
    // a checked-out client whose connection dies reports it to its query; the event must not crash us
    this.pool.on('connect', (client) => void client.on('error', () => undefined));
    this.sql = new PgSql(this.pool);
    this.rows = new PgRows(this.sql);
    this.writeAttempts = opts.writeAttempts ?? 5;
  }

  all<T = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<T[]> {
    return this.sql.all<T>(sql, params);
  }
  get<T = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<T | undefined> {
    return this.sql.get<T>(sql, params);
  }
  run(sql: string, params?: readonly unknown[]): Promise<number> {
    return this.sql.run(sql, params);
  }

  /** the tail of this store's queue of writes */
  private writeQueue: Promise<unknown> = Promise.resolve();

  write<T>(fn: (tx: WriteTx) => Promise<T>): Promise<T> {
    // Writes of one relay queue here before taking a connection: they would only wait on the
    // version row in PostgreSQL anyway, and holding one pooled connection each while they wait
    // could leave none for the reads the running write makes outside its transaction.
    const result = this.writeQueue.then(() => this.writeNow(fn));
    this.writeQueue = result.catch(() => undefined);
    return result;
  }

  private async writeNow<T>(fn: (tx: WriteTx) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const client = await this.pool.connect();
      let broken: Error | undefined;
      let tx: PgWriteTx | undefined;
      try {
        // BEGIN and the lock in one round trip (the simple protocol runs both; the last result is the lock's)
        let lock = lastResult(await client.query<{ value: string }>(BEGIN_AND_LOCK));
        if (!lock.rows.length) {
          // a new database: create the lock row (a concurrent creator makes this wait, then do nothing)
          await client.query("INSERT INTO meta (key, value) VALUES ('version', '0') ON CONFLICT (key) DO NOTHING");
          lock = await client.query<{ value: string }>("SELECT value FROM meta WHERE key = 'version' FOR UPDATE");
        }
        tx = new PgWriteTx(client, Number(lock.rows[0]?.value ?? '0'));
        const out = await fn(tx);
        // writes a sync deferred go with the COMMIT: one round trip
        await client.query(tx.commitSql());
        return out;
      } catch (e) {
        try {
          await client.query('ROLLBACK');
        } catch (rollbackError) {
          broken = rollbackError as Error; // the connection is gone: the server rolled back
        }
        if (RETRYABLE.has(codeOf(e) ?? '') && attempt < this.writeAttempts) continue;
        throw e;
      } finally {
        if (tx) this.lastWrite = { runs: tx.cache.runs, misses: tx.cache.misses, roundTrips: tx.backend.roundTrips };
        client.release(broken);
      }
    }
  }

  async read<T>(fn: (r: Sql & { rows: Rows }) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    let broken: Error | undefined;
    try {
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      const sql = new PgSql(client);
      const out = await fn(Object.assign(sql, { rows: new PgRows(sql) }));
      await client.query('COMMIT');
      return out;
    } catch (e) {
      await client.query('ROLLBACK').catch((rollbackError: unknown) => void (broken = rollbackError as Error));
      throw e;
    } finally {
      client.release(broken);
    }
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

/** Opens the relay's PostgreSQL store: migrations first (once, under their lock), then the pool. */
export async function openPostgresStore(connectionString: string, opts: PostgresStoreOptions = {}): Promise<PostgresStore> {
  await migratePostgres(connectionString);
  return new PostgresStore(connectionString, opts);
}
