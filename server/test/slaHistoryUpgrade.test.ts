// Upgrading a relay database to `groups.sla_history` (SQLite migration 0012, PostgreSQL 0006): a
// database as the release before left it — a group with a first-response target and business
// hours, no history column — migrates in place at start. The group keeps its target and hours,
// its history starts empty (so reports judge its past by that target, as that release did), and
// the next change of its target records the one it replaces.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { appliedMigrations, shippedMigrations } from '../../drizzle/migrations';
import type { BusinessHours } from '../../shared/domain/sla';
import { SqliteStore } from '../store/sqlite';
import { appliedPgMigrations, pgMigrationsFolder } from '../store/pgMigrate';
import { dropTestDatabase, startTestRelay, testDatabaseUrl, testStore } from '../testing';

const dir = mkdtempSync(join(tmpdir(), 'parley-sla-history-upgrade-'));
afterAll(async () => {
  await dropTestDatabase(dir);
  rmSync(dir, { recursive: true, force: true, maxRetries: 5 });
});

const hours: BusinessHours = { tz: 'Europe/London', days: { mon: ['09:00', '17:30'], fri: ['09:00', '16:00'] } };

/** Undoes the sla_history migration, as if the database had been left by the release before it. */
async function asTheReleaseBefore(): Promise<void> {
  const drop = 'ALTER TABLE groups DROP COLUMN sla_history';
  if (testStore === 'sqlite') {
    const store = SqliteStore.open(dir);
    const last = shippedMigrations('drizzle/server').at(-1);
    expect(last?.tag).toBe('0012_sla_history');
    store.sqlite.exec(drop);
    store.sqlite.prepare('DELETE FROM __drizzle_migrations WHERE hash = ?').run(last?.sha256);
    await store.close();
    return;
  }
  const c = new pg.Client({ connectionString: await testDatabaseUrl(dir) });
  await c.connect();
  try {
    const last = shippedMigrations(pgMigrationsFolder).at(-1);
    expect(last?.tag).toBe('0006_sla_history');
    await c.query(drop);
    await c.query('DELETE FROM drizzle.__drizzle_migrations WHERE hash = $1', [last?.sha256]);
  } finally {
    await c.end();
  }
}

describe(`upgrading to groups.sla_history (${testStore})`, () => {
  it('keeps every group\'s target and hours, with an empty history; the next change records the one it replaces', async () => {
    const before = await startTestRelay({ dataDir: dir, log: () => undefined });
    const admin = { userId: before.admin.id, role: 'admin' as const };
    const sales = before.groups.sales.id;
    await before.relay.services.engine.runAs(admin, 'setGroupSla', { groupId: sales, minutes: 60, businessHours: hours });
    await before.relay.close();
    await asTheReleaseBefore();

    const after = await startTestRelay({ dataDir: dir, log: () => undefined });
    try {
      const store = after.relay.services.store;
      if (store instanceof SqliteStore) {
        expect(appliedMigrations(store.sqlite).map((m) => m.hash)).toEqual(shippedMigrations('drizzle/server').map((m) => m.sha256));
      } else {
        const c = new pg.Client({ connectionString: await testDatabaseUrl(dir) });
        await c.connect();
        expect((await appliedPgMigrations(c)).map((m) => m.hash)).toEqual(shippedMigrations(pgMigrationsFolder).map((m) => m.sha256));
        await c.end();
      }
      expect(await store.all("SELECT name, sla_history FROM groups ORDER BY name")).toEqual([{ name: 'Sales', sla_history: '[]' }, { name: 'Support', sla_history: '[]' }]);
      expect(await store.rows.get('groups', sales)).toMatchObject({ name: 'Sales', slaFirstResponseMinutes: 60, businessHours: hours, slaHistory: [] });
      expect(await store.rows.get('groups', after.groups.support.id)).toMatchObject({ slaFirstResponseMinutes: null, businessHours: null, slaHistory: [] });

      const engine = after.relay.services.engine;
      const at = Date.now();
      await engine.runAs({ userId: after.admin.id, role: 'admin' }, 'setGroupSla', { groupId: sales, minutes: 30, businessHours: null });
      const g = await store.rows.get('groups', sales);
      expect(g).toMatchObject({ slaFirstResponseMinutes: 30, businessHours: null, slaHistory: [{ minutes: 60, hours }] });
      expect(g?.slaHistory[0]?.until).toBeGreaterThanOrEqual(at);
    } finally {
      await after.relay.close();
    }
  });
});
