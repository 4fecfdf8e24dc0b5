// PostgresStore on a real PostgreSQL (a fresh database per test): the shared mutators give the
// same rows as on SQLite, restartable runs stay bounded, refused work leaves nothing, writes of
// two relays serialize on the version row, and a transaction killed mid-way leaves nothing.
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import pg from 'pg';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { migrateChecked } from '../../drizzle/migrations';
import { mutators, type AnyMutator, type MutationArgs, type MutationName } from '../../shared/mutators';
import { tableNames, type Role, type RowOf } from '../../shared/schema';
import { RowStore } from '../../shared/store/rowStore';
import { MutationError, type MutatorContext, type ServerEffect, type Tx } from '../../shared/tx';
import { PostgresStore, inline, toPg } from './postgres';
import { limits } from './restartable';
import { group, storeContract } from './storeContract';
import { createTestDatabase, testServerUrl, type TestDatabase } from './testDatabase';

const T0 = Date.UTC(2026, 10, 24, 9, 0, 0);
const SYSTEM = 'system';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await (cleanups.pop() as () => Promise<void>)();
});
afterAll(async () => {
  while (cleanups.length) await (cleanups.pop() as () => Promise<void>)();
});

async function freshStore(): Promise<{ db: TestDatabase; store: PostgresStore; another: () => PostgresStore }> {
  const db = await createTestDatabase();
  const stores: PostgresStore[] = [];
  const open = () => {
    const s = new PostgresStore(db.url, { max: 4 });
    stores.push(s);
    return s;
  };
  const store = open();
  cleanups.push(async () => {
    await Promise.all(stores.map((s) => s.close()));
    await db.drop();
  });
  return { db, store, another: open };
}

/** The standard cast of shared/test/harness.ts, as raw rows. */
function standardOrg(tx: Tx): void {
  for (const id of ['sales', 'support']) {
    tx.put('groups', { id, name: id, smsNumber: '+447700900001', whatsappNumber: '+447700900002', templates: id === 'sales' ? [{ name: 'hello', language: 'en', body: 'Hello from Parley' }] : [],
      createdAt: T0, paymentInstructions: '', channelProviders: { sms: 'simulator', whatsapp: 'simulator' }, slaFirstResponseMinutes: null, businessHours: null, slaHistory: [], autoAssign: 'off', autoAssignCapacity: 5, autoAssignLast: null, version: 0 });
  }
  const users: [string, Role, string[], boolean][] = [
    ['admin', 'admin', ['sales', 'support'], true],
    ['alice', 'agent', ['sales'], true],
    ['bob', 'agent', ['sales'], true],
    ['carol', 'agent', ['support'], true],
    ['dave', 'agent', ['sales'], false],
  ];
  for (const [id, role, groups, active] of users) {
    tx.put('users', { id, name: id, email: `${id}@example.com`, role, active, createdAt: T0, accepting: true, version: 0 });
    for (const g of groups) tx.put('memberships', { id: `${g}:${id}`, groupId: g, userId: id, version: 0 });
  }
  tx.put('contacts', { id: 'pat', name: 'Pat', phone: '+447700900123', email: null, tags: ['vip'], notes: '', optedOut: false, defaultVisibleTo: null, defaultAssignees: [],
    createdAt: T0, updatedAt: T0, version: 0 });
}

