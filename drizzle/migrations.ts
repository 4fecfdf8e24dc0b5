// Append-only migrations, checked before they run. Shared by the relay (drizzle/server)
// and the client replica (drizzle/client): both open a better-sqlite3 database, compare
// what it has applied with what this build ships, and only then let drizzle's migrator
// apply the new ones.
//
// The rule: the migrations a database has applied must be a prefix of the shipped ones,
// by position, journal timestamp and content hash (drizzle stores the sha256 of each
// applied file in __drizzle_migrations). Anything else means the database was migrated
// by another build (a rewritten migration, or a newer Parley) and we refuse to start
// rather than guess. Landed migration files are also pinned in `migrations.lock.json`
// beside them (checked by a test), so an edit is caught before it ships.
import type Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';

export interface ShippedMigration {
  tag: string;
  /** the journal's `when`: drizzle stores it as created_at when the migration is applied */
  when: number;
  sha256: string;
}

export interface AppliedMigration {
  createdAt: number;
  hash: string;
}

interface Journal {
  entries: { idx: number; when: number; tag: string }[];
}

export class MigrationMismatchError extends Error {
  override readonly name = 'MigrationMismatchError';
}

/** The migrations in a drizzle folder, in journal order, with the hash drizzle records. */
export function shippedMigrations(folder: string): ShippedMigration[] {
  const journal = JSON.parse(readFileSync(join(folder, 'meta/_journal.json'), 'utf8')) as Journal;
  return journal.entries.map((e) => ({
    tag: e.tag,
    when: e.when,
    sha256: createHash('sha256').update(readFileSync(join(folder, `${e.tag}.sql`)).toString()).digest('hex'),
  }));
}

/** What a database has applied (empty for a new database). */
export function appliedMigrations(db: Database.Database): AppliedMigration[] {
  const table = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name = '__drizzle_migrations'").get();
  if (!table) return [];
  const rows = db.prepare('SELECT hash, created_at FROM __drizzle_migrations ORDER BY created_at, rowid').all() as {
    hash: string;
    created_at: number | string;
  }[];
  return rows.map((r) => ({ hash: r.hash, createdAt: Number(r.created_at) }));
}

/**
 * Applied must be a prefix of shipped. Returns null when it is, else the sentence to show
 * (`what` names the database for the reader: "the relay database", "this replica").
 */
export function prefixProblem(applied: AppliedMigration[], shipped: ShippedMigration[], what: string): string | null {
  if (applied.length > shipped.length) {
    return (
      `${what} was upgraded by a newer Parley (it has ${applied.length} migrations, this build knows ${shipped.length}). ` +
      'Run that newer version, or restore a backup made before the upgrade.'
    );
  }
  for (let i = 0; i < applied.length; i++) {
    const a = applied[i] as AppliedMigration;
    const s = shipped[i] as ShippedMigration;
    if (a.createdAt !== s.when) {
      return (
        `${what} has a migration this build does not ship at position ${i + 1} (expected ${s.tag}). ` +
        'It was migrated by a different Parley build; refusing to start rather than guess.'
      );
    }
    if (a.hash !== s.sha256) {
      return (
        `Migration ${s.tag} differs from the one ${what} applied (the file was edited after it shipped). ` +
        'Refusing to start rather than guess: ship schema changes as new migrations.'
      );
    }
  }
  return null;
}

/** Checks the prefix rule, then applies what is new. Throws MigrationMismatchError. */
export function migrateChecked(db: Database.Database, folder: string, what: string): { applied: number; total: number } {
  const shipped = shippedMigrations(folder);
  const before = appliedMigrations(db);
  const problem = prefixProblem(before, shipped, what);
  if (problem) throw new MigrationMismatchError(problem);
  if (before.length < shipped.length) migrate(drizzle(db), { migrationsFolder: folder });
  return { applied: shipped.length - before.length, total: shipped.length };
}

// ---- the lock file: landed migrations pinned by hash ----

export const LOCK_FILE = 'migrations.lock.json';

export interface LockEntry {
  tag: string;
  when: number;
  sha256: string;
}

export function readLock(folder: string): LockEntry[] {
  const path = join(folder, LOCK_FILE);
  if (!existsSync(path)) return [];
  return (JSON.parse(readFileSync(path, 'utf8')) as { migrations: LockEntry[] }).migrations;
}

/**
 * Problems between the lock and the folder: a locked migration edited, renamed, removed or
 * reordered. New migrations after the locked ones are listed in `unlocked`.
 */
export function lockProblems(folder: string): { problems: string[]; unlocked: string[] } {
  const lock = readLock(folder);
  const shipped = shippedMigrations(folder);
  const problems: string[] = [];
  lock.forEach((l, i) => {
    const s = shipped[i];
    if (!s) problems.push(`${l.tag} is locked but no longer in the journal (landed migrations are never removed)`);
    else if (s.tag !== l.tag || s.when !== l.when) problems.push(`position ${i + 1}: locked ${l.tag}, journal has ${s.tag} (landed migrations are never renamed or regenerated)`);
    else if (s.sha256 !== l.sha256) problems.push(`${l.tag}.sql was edited after it landed (write a new migration instead)`);
  });
  return { problems, unlocked: shipped.slice(lock.length).map((s) => s.tag) };
}

/** Appends new migrations to the lock; refuses when a locked one changed. */
export function updateLock(folder: string): string[] {
  const { problems } = lockProblems(folder);
  if (problems.length) throw new MigrationMismatchError(problems.join('\n'));
  const shipped = shippedMigrations(folder);
  const added = shipped.slice(readLock(folder).length).map((s) => s.tag);
  writeFileSync(join(folder, LOCK_FILE), JSON.stringify({ migrations: shipped }, null, 2) + '\n');
  return added;
}
