// drizzle/postgres/schema.ts is generated from the relay's sqlite tables (scripts/pg-schema.ts):
// it must be current, and the mapping must carry every column property the relay relies on.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { blob, index, integer, primaryKey, real, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { PG_SCHEMA_FILE, pgSchemaSource, relayPgSchemaSource } from '../scripts/pg-schema';

describe('the PostgreSQL schema follows the relay schema', () => {
  it('drizzle/postgres/schema.ts is current (else: npm run db:generate:postgres)', async () => {
    expect(readFileSync(PG_SCHEMA_FILE, 'utf8')).toBe(await relayPgSchemaSource());
  });

  it('maps types, not-null, defaults, keys and indexes', () => {
    const sample = sqliteTable('sample', {
      id: text('id').primaryKey(),
      n: integer('n').notNull().default(3),
      flag: integer('flag', { mode: 'boolean' }).notNull().default(true),
      tags: text('tags', { mode: 'json' }).$type<string[]>().notNull().default(['a']),
      ratio: real('ratio'),
      data: blob('data', { mode: 'buffer' }),
      label: text('label').notNull().default("it's"),
    }, (t) => [index('sample_n').on(t.n, t.ratio), uniqueIndex('sample_label').on(t.label)]);
    const pair = sqliteTable('pair', { a: text('a').notNull(), b: integer('b').notNull() }, (t) => [primaryKey({ columns: [t.a, t.b] })]);
    const src = pgSchemaSource({ sample, pair, notATable: 42 });
    expect(src).toContain("import { bigint, customType, doublePrecision, index, pgTable, primaryKey, uniqueIndex } from 'drizzle-orm/pg-core';");
    expect(src).toContain("const text = customType<{ data: string }>({ dataType: () => 'text COLLATE \"C\"' });");
    expect(src).toContain("const bytea = customType<{ data: Buffer; driverData: Buffer }>({ dataType: () => 'bytea' });");
    expect(src).toContain("  id: text('id').primaryKey(),\n");
    expect(src).toContain("  n: bigint('n', { mode: 'number' }).notNull().default(3),\n");
    expect(src).toContain("  flag: bigint('flag', { mode: 'number' }).notNull().default(1),\n");
    expect(src).toContain("  tags: text('tags').notNull().default('[\"a\"]'),\n");
    expect(src).toContain("  ratio: doublePrecision('ratio'),\n");
    expect(src).toContain("  data: bytea('data'),\n");
    expect(src).toContain("  label: text('label').notNull().default('it\\'s'),\n");
    // SQLite's implicit rowid: a column, its unique index, and the tail of every non-unique index
    expect(src).toContain("  rowid: bigint('rowid', { mode: 'number' }).generatedByDefaultAsIdentity(),\n}, (t) => [\n  uniqueIndex('sample_rowid').on(t.rowid),\n");
    expect(src).toContain("  index('sample_n').on(t.n, t.ratio, t.rowid),\n  uniqueIndex('sample_label').on(t.label),\n");
    expect(src).toContain("  primaryKey({ columns: [t.a, t.b] }),\n");
    expect(src).not.toContain('notATable');
  });
});