type Step = { [N in MutationName]: [name: N, as: string, args: MutationArgs<N>] }[MutationName];
const scenario: Step[] = [
  ['sendMessage', 'bob', { id: 'm1', contactId: 'pat', groupId: 'sales', channel: 'sms', body: 'Hello', newConversationId: 'conv-1' }],
  ['receiveInbound', SYSTEM, { groupId: 'sales', channel: 'sms', from: '07700 900123', body: 'Hi back', providerMessageId: 'p1' }],
  ['manageConversation', 'admin', { conversationId: 'conv-1', visibleTo: ['alice', 'bob', 'admin'], assignees: ['alice'], baseVisibilityVersion: 0 }],
  ['addNote', 'alice', { id: 'n1', conversationId: 'conv-1', body: '@bob have a look', mentions: ['bob'] }],
  ['createInvoice', 'alice', { id: 'inv1', conversationId: 'conv-1', currency: 'GBP', lineItems: [{ description: 'Thing', quantity: 2, unitAmount: 1500 }], dueDate: '2026-12-01', send: true, messageId: 'm2' }],
  ['markInvoicePaid', 'admin', { invoiceId: 'inv1' }],
  ['createLabel', 'admin', { id: 'l1', name: 'VIP', color: 'purple' }],
  ['labelConversation', 'bob', { conversationId: 'conv-1', labelId: 'l1', applied: true }],
  ['sendMessage', 'carol', { id: 'm3', contactId: 'pat', groupId: 'sales', channel: 'sms', body: 'Not mine', newConversationId: 'conv-2' }],
  ['markRead', 'bob', { targetId: 'conv-1', at: T0 + 9000 }],
  ['archiveConversation', 'admin', { conversationId: 'conv-1' }],
  ['sendMessage', 'alice', { id: 'm4', contactId: 'pat', groupId: 'sales', channel: 'whatsapp', body: 'Hello from Parley', newConversationId: 'conv-3', templateName: 'hello' }],
];

/** Runs one mutation over `tx` as the relay does; the context is rebuilt on every run (replayable). */
function applyStep(tx: Tx, step: Step, i: number): { effects: ServerEffect[]; refused?: { code: string; message: string } } {
  const [name, as, rawArgs] = step;
  const def = mutators[name] as unknown as AnyMutator;
  const parsed: unknown = def.args.parse(rawArgs);
  const effects: ServerEffect[] = [];
  let ids = 0;
  const ctx: MutatorContext = {
    userId: as,
    role: as === SYSTEM ? 'admin' : (tx.get('users', as)?.role ?? 'agent'),
    now: T0 + i * 1000,
    side: 'server',
    newId: () => `gen-${i}-${++ids}`,
    effect: (e) => effects.push(e),
  };
  try {
    def.run(tx, ctx, parsed);
  } catch (e) {
    if (e instanceof MutationError) return { effects: [], refused: { code: e.code, message: e.message } };
    throw e;
  }
  return { effects };
}

function sqliteRowStore(): { db: Database.Database; rows: RowStore } {
  const db = new Database(join(mkdtempSync(join(tmpdir(), 'parley-pgcmp-')), 'relay.sqlite'));
  migrateChecked(db, 'drizzle/server', 'The test database');
  return { db, rows: new RowStore(db) };
}

const byId = <T extends { id: string }>(rows: T[]) => [...rows].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

