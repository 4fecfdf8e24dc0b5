// The relay's PostgreSQL migrations: applied once under the migration lock even when several
// relays start together, and a database migrated by another build is refused (real PostgreSQL).
import { afterAll, describe, expect, it } from 'vitest';
import { appendFileSync, cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MigrationMismatchError, shippedMigrations } from '../../drizzle/migrations';
import { appliedPgMigrations, migratePostgres, pgMigrationsFolder } from './pgMigrate';
import { createTestDatabase, withClient, type TestDatabase } from './testDatabase';
import { is } from 'drizzle-orm';
import { PgTable, getTableConfig } from 'drizzle-orm/pg-core';
import * as pgSchema from '../../drizzle/postgres/schema';

const made: TestDatabase[] = [];
afterAll(async () => {
  await Promise.all(made.map((d) => d.drop()));
});
async function emptyDatabase(): Promise<TestDatabase> {
  const d = await createTestDatabase({ migrated: false });
  made.push(d);
  return d;
}
function copyOfMigrations(): string {
  const to = join(mkdtempSync(join(tmpdir(), 'parley-pgmig-')), 'm');
  cpSync(pgMigrationsFolder, to, { recursive: true });
  return to;
}

describe('PostgreSQL migrations', () => {
  it('two relays starting together: one migrates, the other waits and finds them applied', async () => {
    const db = await emptyDatabase();
    const total = shippedMigrations(pgMigrationsFolder).length;
    const results = await Promise.all([migratePostgres(db.url), migratePostgres(db.url)]);
    expect(results.map((r) => r.applied).sort()).toEqual([0, total]);
    expect(await migratePostgres(db.url)).toEqual({ applied: 0, total });
    await withClient(db.url, async (c) => {
      expect((await appliedPgMigrations(c)).map((a) => a.hash)).toEqual(shippedMigrations(pgMigrationsFolder).map((s) => s.sha256));
      // every table of the relay exists, with its composite keys
      const tables = (await c.query<{ t: string }>("SELECT tablename AS t FROM pg_tables WHERE schemaname = 'public'")).rows.map((r) => r.t);
      expect(tables).toEqual(expect.arrayContaining(['meta', 'conversations', 'tombstones', 'rejected_mutations', 'timers', 'webhook_events']));
      await c.query("INSERT INTO tombstones (table_name, row_id, scope, version) VALUES ('notes', 'n1', 'conv:c1', 3)");
      await expect(c.query("INSERT INTO tombstones (table_name, row_id, scope, version) VALUES ('notes', 'n1', 'conv:c1', 4)")).rejects.toThrow(/duplicate key/);
    });
  });

  it('the migrations build exactly the generated schema (a schema change without its migration fails here)', async () => {
    const db = await emptyDatabase();
    await migratePostgres(db.url);
    const want: Record<string, string[]> = {};
    const wantIndexes: string[] = [];
    for (const t of Object.values(pgSchema)) {
      if (!is(t, PgTable)) continue;
      const c = getTableConfig(t);
      want[c.name] = c.columns.map((col) => `${col.name} ${col.getSQLType()}${col.notNull ? ' not null' : ''}`).sort();
      for (const i of c.indexes) wantIndexes.push(`${c.name}.${i.config.name}`);
    }
    await withClient(db.url, async (c) => {
      const cols = await c.query<{ t: string; c: string; type: string; nullable: string; collation: string | null }>(
        "SELECT table_name AS t, column_name AS c, data_type AS type, is_nullable AS nullable, collation_name AS collation FROM information_schema.columns WHERE table_schema = 'public'",
      );
      const got: Record<string, string[]> = {};
      for (const r of cols.rows) {
        const type = r.type === 'text' ? `text COLLATE "${r.collation ?? 'default'}"` : r.type;
        (got[r.t] ??= []).push(`${r.c} ${type}${r.nullable === 'NO' ? ' not null' : ''}`);
      }
      for (const k of Object.keys(got)) got[k]!.sort();
      expect(got).toEqual(want);
      const idx = await c.query<{ i: string }>("SELECT tablename || '.' || indexname AS i FROM pg_indexes WHERE schemaname = 'public' AND indexname NOT LIKE '%_pkey' AND indexname NOT LIKE '%_pk'");
      expect(idx.rows.map((r) => r.i).sort()).toEqual(wantIndexes.sort());
    });
  });

  it('refuses a database that applied an edited migration, or one migrated by a newer build', async () => {
    const db = await emptyDatabase();
    await migratePostgres(db.url);
    const edited = copyOfMigrations();
    appendFileSync(join(edited, '0000_init.sql'), '\n-- edited after it shipped\n');
    const err = await migratePostgres(db.url, { folder: edited }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MigrationMismatchError);
    expect((err as Error).message).toMatch(/^Migration 0000_init differs from the one The relay database applied/);

    await withClient(db.url, (c) => c.query('INSERT INTO drizzle.__drizzle_migrations (hash, created_at) VALUES ($1, $2)', ['f'.repeat(64), Date.now() + 10_000]));
    await expect(migratePostgres(db.url)).rejects.toThrow(/The relay database was upgraded by a newer Parley/);
  });

  it('refuses a database with a migration this build does not ship', async () => {
    const db = await emptyDatabase();
    await migratePostgres(db.url);
    const other = copyOfMigrations();
    const journalPath = join(other, 'meta/_journal.json');
    const journal = JSON.parse(readFileSync(journalPath, 'utf8')) as { entries: { when: number }[] };
    journal.entries[0]!.when -= 1;
    writeFileSync(journalPath, JSON.stringify(journal));
    await expect(migratePostgres(db.url, { folder: other })).rejects.toThrow(/does not ship at position 1 \(expected 0000_init\)/);
  });

  it('upgrades a database of the previous schema: attachment bytes get their table, data stays', async () => {
    const db = await emptyDatabase();
    // the shipped migrations up to 0002 (before attachment_blobs), as an older relay applied them
    const older = copyOfMigrations();
    const journalPath = join(older, 'meta/_journal.json');
    const journal = JSON.parse(readFileSync(journalPath, 'utf8')) as { entries: { tag: string }[] };
    const upTo = journal.entries.findIndex((e) => e.tag === '0003_attachment_blobs');
    expect(upTo).toBeGreaterThan(0);
    for (const e of journal.entries.slice(upTo)) rmSync(join(older, `${e.tag}.sql`));
    journal.entries = journal.entries.slice(0, upTo);
    writeFileSync(journalPath, JSON.stringify(journal));
    await migratePostgres(db.url, { folder: older });
    await withClient(db.url, async (c) => {
      await c.query("INSERT INTO attachments (sha256, mime, size, name, uploaded_by, created_at) VALUES ($1, 'image/png', 3, 'a.png', 'u1', 1)", ['a'.repeat(64)]);
      expect((await c.query("SELECT to_regclass('attachment_blobs') AS t")).rows[0]).toEqual({ t: null });
    });
    const total = shippedMigrations(pgMigrationsFolder).length;
    expect(await migratePostgres(db.url)).toEqual({ applied: total - upTo, total });
    await withClient(db.url, async (c) => {
      expect((await c.query('SELECT name FROM attachments')).rows).toEqual([{ name: 'a.png' }]);
      await c.query('INSERT INTO attachment_blobs (sha256, bytes) VALUES ($1, $2)', ['a'.repeat(64), Buffer.from('png')]);
      expect((await c.query('SELECT bytes FROM attachment_blobs')).rows).toEqual([{ bytes: Buffer.from('png') }]);
    });
  });

  it('test databases are fresh copies of the migrated template', async () => {
    const [a, b] = await Promise.all([createTestDatabase(), createTestDatabase()]);
    made.push(a, b);
    await withClient(a.url, (c) => c.query("INSERT INTO meta (key, value) VALUES ('version', '7')"));
    const inB = await withClient(b.url, (c) => c.query('SELECT * FROM meta'));
    expect(inB.rows).toEqual([]);
    expect(await migratePostgres(b.url)).toEqual({ applied: 0, total: shippedMigrations(pgMigrationsFolder).length });
  });
});
