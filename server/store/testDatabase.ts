// Fresh PostgreSQL databases for tests: each test gets its own database, copied (CREATE
// DATABASE … TEMPLATE) from a template migrated once per set of migrations. The template is
// named by the migrations' hashes, so a schema change builds a new one; it is built under a
// temporary name and renamed when complete, under an advisory lock, so concurrent vitest
// workers (and other checkouts sharing the server) never see a half-migrated template.
// Server: PARLEY_TEST_PG_URL (default postgres://postgres@127.0.0.1:5432/postgres).
import pg from 'pg';
import { createHash, randomBytes } from 'node:crypto';
import { shippedMigrations } from '../../drizzle/migrations';
import { migratePostgres, pgMigrationsFolder } from './pgMigrate';

export const testServerUrl = process.env.PARLEY_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** Advisory lock key of template creation (distinct from the migration lock). */
const TEMPLATE_LOCK = 7_061_726_402;

export interface TestDatabase {
  /** connection string of the new database */
  url: string;
  name: string;
  /** drops the database (closing whatever is still connected to it) */
  drop(): Promise<void>;
}

export function databaseUrl(name: string, server = testServerUrl): string {
  const u = new URL(server);
  u.pathname = `/${name}`;
  return u.toString();
}

const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** `fn` with a client of `url` (by default the test server's maintenance database), closed after. */
export async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end().catch(() => undefined);
  }
}

export const withAdmin = <T>(fn: (c: pg.Client) => Promise<T>): Promise<T> => withClient(testServerUrl, fn);

async function exists(c: pg.Client, name: string): Promise<boolean> {
  return (await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount === 1;
}

/** The migrated template for the shipped migrations, built once (first caller builds it). */
async function templateName(): Promise<string> {
  const digest = createHash('sha256').update(shippedMigrations(pgMigrationsFolder).map((m) => m.sha256).join()).digest('hex');
  const name = `parley_tpl_${digest.slice(0, 16)}`;
  await withAdmin(async (c) => {
    if (await exists(c, name)) return;
    await c.query('SELECT pg_advisory_lock($1::bigint)', [TEMPLATE_LOCK]);
    try {
      if (await exists(c, name)) return; // another worker built it while we waited
      const building = `${name}_build_${process.pid}`;
      await c.query(`DROP DATABASE IF EXISTS ${ident(building)} WITH (FORCE)`);
      await c.query(`CREATE DATABASE ${ident(building)} TEMPLATE template0 ENCODING 'UTF8'`);
      await migratePostgres(databaseUrl(building));
      await c.query(`ALTER DATABASE ${ident(building)} RENAME TO ${ident(name)}`);
    } finally {
      await c.query('SELECT pg_advisory_unlock($1::bigint)', [TEMPLATE_LOCK]);
    }
  });
  return name;
}

let counter = 0;

/**
 * A new database for one test: migrated (a copy of the template) unless `migrated: false`
 * (an empty database, for the migrator's own tests).
 */
export async function createTestDatabase(opts: { migrated?: boolean } = {}): Promise<TestDatabase> {
  const template = opts.migrated === false ? 'template0' : await templateName();
  const name = `parley_t_${process.pid}_${++counter}_${randomBytes(3).toString('hex')}`;
  await withAdmin(async (c) => {
    for (let attempt = 0; ; attempt++) {
      try {
        await c.query(`CREATE DATABASE ${ident(name)} TEMPLATE ${ident(template)} ENCODING 'UTF8'`);
        // A throwaway database need not wait for its WAL flush at each commit (a crash of the
        // test server loses nothing a test needs); the relay's behaviour is the same, only the
        // commit latency drops (as the SQLite tests' WAL with synchronous=NORMAL). The relay's
        // own store never sets this: production keeps the server's setting.
        await c.query(`ALTER DATABASE ${ident(name)} SET synchronous_commit = off`);
        return;
      } catch (e) {
        // "source database is being accessed by other users": a session that just closed on
        // the template may not have exited yet; PostgreSQL waited 5 s already, try again
        if ((e as { code?: string }).code !== '55006' || attempt >= 3) throw e;
      }
    }
  });
  return {
    url: databaseUrl(name),
    name,
    drop: () => withAdmin(async (c) => void (await c.query(`DROP DATABASE IF EXISTS ${ident(name)} WITH (FORCE)`))),
  };
}