describe('PostgresStore', () => {
  it('the shared mutators give the same rows, effects and refusals as on SQLite', async () => {
    const { store } = await freshStore();
    const lite = sqliteRowStore();
    standardOrg(lite.rows);
    await store.write((tx) => tx.sync((rows) => standardOrg(rows)));

    const refusals: string[] = [];
    for (const [i, step] of scenario.entries()) {
      const onLite = lite.db.transaction(() => applyStep(lite.rows, step, i))();
      const onPg = await store.write((tx) => tx.sync((rows) => applyStep(rows, step, i)));
      if (onLite.refused) refusals.push(`${step[0]} as ${step[1]}: ${onLite.refused.code}`);
      expect(onPg, `${step[0]} as ${step[1]}`).toEqual(onLite);
      // bounded: a mutation's reads come in a few batches, never one round trip per read
      expect(store.lastWrite!.runs, step[0]).toBeLessThanOrEqual(8);
    }
    expect(refusals).toEqual(['sendMessage as carol: forbidden']);

    for (const table of tableNames) {
      const want = byId(lite.rows.find(table, {}) as { id: string }[]);
      const got = byId((await store.rows.find(table, {})) as { id: string }[]);
      expect(got, table).toEqual(want);
    }
    // the scenario wrote what it should have (not two empty stores)
    expect((await store.rows.get('invoices', 'inv1'))?.status).toBe('paid');
    expect(await store.rows.count('messages', { conversationId: 'conv-1' })).toBe(3);
    expect((await store.rows.get('conversations', 'conv-1'))?.labels).toEqual(['l1']);
    lite.db.close();
  });

  it('reads see the run’s own writes and earlier runs of the transaction; find/count overlay them', async () => {
    const { store } = await freshStore();
    await store.write((tx) => tx.sync((rows) => standardOrg(rows)));
    await store.write(async (tx) => {
      const first = await tx.sync((rows) => {
        const before = rows.count('memberships', { groupId: 'sales' });
        rows.put('memberships', { id: 'sales:carol', groupId: 'sales', userId: 'carol', version: 0 });
        rows.del('memberships', 'sales:bob');
        const u = rows.get('users', 'alice')!;
        rows.put('users', { ...u, active: false });
        return {
          before,
          after: rows.count('memberships', { groupId: 'sales' }),
          members: rows.find('memberships', { groupId: 'sales' }).map((m) => m.userId).sort(),
          inactive: rows.find('users', { active: false }).map((x) => x.id).sort(),
        };
      });
      expect(first).toEqual({ before: 4, after: 4, members: ['admin', 'alice', 'carol', 'dave'], inactive: ['alice', 'dave'] });
      // a later run of the same transaction reads the flushed writes from the cache
      const second = await tx.sync((rows) => ({
        bob: rows.get('memberships', 'sales:bob'),
        n: rows.count('memberships', { groupId: 'sales' }),
        inactive: rows.find('users', { active: false }).length,
      }));
      expect(second).toEqual({ bob: undefined, n: 4, inactive: 2 });
      // and asynchronous reads inside the transaction see them too
      expect(await tx.rows.count('memberships', { groupId: 'sales' })).toBe(4);
      expect(await tx.get<{ n: number }>('SELECT count(*) AS n FROM users WHERE active = ?', [false])).toEqual({ n: 2 });
    });
    // a statement outside sync() changes a synced table: the cache forgets it
    await store.write(async (tx) => {
      expect(await tx.sync((rows) => rows.get('users', 'bob')?.name)).toBe('bob');
      expect(await tx.run("UPDATE users SET name = ? WHERE id = 'bob'", ['Bobby'])).toBe(1);
      expect(await tx.sync((rows) => rows.get('users', 'bob')?.name)).toBe('Bobby');
    });
  });

  it('misses are batched and bounded; an endless reader is refused', async () => {
    const { store } = await freshStore();
    await store.write((tx) => tx.sync((rows) => standardOrg(rows)));
    // 40 independent reads: one run collects them, one load, one final run
    const n = await store.write((tx) => tx.sync((rows) => Array.from({ length: 40 }, (_, i) => rows.get('users', i % 5 === 0 ? 'alice' : `nobody-${i}`)).filter(Boolean).length));
    expect({ n, stats: store.lastWrite }).toEqual({ n: 8, stats: { runs: 2, misses: 33, roundTrips: 1 } });

    // each run depends on the previous read: one more run per miss, until the guard says no
    const endless = store.write((tx) =>
      tx.sync((rows) => {
        let i = 0;
        while (rows.get('users', `u${i}`) === undefined) i++;
        return i;
      }),
    );
    await expect(endless).rejects.toThrow(`missed the transaction cache more than ${limits.maxMisses} times`);
  });

  it('a thrown MutationError leaves nothing of its run; the transaction goes on', async () => {
    const { store } = await freshStore();
    await store.write(async (tx) => {
      await tx.sync((rows) => standardOrg(rows));
      const refused = tx.sync((rows) => {
        rows.put('labels', { id: 'l-x', name: 'x', color: 'red', createdAt: T0, version: 0 });
        rows.del('users', 'alice');
        if (rows.get('users', 'bob')) throw new MutationError('forbidden', 'Only admins can do that.');
      });
      await expect(refused).rejects.toThrow('Only admins can do that.');
      // a real refused mutation (carol is not in sales): nothing of it either
      const r = await tx.sync((rows) => applyStep(rows, scenario[8] as Step, 8));
      expect(r.refused?.code).toBe('forbidden');
      await tx.sync((rows) => expect([rows.get('labels', 'l-x'), rows.get('users', 'alice')?.id]).toEqual([undefined, 'alice']));
    });
    // a statement that fails when the run's writes are sent: the run leaves nothing, the transaction goes on
    await store.write(async (tx) => {
      await tx.run("INSERT INTO meta (key, value) VALUES ('orgName', 'Acme')");
      const failing = tx.sync((rows) => {
        rows.put('labels', { id: 'l-y', name: 'y', color: 'red', createdAt: T0, version: 0 });
        rows.exec('INSERT INTO meta (key, value) VALUES (?, ?)', ['orgName', 'again']);
      });
      await expect(failing).rejects.toThrow(/duplicate key/);
      await tx.sync((rows) => rows.put('labels', { id: 'l-z', name: 'z', color: 'red', createdAt: T0, version: 0 }));
      expect(await tx.sync((rows) => rows.get('labels', 'l-y'))).toBeUndefined();
    });
    expect((await store.rows.find('labels', {})).map((l) => l.id)).toEqual(['l-z']);
    expect(await store.rows.count('users', {})).toBe(5);
    expect(await store.rows.count('messages', {})).toBe(0);
    expect(await store.rows.count('conversations', {})).toBe(0);
  });

  it('two relays: concurrent writes serialize on the version row (versions 1 and 2, never both 1)', async () => {
    const { db, store, another } = await freshStore();
    const other = another();
    const bump = (s: PostgresStore, during?: () => Promise<void>) =>
      s.write(async (tx) => {
        if (during) await during();
        await tx.run("UPDATE meta SET value = ? WHERE key = 'version'", [String(tx.version + 1)]);
        return tx.version + 1;
      });
    let second: Promise<number> | undefined;
    const first = bump(store, async () => {
      // A holds the lock: start B and wait until PostgreSQL shows it waiting on a lock
      second = bump(other);
      const watcher = new pg.Client({ connectionString: testServerUrl });
      await watcher.connect();
      try {
        for (;;) {
          const r = await watcher.query("SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = $1", [db.name]);
          if ((r.rows[0] as { n: number }).n > 0) break;
          await new Promise((resolve) => setImmediate(resolve));
        }
      } finally {
        await watcher.end();
      }
    });
    expect([await first, await second!]).toEqual([1, 2]);
    expect(await store.get('SELECT value FROM meta WHERE key = ?', ['version'])).toEqual({ value: '2' });
  });

  it('a transaction killed mid-way leaves nothing', async () => {
    const { db, store } = await freshStore();
    const killer = new pg.Client({ connectionString: db.url });
    await killer.connect();
    cleanups.push(() => killer.end());
    const doomed = store.write(async (tx) => {
      await tx.sync((rows) => standardOrg(rows));
      await tx.run("UPDATE meta SET value = '1' WHERE key = 'version'");
      const { pid } = (await tx.get<{ pid: number }>('SELECT pg_backend_pid() AS pid'))!;
      await killer.query('SELECT pg_terminate_backend($1)', [pid]);
      await tx.sync((rows) => rows.put('labels', { id: 'l1', name: 'late', color: 'red', createdAt: T0, version: 0 }));
    });
    await expect(doomed).rejects.toThrow();
    // the store still works, and nothing of the killed transaction is there
    expect(await store.rows.count('users', {})).toBe(0);
    expect(await store.rows.count('labels', {})).toBe(0);
    expect(await store.get('SELECT value FROM meta WHERE key = ?', ['version'])).toBeUndefined(); // its lock row too
    await store.write((tx) => tx.sync((rows) => standardOrg(rows)));
    expect(await store.rows.count('users', {})).toBe(5);
  });

  it('read() is one snapshot; values come back as SQLite gives them', async () => {
    const { store, another } = await freshStore();
    await store.write((tx) => tx.sync((rows) => standardOrg(rows)));
    const writer = another();
    const seen = await store.read(async (r) => {
      const before = (await r.rows.find('users', {})).length;
      await writer.write((tx) => tx.sync((rows) => rows.del('users', 'dave')));
      return { before, after: (await r.rows.find('users', {})).length, n: await r.get("SELECT count(*) AS n, 1.5::numeric AS x, count(*) > 1 AS many, '[1]'::jsonb AS j FROM users") };
    });
    expect(seen).toEqual({ before: 5, after: 5, n: { n: 5, x: 1.5, many: 1, j: '[1]' } });
    expect(await store.rows.count('users', {})).toBe(4);
    const raw = await store.get<Record<string, unknown>>("SELECT active, users.created_at, templates FROM users, groups WHERE users.id = 'alice' AND groups.id = 'sales'");
    expect(raw).toEqual({ active: 1, created_at: T0, templates: '[{"name":"hello","language":"en","body":"Hello from Parley"}]' });
  });
});

