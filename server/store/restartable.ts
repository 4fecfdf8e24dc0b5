// Restartable synchronous runs: how synchronous code (the shared mutators, the relay's stamping)
// runs over an asynchronous database inside one write transaction (PostgreSQL).
//
// A run answers get/find/count from a per-transaction cache. A read the cache cannot answer is
// a miss: the run records it and goes on with a placeholder (undefined / [] / 0) for a bounded
// number of further reads — to collect the other reads it will need — and is then abandoned
// (a ReadMiss thrown into it once the budget is spent). The misses are fetched inside the
// transaction in one batch, cached, and the callback runs again from the start with a fresh
// write buffer. A run that completes with no miss is the run: its writes (buffered in order,
// and visible to its own reads as an overlay) are flushed, then applied to the cache so a
// later run in the same transaction sees them. A run that throws (with no miss) leaves nothing.
//
// The engine knows tables and typed rows only; the store supplies `load` and `write`.
import type { Column } from 'drizzle-orm';
import type { RowOf, TableName } from '../../shared/schema';
import type { SyncRows } from './types';
import { encodeWhere, rowMatches, storedForm, tableOfSqlName } from './rowCodec';

type AnyRow = RowOf<TableName>;
type Where = [Column, unknown][];

export type Need =
  | { kind: 'row'; table: TableName; id: string }
  /** `full`: the matching rows (find); else only their ids (count) */
  | { kind: 'query'; table: TableName; where: Where; full: boolean };

export type Loaded = { kind: 'row'; row: AnyRow | undefined } | { kind: 'query'; rows: AnyRow[] };

export type WriteOp =
  | { kind: 'put'; table: TableName; row: AnyRow }
  | { kind: 'del'; table: TableName; id: string }
  | { kind: 'exec'; sql: string; params: readonly unknown[] };

export interface RestartableBackend {
  /** Fetches every need (same order) inside the transaction, in as few round trips as it can. */
  load(needs: Need[]): Promise<Loaded[]>;
  /** Applies a completed run's writes, in order, inside the transaction. */
  write(ops: WriteOp[]): Promise<void>;
}

/** Thrown into a run whose miss budget is spent: it is abandoned and run again. Internal. */
export class ReadMiss extends Error {
  override readonly name = 'ReadMiss';
  constructor() {
    super('internal: a read missed the transaction cache (the run is restarted; this must never escape)');
  }
}

export const limits = {
  /** reads a run may still make after its first miss before it is abandoned */
  speculativeReads: 64,
  /** misses one sync call may take in all before it is refused as endless */
  maxMisses: 200,
};

const rowKey = (table: string, id: string) => `${table}\u0000${id}`;
const queryKey = (table: string, where: Where) => `${table}\u0000${JSON.stringify(where.map(([c, v]) => [c.name, v]))}`;

/** The synced table an `exec` statement writes, '*' when it cannot tell, null for relay-only tables. */
export function execTarget(sql: string): TableName | '*' | null {
  const m = /^\s*(?:insert\s+into|update|delete\s+from)\s+("(?:[^"]|"")+"|[A-Za-z_][A-Za-z0-9_]*)/i.exec(sql);
  if (!m) return '*';
  const raw = m[1] as string;
  const name = raw.startsWith('"') ? raw.slice(1, -1).replace(/""/g, '"') : raw.toLowerCase();
  return tableOfSqlName(name) ?? null;
}

/** Per write transaction: what it knows of the committed-plus-own-writes state. */
export class TxCache {
  /** row by table+id; null = known absent */
  readonly rows = new Map<string, AnyRow | null>();
  /** ids matching a query when it was fetched; `full`: their rows were cached too */
  readonly queries = new Map<string, { ids: string[]; full: boolean }>();
  /** ids of each table this transaction wrote since it cached: their cached row is the truth */
  readonly touched = new Map<TableName, Set<string>>();
  misses = 0;
  runs = 0;

  /** Forget a table (or everything): a statement changed it behind the cache's back. */
  invalidate(table: TableName | '*'): void {
    if (table === '*') {
      this.rows.clear();
      this.queries.clear();
      this.touched.clear();
      return;
    }
    const prefix = `${table}\u0000`;
    for (const k of [...this.rows.keys()]) if (k.startsWith(prefix)) this.rows.delete(k);
    for (const k of [...this.queries.keys()]) if (k.startsWith(prefix)) this.queries.delete(k);
    this.touched.delete(table);
  }

  apply(ops: WriteOp[]): void {
    for (const op of ops) {
      if (op.kind === 'exec') {
        const target = execTarget(op.sql);
        if (target) this.invalidate(target);
        continue;
      }
      const id = op.kind === 'put' ? (op.row as { id: string }).id : op.id;
      this.rows.set(rowKey(op.table, id), op.kind === 'put' ? storedForm(op.table, op.row) : null);
      let t = this.touched.get(op.table);
      if (!t) this.touched.set(op.table, (t = new Set()));
      t.add(id);
    }
  }

  store(needs: Need[], loaded: Loaded[]): void {
    needs.forEach((need, i) => {
      const got = loaded[i] as Loaded;
      if (need.kind === 'row' && got.kind === 'row') {
        this.rows.set(rowKey(need.table, need.id), got.row ?? null);
      } else if (need.kind === 'query' && got.kind === 'query') {
        const ids = got.rows.map((r) => (r as { id: string }).id);
        if (need.full) for (const r of got.rows) this.rows.set(rowKey(need.table, (r as { id: string }).id), r);
        this.queries.set(queryKey(need.table, need.where), { ids, full: need.full });
      }
    });
  }
}

