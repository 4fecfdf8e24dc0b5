// Typed rows ⇄ stored values for the synced tables, driven by the drizzle *sqlite* column
// definitions exactly as shared/store/rowStore.ts does (booleans 0/1, JSON as text, missing
// columns take their default), so a row read from PostgreSQL equals the row read from SQLite.
import { getTableColumns, getTableName } from 'drizzle-orm';
import type { Column } from 'drizzle-orm';
import { syncedTables, type RowOf, type TableName } from '../../shared/schema';
import { decodeRow, quoteIdent } from '../../shared/store/rowStore';

/** A stored row (SQL column names) as the typed row: the replica's own decoder, so both stores read rows alike. */
export { decodeRow };

/** SQL identifiers are quoted as the replica's row store quotes them. */
export { quoteIdent };

export interface TableCodec {
  table: TableName;
  sqlName: string;
  /** TS keys, in column order */
  keys: string[];
  columns: Column[];
  byKey: Map<string, Column>;
}

const codecs = new Map<TableName, TableCodec>();
const bySqlName = new Map<string, TableName>();

export function codecOf(table: TableName): TableCodec {
  let c = codecs.get(table);
  if (c) return c;
  const def = syncedTables[table];
  if (!def) throw new Error(`unknown table ${String(table)}`);
  const cols = getTableColumns(def) as Record<string, Column>;
  const keys = Object.keys(cols);
  c = { table, sqlName: getTableName(def), keys, columns: keys.map((k) => cols[k] as Column), byKey: new Map(keys.map((k) => [k, cols[k] as Column])) };
  codecs.set(table, c);
  return c;
}

/** The synced table stored under this SQL name, if any. */
export function tableOfSqlName(sqlName: string): TableName | undefined {
  if (!bySqlName.size) for (const t of Object.keys(syncedTables) as TableName[]) bySqlName.set(codecOf(t).sqlName, t);
  return bySqlName.get(sqlName);
}

/** A value as stored (what SQLite's driver would be given). */
export function encodeValue(col: Column, v: unknown): unknown {
  // A row written by an older build lacks the columns added since: they take their default.
  if (v === undefined && col.hasDefault && col.default !== undefined) v = col.default;
  if (v === null || v === undefined) return null;
  const d = col.mapToDriverValue(v);
  return typeof d === 'boolean' ? (d ? 1 : 0) : d;
}

/** Stored values of a row, in column order. */
export function encodeRow<T extends TableName>(table: T, row: RowOf<T>): unknown[] {
  const c = codecOf(table);
  const r = row as Record<string, unknown>;
  return c.keys.map((k, i) => encodeValue(c.columns[i] as Column, r[k]));
}

/** The row as it reads back once stored (defaults filled, values normalised). */
export function storedForm<T extends TableName>(table: T, row: RowOf<T>): RowOf<T> {
  const c = codecOf(table);
  const values = encodeRow(table, row);
  const raw: Record<string, unknown> = {};
  c.columns.forEach((col, i) => (raw[col.name] = values[i]));
  return decodeRow(table, raw);
}

/** `where` as stored values, keys sorted (a canonical form: equal wheres give equal keys). */
export function encodeWhere<T extends TableName>(table: T, where: Partial<RowOf<T>>): [column: Column, value: unknown][] {
  const c = codecOf(table);
  const w = where as Record<string, unknown>;
  return Object.keys(w)
    .sort()
    .map((k) => {
      const col = c.byKey.get(k);
      if (!col) throw new Error(`unknown column ${k} on ${table}`);
      return [col, encodeValue(col, w[k])];
    });
}

/** SQLite's `col IS ?` on stored values. */
export function rowMatches<T extends TableName>(row: RowOf<T>, where: [Column, unknown][], table: T): boolean {
  const c = codecOf(table);
  const r = row as Record<string, unknown>;
  for (const [col, want] of where) {
    const key = c.keys[c.columns.indexOf(col)] as string;
    const have = encodeValue(col, r[key]);
    if (have !== want && !(typeof have === 'number' && typeof want === 'number' && Number.isNaN(have) && Number.isNaN(want))) return false;
  }
  return true;
}

/** SQL of an equality match (`= ?` / `IS NULL`) with its parameters. */
export function whereSql(where: [Column, unknown][]): { sql: string; params: unknown[] } {
  const params: unknown[] = [];
  const clauses = where.map(([col, v]) => {
    if (v === null) return `${quoteIdent(col.name)} IS NULL`;
    params.push(v);
    return `${quoteIdent(col.name)} = ?`;
  });
  return { sql: clauses.length ? ` WHERE ${clauses.join(' AND ')}` : '', params };
}