describe('SQLite’s rowid on PostgreSQL', () => {
  it('every table has a rowid: given at insert, kept by upserts, and the catch-up page query runs as is', async () => {
    const { store } = await freshStore();
    await store.write((tx) => tx.sync((rows) => standardOrg(rows)));
    const before = await store.all<{ id: string; rowid: number }>('SELECT id, rowid FROM users ORDER BY rowid');
    expect(before.map((u) => u.id)).toEqual(['admin', 'alice', 'bob', 'carol', 'dave']);
    await store.write((tx) => tx.sync((rows) => rows.put('users', { ...rows.get('users', 'alice')!, name: 'Alice', version: 3 })));
    expect(await store.all('SELECT id, rowid FROM users ORDER BY rowid')).toEqual(before);
    // server/sync/catchup.ts pages by (version, rowid) with exactly this SQL
    const page = await store.all<{ _rid: number; id: string; name: string }>(
      'SELECT rowid AS _rid, * FROM "users" WHERE version > ? AND (version, rowid) > (?, ?) ORDER BY version, rowid LIMIT ?', [0, 0, 0, 10]);
    expect(page.map((r) => [r.id, r.name, r._rid])).toEqual([['alice', 'Alice', before[1]!.rowid]]);
    const all = await store.all<{ _rid: number }>('SELECT rowid AS _rid, * FROM "users" WHERE rowid > ? ORDER BY rowid LIMIT ?', [before[2]!.rowid, 10]);
    expect(all.map((r) => r._rid)).toEqual([before[3]!.rowid, before[4]!.rowid]);
  });
});