class Run implements SyncRows {
  readonly needs = new Map<string, Need>();
  readonly ops: WriteOp[] = [];
  private readonly overlay = new Map<string, AnyRow | null>();
  private readonly overlayIds = new Map<TableName, Set<string>>();
  /** synced tables an exec of this run wrote: the cache cannot answer them until it is flushed */
  private readonly dirty = new Set<TableName | '*'>();
  private readsAfterMiss = 0;

  constructor(private readonly cache: TxCache) {}

  private checkReadable(table: TableName): void {
    if (this.dirty.has(table) || this.dirty.has('*')) {
      throw new Error(
        `a synchronous run read ${table} after an exec statement wrote it: PostgreSQL cannot answer that read; ` +
          'use put/del for synced rows, or read before the exec',
      );
    }
    if (this.needs.size && ++this.readsAfterMiss > limits.speculativeReads) throw new ReadMiss();
  }

  private miss(key: string, need: Need): void {
    if (!this.needs.has(key)) this.needs.set(key, need);
  }

  get<T extends TableName>(table: T, id: string): RowOf<T> | undefined {
    this.checkReadable(table);
    const key = rowKey(table, id);
    if (this.overlay.has(key)) return (this.overlay.get(key) ?? undefined);
    if (this.cache.rows.has(key)) return (this.cache.rows.get(key) ?? undefined);
    // the whole table was fetched (find(table, {})): every row it has is cached, so this one is absent
    if (this.cache.queries.get(queryKey(table, []))?.full) return undefined;
    this.miss(`r${key}`, { kind: 'row', table, id });
    return undefined;
  }

  /** Ids matching `where` now (committed + flushed + this run's writes); null on a miss. */
  private matching<T extends TableName>(table: T, where: Partial<RowOf<T>>, full: boolean): AnyRow[] | number | null {
    this.checkReadable(table);
    const w = encodeWhere(table, where);
    const qk = queryKey(table, w);
    const q = this.cache.queries.get(qk);
    if (!q || (full && !q.full)) {
      this.miss(`q${qk}`, { kind: 'query', table, where: w, full });
      return null;
    }
    const touched = this.cache.touched.get(table);
    const mine = this.overlayIds.get(table);
    const rows: AnyRow[] = [];
    let count = 0;
    const seen = new Set<string>();
    const consider = (id: string, fetched: boolean) => {
      if (seen.has(id)) return;
      seen.add(id);
      const key = rowKey(table, id);
      const changed = (mine?.has(id) ?? false) || (touched?.has(id) ?? false);
      if (!changed && fetched) {
        // unchanged since the query ran: it still matches
        count++;
        if (full) rows.push(this.cache.rows.get(key) as AnyRow);
        return;
      }
      const row = this.overlay.has(key) ? this.overlay.get(key) : this.cache.rows.get(key);
      if (row && rowMatches(row, w, table)) {
        count++;
        if (full) rows.push(row);
      }
    };
    for (const id of q.ids) consider(id, true);
    for (const id of touched ?? []) consider(id, false);
    for (const id of mine ?? []) consider(id, false);
    return full ? rows : count;
  }

  find<T extends TableName>(table: T, where: Partial<RowOf<T>>): RowOf<T>[] {
    const r = this.matching(table, where, true);
    return (r ?? []) as RowOf<T>[];
  }

  count<T extends TableName>(table: T, where: Partial<RowOf<T>>): number {
    const r = this.matching(table, where, false);
    return (r ?? 0) as number;
  }

  private wrote(table: TableName, id: string, row: AnyRow | null): void {
    this.overlay.set(rowKey(table, id), row);
    let s = this.overlayIds.get(table);
    if (!s) this.overlayIds.set(table, (s = new Set()));
    s.add(id);
  }

  put<T extends TableName>(table: T, row: RowOf<T>): void {
    this.ops.push({ kind: 'put', table, row });
    this.wrote(table, (row as { id: string }).id, storedForm(table, row));
  }

  del<T extends TableName>(table: T, id: string): void {
    this.ops.push({ kind: 'del', table, id });
    this.wrote(table, id, null);
  }

  exec(sql: string, params: readonly unknown[] = []): void {
    this.ops.push({ kind: 'exec', sql, params: [...params] });
    const target = execTarget(sql);
    if (target) this.dirty.add(target);
  }
}

/**
 * Runs `fn` to completion over the transaction's cache (see the file comment). `defer`: the
 * completed run's writes are handed to it (and applied to the cache) instead of being written:
 * the caller sends them before anything else reads the transaction.
 */
export async function runRestartable<T>(cache: TxCache, backend: RestartableBackend, fn: (rows: SyncRows) => T, defer?: (ops: WriteOp[]) => void): Promise<T> {
  let misses = 0;
  for (;;) {
    const run = new Run(cache);
    cache.runs++;
    let result: T | undefined;
    let failure: { error: unknown } | null = null;
    try {
      result = fn(run);
    } catch (e) {
      failure = { error: e };
    }
    if (run.needs.size) {
      // whatever the run did (returned, threw, or was abandoned), it saw placeholders: run it again
      misses += run.needs.size;
      cache.misses += run.needs.size;
      if (misses > limits.maxMisses) {
        throw new Error(`a synchronous run missed the transaction cache more than ${limits.maxMisses} times; refusing to run it again`);
      }
      const needs = [...run.needs.values()];
      cache.store(needs, await backend.load(needs));
      continue;
    }
    if (failure) throw failure.error; // its buffered writes are dropped
    if (run.ops.length) {
      if (defer) defer(run.ops);
      else await backend.write(run.ops);
      cache.apply(run.ops);
    }
    return result as T;
  }
}
