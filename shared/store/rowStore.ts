// A Tx over any better-sqlite3-shaped database, driven by the drizzle table
// definitions: drizzle owns the schema and the value mapping (JSON, booleans),
// this owns cached prepared statements on the hot path. Structural types only, so
// shared/ stays free of Node imports.
import { getTableColumns, getTableName } from 'drizzle-orm';
import type { Column } from 'drizzle-orm';
import { syncedTables, type RowOf, type TableName } from '../schema';
import type { Tx } from '../tx';

export interface SqlStatement {
  run(...params: unknown[]): unknown;
  get(...params: unknown[]): unknown;
  all(...params: unknown[]): unknown[];
}
export interface SqlDatabase {
  prepare(sql: string): SqlStatement;
}

interface TableMeta {
  sqlName: string;
  keys: string[];
  columns: Column[];
  byKey: Map<string, Column>;
  selectById: SqlStatement;
  upsert: SqlStatement;
  deleteById: SqlStatement;
  finds: Map<string, SqlStatement>;
}

/** An SQL identifier quoted for SQLite and PostgreSQL alike. */
export const quoteIdent = (name: string): string => `"${name.replace(/"/g, '""')}"`;
const q = quoteIdent;

interface Columns {
  sqlName: string;
  keys: string[];
  columns: Column[];
}
const columnCache = new Map<TableName, Columns>();

function columnsOf(table: TableName): Columns {
  let c = columnCache.get(table);
  if (!c) {
    const def = syncedTables[table];
    const cols = getTableColumns(def) as Record<string, Column>;
    const keys = Object.keys(cols);
    c = { sqlName: getTableName(def), keys, columns: keys.map((k) => cols[k] as Column) };
    columnCache.set(table, c);
  }
  return c;
}

/** Maps a raw row (sql column names, driver values) to the typed row; no database needed. */
export function decodeRow<T extends TableName>(table: T, raw: Record<string, unknown>): RowOf<T> {
  const m = columnsOf(table);
  const out: Record<string, unknown> = {};
  for (let i = 0; i < m.keys.length; i++) {
    const col = m.columns[i] as Column;
    const v = raw[col.name];
    out[m.keys[i] as string] = v === null || v === undefined ? null : col.mapFromDriverValue(v);
  }
  return out as RowOf<T>;
}

/**
 * SQLite only: an expression that makes the row's JSON (the object decodeRow would give, as
 * JSON.stringify writes it: same keys in the same order, booleans as true/false, JSON columns
 * as their values) in the database, so a reader that only sends rows on need not build, decode
 * and encode an object per row. `also` adds the named row keys as plain columns (key as alias).
 */
export function rowJsonSelect(table: TableName, also: readonly string[] = []): string {
  const m = columnsOf(table);
  const pairs = m.keys.map((k, i) => {
    const col = m.columns[i] as Column;
    const c = q(col.name);
    const v =
      col.columnType === 'SQLiteBoolean' ? `json(CASE WHEN ${c} IS NULL THEN NULL WHEN ${c} THEN 'true' ELSE 'false' END)`
      : col.columnType === 'SQLiteTextJson' ? `json(${c})`
      : c;
    return `'${k}', ${v}`;
  });
  const extra = also.filter((k) => m.keys.includes(k)).map((k) => `${q((m.columns[m.keys.indexOf(k)] as Column).name)} AS ${q(k)}`);
  return [...extra, `json_object(${pairs.join(', ')}) AS _json`].join(', ');
}

/** Whether rowJsonSelect covers every column type of the table (else decode and encode it). */
export function rowJsonSupported(table: TableName): boolean {
  return columnsOf(table).columns.every((c) => ['SQLiteText', 'SQLiteInteger', 'SQLiteBoolean', 'SQLiteTextJson'].includes(c.columnType));
}

/** SQL name of a table (and of one of its columns), for hand-written queries. */
export function sqlNamesOf<T extends TableName>(table: T, column?: keyof RowOf<T> & string): { table: string; column?: string } {
  const m = columnsOf(table);
  const i = column ? m.keys.indexOf(column) : -1;
  return { table: m.sqlName, column: i >= 0 ? m.columns[i]?.name : undefined };
}

export class RowStore implements Tx {
  private readonly meta = new Map<TableName, TableMeta>();

  constructor(readonly db: SqlDatabase) {}