describe('portable SQL', () => {
  it('`?` becomes $n outside literals, identifiers and comments; inline values are quoted', () => {
    expect(toPg(`SELECT '?', "a?b", E'it\\'s ?', x FROM t WHERE a = ? AND b = ? -- ?\n AND c = ? /* ? */`)).toBe(
      `SELECT '?', "a?b", E'it\\'s ?', x FROM t WHERE a = $1 AND b = $2 -- ?\n AND c = $3 /* ? */`,
    );
    expect(inline("UPDATE t SET a = ?, b = ?, c = ?, d = ? WHERE e = 'x?'", ["it's", 5, null, true])).toBe(
      "UPDATE t SET a = 'it''s', b = '5', c = NULL, d = '1' WHERE e = 'x?'",
    );
  });
});

// The cases both stores share (storeContract.ts), on PostgreSQL: the seam promises both behave the same.
storeContract('PostgresStore', async () => (await freshStore()).store);

describe('PostgresStore: deferred writes', () => {
  it('deferred writes travel with the COMMIT (one round trip fewer), are sent before any later read, and a failing one fails the write', async () => {
    const { store } = await freshStore();
    await store.write(async (tx) => void (await tx.sync((rows) => rows.put('groups', group('g0', 'Warm')))));
    const eager = store.lastWrite?.roundTrips ?? 0;
    await store.write(async (tx) => void (await tx.sync((rows) => rows.put('groups', group('g1', 'Sales')), { deferWrites: true })));
    expect(store.lastWrite?.roundTrips).toBe(eager - 1);
    expect((await store.rows.get('groups', 'g1'))?.name).toBe('Sales');

    // a later statement of the transaction sees them (they are sent first)
    const seen = await store.write(async (tx) => {
      await tx.sync((rows) => rows.put('groups', group('g2', 'Support')), { deferWrites: true });
      const r = await tx.get<{ name: string }>('SELECT name FROM groups WHERE id = ?', ['g2']);
      await tx.sync((rows) => rows.put('groups', { ...(rows.get('groups', 'g2') as RowOf<'groups'>), name: 'Support 2' }), { deferWrites: true });
      return r?.name;
    });
    expect(seen).toBe('Support');
    expect((await store.rows.get('groups', 'g2'))?.name).toBe('Support 2');

    // a deferred write that fails at COMMIT rolls the whole transaction back, and the store goes on
    await store.run("INSERT INTO meta (key, value) VALUES ('orgName', 'taken')");
    await expect(
      store.write(async (tx) => {
        await tx.sync((rows) => rows.put('groups', group('g3', 'Never')));
        await tx.sync((rows) => rows.exec("INSERT INTO meta (key, value) VALUES ('orgName', 'again')"), { deferWrites: true });
      }),
    ).rejects.toThrow(/duplicate key/);
    expect(await store.rows.get('groups', 'g3')).toBeUndefined();
    await store.write(async (tx) => void (await tx.sync((rows) => rows.put('groups', group('g4', 'After')), { deferWrites: true })));
    expect((await store.rows.get('groups', 'g4'))?.name).toBe('After');
  });
});

