// Applies drizzle/postgres migrations to the relay's PostgreSQL database, once: several relays
// may start together on one database, so the check-and-apply runs under a session advisory lock
// (one migrates, the others wait and then find everything applied). Same rule as SQLite
// (drizzle/migrations.ts): the applied migrations must be a prefix of the shipped ones, else the
// relay refuses to start with the same sentences.
import pg from 'pg';
import { postgresMigrationsFolder } from '../paths';
import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import { MigrationMismatchError, prefixProblem, shippedMigrations, type AppliedMigration } from '../../drizzle/migrations';

export const pgMigrationsFolder = postgresMigrationsFolder;

/** pg_advisory_lock key of the migration step (any constant; other Parley locks use other keys). */
export const MIGRATION_LOCK = 7_061_726_401;

/** What a database has applied, from drizzle's own table (empty for a new database). */
export async function appliedPgMigrations(client: pg.ClientBase): Promise<AppliedMigration[]> {
  const exists = await client.query<{ t: string | null }>("SELECT to_regclass('drizzle.__drizzle_migrations')::text AS t");
  if (!exists.rows[0]?.t) return [];
  const rows = await client.query<{ hash: string; created_at: string | number }>(
    'SELECT hash, created_at FROM drizzle.__drizzle_migrations ORDER BY created_at, id',
  );
  return rows.rows.map((r) => ({ hash: r.hash, createdAt: Number(r.created_at) }));
}

/**
 * Checks the prefix rule, then applies what is new, under the migration lock. Throws
 * MigrationMismatchError with the sentence to show.
 */
export async function migratePostgres(
  connectionString: string,
  opts: { folder?: string; what?: string } = {},
): Promise<{ applied: number; total: number }> {
  const folder = opts.folder ?? pgMigrationsFolder;
  const what = opts.what ?? 'The relay database';
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1::bigint)', [MIGRATION_LOCK]);
    const shipped = shippedMigrations(folder);
    const before = await appliedPgMigrations(client);
    const problem = prefixProblem(before, shipped, what);
    if (problem) throw new MigrationMismatchError(problem);
    // drizzle's migrator applies every migration newer than the last applied, in one transaction
    if (before.length < shipped.length) await migrate(drizzle(client), { migrationsFolder: folder });
    return { applied: shipped.length - before.length, total: shipped.length };
  } finally {
    // ending the session releases the advisory lock even if the unlock is never sent
    await client.end().catch(() => undefined);
  }
}