  private tableMeta(table: TableName): TableMeta {
    let m = this.meta.get(table);
    if (m) return m;
    const def = syncedTables[table];
    const cols = getTableColumns(def) as Record<string, Column>;
    const keys = Object.keys(cols);
    const columns = keys.map((k) => cols[k] as Column);
    const sqlName = getTableName(def);
    const names = columns.map((c) => q(c.name));
    const updates = names.filter((n) => n !== '"id"').map((n) => `${n}=excluded.${n}`);
    m = {
      sqlName,
      keys,
      columns,
      byKey: new Map(keys.map((k, i) => [k, columns[i] as Column])),
      selectById: this.db.prepare(`SELECT * FROM ${q(sqlName)} WHERE "id" = ?`),
      upsert: this.db.prepare(
        `INSERT INTO ${q(sqlName)} (${names.join(',')}) VALUES (${names.map(() => '?').join(',')}) ` +
          `ON CONFLICT("id") DO UPDATE SET ${updates.join(',')}`,
      ),
      deleteById: this.db.prepare(`DELETE FROM ${q(sqlName)} WHERE "id" = ?`),
      finds: new Map(),
    };
    this.meta.set(table, m);
    return m;
  }

  /** Maps a raw SQLite row (sql column names) to the typed row. */
  decode<T extends TableName>(table: T, raw: Record<string, unknown>): RowOf<T> {
    return decodeRow(table, raw);
  }

  private encodeValue(col: Column, v: unknown): unknown {
    // A row written by an older build (an undo image, an older relay's poke) lacks the columns
    // added since: they take their default, as the migration gave the rows already stored.
    if (v === undefined && col.hasDefault && col.default !== undefined) v = col.default;
    if (v === null || v === undefined) return null;
    const d = col.mapToDriverValue(v);
    return typeof d === 'boolean' ? (d ? 1 : 0) : d;
  }

  get<T extends TableName>(table: T, id: string): RowOf<T> | undefined {
    const raw = this.tableMeta(table).selectById.get(id) as Record<string, unknown> | undefined;
    return raw ? this.decode(table, raw) : undefined;
  }

  find<T extends TableName>(table: T, where: Partial<RowOf<T>>): RowOf<T>[] {
    const { stmt, params } = this.whereStatement(table, where, '*');
    return (stmt.all(...params) as Record<string, unknown>[]).map((r) => this.decode(table, r));
  }

  /** How many rows match (equality on the given columns), without reading them. */
  count<T extends TableName>(table: T, where: Partial<RowOf<T>>): number {
    const { stmt, params } = this.whereStatement(table, where, 'count(*) AS n');
    return (stmt.get(...params) as { n: number }).n;
  }

  private whereStatement<T extends TableName>(table: T, where: Partial<RowOf<T>>, what: string): { stmt: SqlStatement; params: unknown[] } {
    const m = this.tableMeta(table);
    const keys = Object.keys(where).sort();
    const cacheKey = `${what}|${keys.join(',')}`;
    let stmt = m.finds.get(cacheKey);
    if (!stmt) {
      const clauses = keys.map((k) => {
        const col = m.byKey.get(k);
        if (!col) throw new Error(`unknown column ${k} on ${table}`);
        return `${q(col.name)} IS ?`;
      });
      stmt = this.db.prepare(`SELECT ${what} FROM ${q(m.sqlName)}${clauses.length ? ` WHERE ${clauses.join(' AND ')}` : ''}`);
      m.finds.set(cacheKey, stmt);
    }
    const w = where as Record<string, unknown>;
    return { stmt, params: keys.map((k) => this.encodeValue(m.byKey.get(k) as Column, w[k])) };
  }

  put<T extends TableName>(table: T, row: RowOf<T>): void {
    const m = this.tableMeta(table);
    const r = row as Record<string, unknown>;
    const params = m.keys.map((k, i) => this.encodeValue(m.columns[i] as Column, r[k]));
    m.upsert.run(...params);
  }

  del<T extends TableName>(table: T, id: string): void {
    this.tableMeta(table).deleteById.run(id);
  }

  /** SQL name of a table and of one of its columns, for hand-written queries. */
  sqlNames<T extends TableName>(table: T, column?: keyof RowOf<T> & string): { table: string; column?: string } {
    const m = this.tableMeta(table);
    return { table: m.sqlName, column: column ? m.byKey.get(column)?.name : undefined };
  }
}