describe('PostgresStore and its pool', () => {
  it('reruns the whole write on a serialization failure or deadlock, after rolling the first attempt back', async () => {
    const { store } = await freshStore();
    let attempts = 0;
    const out = await store.write(async (tx) => {
      attempts++;
      await tx.sync((rows) => rows.put('labels', { id: `l${attempts}`, name: 'x', color: 'red', createdAt: T0, version: 0 }));
      if (attempts === 1) await tx.run("DO $$ BEGIN RAISE EXCEPTION 'conflict' USING ERRCODE = '40001'; END $$");
      if (attempts === 2) await tx.run("DO $$ BEGIN RAISE EXCEPTION 'deadlock' USING ERRCODE = '40P01'; END $$");
      return attempts;
    });
    expect(out).toBe(3);
    expect((await store.rows.find('labels', {})).map((l) => l.id)).toEqual(['l3']);
    // other errors are not retried
    let once = 0;
    await expect(store.write(async (tx) => {
      once++;
      await tx.run("DO $$ BEGIN RAISE EXCEPTION 'nope' USING ERRCODE = '23505'; END $$");
    })).rejects.toThrow('nope');
    expect(once).toBe(1);
  });

  it('queued writes hold no connection: a write can still read outside its transaction with a pool of 2', async () => {
    const db = await createTestDatabase();
    const store = new PostgresStore(db.url, { max: 2 });
    cleanups.push(async () => {
      await store.close();
      await db.drop();
    });
    const versions = await Promise.all(
      Array.from({ length: 6 }, () =>
        store.write(async (tx) => {
          // a read through the store (not the transaction) needs a second connection
          await store.get('SELECT 1 AS one');
          await tx.run("INSERT INTO meta (key, value) VALUES ('version', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value", [String(tx.version + 1)]);
          return tx.version + 1;
        }),
      ),
    );
    expect(versions).toEqual([1, 2, 3, 4, 5, 6]);
  });
});
