// The append-only rule for migrations, on both sides: landed files are pinned by hash,
// and a database whose applied migrations are not a prefix of the shipped ones is refused.
import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { appendFileSync, cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MigrationMismatchError, appliedMigrations, lockProblems, migrateChecked, shippedMigrations } from './migrations';

const sides = ['drizzle/server', 'drizzle/client'];
/** the relay on PostgreSQL: its migrations are pinned the same way (applied by server/store/pgMigrate.ts) */
const lockedSides = [...sides, 'drizzle/postgres'];
const scratch = () => mkdtempSync(join(tmpdir(), 'parley-mig-'));

function copyOf(folder: string): string {
  const to = join(scratch(), 'm');
  cpSync(folder, to, { recursive: true });
  return to;
}

describe('landed migrations are pinned', () => {
  for (const side of lockedSides) {
    it(`${side}: every landed migration matches its lock entry and every migration is locked`, () => {
      const { problems, unlocked } = lockProblems(side);
      expect(problems).toEqual([]);
      // a new migration must be locked in the same change (npm run db:generate:* does it)
      expect(unlocked).toEqual([]);
    });
  }

  it('an edited, renamed or removed landed migration is reported', () => {
    const edited = copyOf('drizzle/client');
    appendFileSync(join(edited, '0000_init.sql'), '\n-- an innocent-looking edit\n');
    expect(lockProblems(edited).problems).toEqual(['0000_init.sql was edited after it landed (write a new migration instead)']);

    const renamed = copyOf('drizzle/client');
    const journalPath = join(renamed, 'meta/_journal.json');
    const journal = JSON.parse(readFileSync(journalPath, 'utf8')) as { entries: { tag: string; when: number }[] };
    journal.entries[1]!.when += 1; // regenerated: same name, new timestamp
    writeFileSync(journalPath, JSON.stringify(journal));
    expect(lockProblems(renamed).problems[0]).toMatch(/never renamed or regenerated/);

    const removed = copyOf('drizzle/client');
    const removedJournal = join(removed, 'meta/_journal.json');
    const entries = JSON.parse(readFileSync(removedJournal, 'utf8')) as { entries: unknown[] };
    entries.entries.pop();
    writeFileSync(removedJournal, JSON.stringify(entries));
    expect(lockProblems(removed).problems).toEqual([expect.stringMatching(/is locked but no longer in the journal/)]);
  });
});

describe('start-up check: applied must be a prefix of shipped', () => {
  for (const side of sides) {
    it(`${side}: a new database gets every migration, a second open applies nothing`, () => {
      const db = new Database(join(scratch(), 'a.sqlite'));
      const shipped = shippedMigrations(side);
      expect(migrateChecked(db, side, 'The database')).toEqual({ applied: shipped.length, total: shipped.length });
      expect(appliedMigrations(db).map((a) => a.hash)).toEqual(shipped.map((s) => s.sha256));
      expect(migrateChecked(db, side, 'The database')).toEqual({ applied: 0, total: shipped.length });
      db.close();
    });
  }

  it('refuses a database that applied a different version of a shipped migration', () => {
    const db = new Database(join(scratch(), 'b.sqlite'));
    migrateChecked(db, 'drizzle/client', 'This replica');
    const edited = copyOf('drizzle/client');
    appendFileSync(join(edited, '0001_fts_triggers.sql'), '\n-- edited after it shipped\n');
    expect(() => migrateChecked(db, edited, 'This replica')).toThrow(MigrationMismatchError);
    expect(() => migrateChecked(db, edited, 'This replica')).toThrow(/Migration 0001_fts_triggers differs from the one This replica applied/);
    db.close();
  });

  it('refuses a database migrated by a newer build, and one with a migration this build never shipped', () => {
    const db = new Database(join(scratch(), 'c.sqlite'));
    migrateChecked(db, 'drizzle/server', 'The relay database');
    db.prepare('INSERT INTO __drizzle_migrations (hash, created_at) VALUES (?, ?)').run('f'.repeat(64), Date.now() + 10_000);
    expect(() => migrateChecked(db, 'drizzle/server', 'The relay database')).toThrow(/upgraded by a newer Parley/);

    const older = copyOf('drizzle/server');
    const journalPath = join(older, 'meta/_journal.json');
    const journal = JSON.parse(readFileSync(journalPath, 'utf8')) as { entries: { when: number }[] };
    journal.entries[0]!.when -= 1;
    writeFileSync(journalPath, JSON.stringify(journal));
    const db2 = new Database(join(scratch(), 'd.sqlite'));
    migrateChecked(db2, 'drizzle/server', 'The relay database');
    expect(() => migrateChecked(db2, older, 'The relay database')).toThrow(/does not ship at position 1 \(expected 0000_init\)/);
    db.close();
    db2.close();
  });
});
