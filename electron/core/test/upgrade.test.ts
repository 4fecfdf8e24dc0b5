// Upgrades from real old data: every fixture in fixtures/upgrade/ was made by the code of an
// earlier release (scripts/upgrade-fixtures/make.ts). Each is opened with today's code and
// migrated in place; every row, index, trigger and search result must be as that release left
// it, and the outbox it left unsent must still push. Each release adds its own fixture.
import { afterEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { SqliteStore } from '../../../server/store/sqlite';
import { startRelay } from '../../../server/relay';
import { Replica } from '../db/replica';
import { appliedMigrations, shippedMigrations } from '../../../drizzle/migrations';
import { allFailures, recordFailure } from '../bridge/failures';
import { reportSla } from '../bridge/reportQueries';
import type { Group } from '../../../shared/schema';
import { newCore, settled, waitFor, type TestCore } from './harness';
import { tempDir } from './helpers';

interface TableDesc {
  columns: string[];
  count: number;
  sha256: string;
}
interface FileDesc {
  tables: Record<string, TableDesc>;
  indexes: string[];
  triggers: string[];
}
interface Manifest {
  release: string;
  amira: string;
  relay: FileDesc;
  client: FileDesc;
  outbox: { id: number; name: string }[];
  searches: Record<string, string[]>;
}

const root = 'fixtures/upgrade';
const releases = existsSync(root) ? readdirSync(root).sort() : [];

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

function unpack(release: string, file: string, to: string): void {
  mkdirSync(join(to, '..'), { recursive: true });
  writeFileSync(to, gunzipSync(readFileSync(join(root, release, `${file}.gz`))));
}

/** FTS5 shadow tables change on open (secure-delete is configured each time): checked by search instead. */
const ftsShadow = (t: string) => /_fts(_(config|data|docsize|idx|vocab))?$/.test(t);

/** The rows of every table the release had, under the columns it had, are exactly as it left them. */
function expectSame(db: Database.Database, was: FileDesc): void {
  const objects = db.prepare("SELECT type, name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'").all() as { type: string; name: string }[];
  const names = new Set(objects.map((o) => o.name));
  for (const [table, d] of Object.entries(was.tables)) {
    expect(names.has(table), `table ${table} is still there`).toBe(true);
    if (ftsShadow(table)) continue;
    const cols = d.columns.map((c) => `"${c}"`).join(', ');
    const rows = db.prepare(`SELECT ${cols} FROM "${table}" ORDER BY ${cols}`).raw().all();
    expect(rows.length, `rows of ${table}`).toBe(d.count);
    expect(createHash('sha256').update(JSON.stringify(rows)).digest('hex'), `contents of ${table}`).toBe(d.sha256);
  }
  for (const i of was.indexes) expect(names.has(i), `index ${i}`).toBe(true);
  for (const t of was.triggers) expect(names.has(t), `trigger ${t}`).toBe(true);
}

describe.each(releases)('upgrading what Parley %s left on disk', (release) => {
  const manifest = JSON.parse(readFileSync(join(root, release, 'manifest.json'), 'utf8')) as Manifest;

  it('the relay database migrates in place: every row, index and trigger kept', async () => {
    const dir = tempDir('parley-upgrade-relay-');
    unpack(release, 'relay/relay.sqlite', join(dir, 'relay.sqlite'));
    const store = SqliteStore.open(dir);
    const db = store.sqlite;
    try {
      expect(appliedMigrations(db).map((m) => m.hash)).toEqual(shippedMigrations('drizzle/server').map((m) => m.sha256));
      expectSame(db, manifest.relay);
    } finally {
      await store.close();
    }
  });

  it('the replica migrates in place: rows, failures, outbox, indexes, triggers and search results kept', async () => {
    const dir = tempDir('parley-upgrade-client-');
    const path = join(dir, 'replicas', `${manifest.amira.replace(/[^A-Za-z0-9_-]/g, '_')}.sqlite`);
    unpack(release, 'client/replica.sqlite', path);
    const replica = Replica.open(path);
    expect(appliedMigrations(replica.db).map((m) => m.hash)).toEqual(shippedMigrations('drizzle/client').map((m) => m.sha256));
    expectSame(replica.db, manifest.client);
    const meta = replica.meta()!;
    replica.close();
    await replica.whenClosed();
    // the app starts on it offline (its relay is gone): search answers as the old release did
    writeFileSync(join(dir, 'session.json'), JSON.stringify({ userId: manifest.amira, name: 'Amira Khan', email: 'amira@parley.test', role: 'agent', relayUrl: meta.relayUrl }));
    writeFileSync(join(dir, 'secrets.json'), JSON.stringify({ 'parley.refreshToken': 'from-the-old-release' }));
    const core: TestCore = newCore(dir);
    cleanup.push(() => core.close());
    await core.start();
    expect(await core.query('session', {})).toMatchObject({ email: 'amira@parley.test' });
    for (const [q, hits] of Object.entries(manifest.searches)) {
      expect((await core.query('search', { q, limit: 30 })).map((h) => JSON.stringify(h)).sort(), `search ${q}`).toEqual(hits);
    }
    expect(await core.query('failures', {})).toHaveLength(manifest.client.tables.failures?.count ?? 0);
    expect((await core.query('syncStatus', {})).pending).toBe(manifest.outbox.length);
  });

  it('the upgraded client pushes its old outbox to the upgraded relay', async () => {
    const relayDir = tempDir('parley-upgrade-relay-');
    unpack(release, 'relay/relay.sqlite', join(relayDir, 'relay.sqlite'));
    const relay = await startRelay({ dataDir: relayDir, port: 0, seed: 'demo', log: () => undefined });
    cleanup.push(() => relay.close());
    const dir = tempDir('parley-upgrade-client-');
    const path = join(dir, 'replicas', `${manifest.amira.replace(/[^A-Za-z0-9_-]/g, '_')}.sqlite`);
    unpack(release, 'client/replica.sqlite', path);
    // the same relay, at the address this test gave it
    const db = new Database(path);
    db.prepare('UPDATE meta SET relay_url = ?').run(relay.httpUrl);
    db.close();
    const core: TestCore = newCore(dir);
    cleanup.push(() => core.close());
    await core.command('signIn', { relayUrl: relay.httpUrl, email: 'amira@parley.test', password: 'parley-demo' });
    await settled(core, 60_000);
    const store = relay.services.engine.store.rows;
    expect((await store.find('contacts', { phone: '+447700900903' }))).toMatchObject([{ name: 'Pending Contact' }]);
    expect((await store.find('notes', {})).some((n) => n.body === 'papaya pending note (fixture)')).toBe(true);
    expect((await store.find('messages', {})).some((m) => m.body === 'pending reply from the fixture')).toBe(true);
    await waitFor(async () => (await core.query('search', { q: 'papaya', limit: 30 })).length === 1, 'the pushed note still found');
    expect(await core.query('failures', {})).toHaveLength(manifest.client.tables.failures?.count ?? 0);
  });
});

/** drizzle/client as it was before `tag`: a replica migrated with it is at the previous migration. */
function migrationsBefore(tag: string): string {
  const to = join(tempDir('parley-migrations-'), 'client');
  cpSync('drizzle/client', to, { recursive: true });
  const journalPath = join(to, 'meta/_journal.json');
  const journal = JSON.parse(readFileSync(journalPath, 'utf8')) as { entries: { tag: string }[] };
  const at = journal.entries.findIndex((e) => e.tag === tag);
  expect(at, `${tag} is shipped`).toBeGreaterThan(0);
  for (const e of journal.entries.splice(at)) rmSync(join(to, `${e.tag}.sql`));
  writeFileSync(journalPath, JSON.stringify(journal));
  return to;
}

describe('a replica from before 0016_failure_ids (failures named by mutation id)', () => {
  it('keeps every failure, each now with its own id, listed and dismissable', async () => {
    const dir = tempDir('parley-upgrade-client-');
    const userId = 'user-amira';
    const path = join(dir, 'replicas', `${userId}.sqlite`);
    mkdirSync(join(dir, 'replicas'), { recursive: true });
    const clientId = '0192f5e0-0000-7000-8000-00000000000b';
    const old = Replica.open(path, migrationsBefore('0016_failure_ids'));
    const cols = (old.db.prepare('SELECT name, pk FROM pragma_table_info(?)').all('failures') as { name: string; pk: number }[]);
    expect(cols.filter((c) => c.pk).map((c) => c.name)).toEqual(['mutation_id']); // the old key
    old.db.prepare("INSERT INTO meta (id, client_id, user_id, relay_url, role, cookie, next_mutation_id) VALUES (1, ?, ?, 'http://127.0.0.1:9', 'agent', NULL, 3)").run(clientId, userId);
    const insert = old.db.prepare('INSERT INTO failures (mutation_id, name, args, code, message, at, target_id, dismissed) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
    // this client's mutation 2, refused; mutation 7 of an earlier client id (kept when the
    // relay lost this device's history: this client has not reached 7); one dismissed
    insert.run(2, 'addNote', JSON.stringify({ conversationId: 'conv-1', body: 'mine' }), 'forbidden', 'You may not do that.', 2_000, 'conv-1', 0);
    insert.run(7, 'sendMessage', JSON.stringify({ conversationId: 'conv-2', body: 'earlier' }), 'opted_out', 'The contact opted out.', 1_000, 'conv-2', 0);
    insert.run(1, 'markRead', JSON.stringify({ targetId: 'conv-1', at: 1 }), 'not_found', 'Not found.', 3_000, 'conv-1', 1);
    const before = old.db.prepare('SELECT * FROM failures ORDER BY mutation_id').all();
    old.close();
    await old.whenClosed();

    const replica = Replica.open(path);
    expect(appliedMigrations(replica.db).map((m) => m.hash)).toEqual(shippedMigrations('drizzle/client').map((m) => m.sha256));
    const rows = replica.db.prepare('SELECT * FROM failures ORDER BY id').all() as { id: number; client_id: string; mutation_id: number; dismissed: number }[];
    // every row and column kept; ids in the order the refusals were recorded
    expect(rows.map(({ id: _id, client_id: _c, ...r }) => r).sort((a, b) => a.mutation_id - b.mutation_id)).toEqual(before);
    expect(rows.map((r) => [r.id, r.mutation_id, r.client_id])).toEqual([[1, 7, ''], [2, 2, clientId], [3, 1, clientId]]);
    replica.close();
    await replica.whenClosed();

    // the app opens it (offline: its relay is gone) and lists, then dismisses, by the failure's id
    writeFileSync(join(dir, 'session.json'), JSON.stringify({ userId, name: 'Amira Khan', email: 'amira@parley.test', role: 'agent', relayUrl: 'http://127.0.0.1:9' }));
    writeFileSync(join(dir, 'secrets.json'), JSON.stringify({ 'parley.refreshToken': 'from-the-old-release' }));
    const core: TestCore = newCore(dir);
    cleanup.push(() => core.close());
    await core.start();
    expect((await core.query('failures', {})).map((f) => [f.id, f.mutationId, f.targetId])).toEqual([[2, 2, 'conv-1'], [1, 7, 'conv-2']]);
    await core.command('dismissFailure', { id: 1 });
    expect((await core.query('failures', {})).map((f) => f.id)).toEqual([2]);

    // recorded again, this client's refusal updates its row; its mutation 7 will be a new one
    const db = core.impl.current!.replica.db;
    recordFailure(db, { mutationId: 2, name: 'addNote', args: { conversationId: 'conv-1', body: 'mine' }, code: 'forbidden', message: 'Still not.', at: 4_000, targetId: 'conv-1' });
    recordFailure(db, { mutationId: 7, name: 'addNote', args: { conversationId: 'conv-3', body: 'later' }, code: 'forbidden', message: 'Not this one.', at: 5_000, targetId: 'conv-3' });
    const [later, mine] = allFailures(db);
    expect([later?.mutationId, later?.message, mine?.id, mine?.mutationId, mine?.message]).toEqual([7, 'Not this one.', 2, 2, 'Still not.']);
    expect(later!.id).toBeGreaterThan(3); // a new id, past every id given before
    expect((db.prepare('SELECT count(*) AS n FROM failures').get() as { n: number }).n).toBe(4);
  });
});

describe('a replica from before 0017_sla_history (reports judged by the current target)', () => {
  it('keeps each group\'s target and hours with an empty history: its past is judged by that target, as before', async () => {
    const dir = tempDir('parley-upgrade-client-');
    const path = join(dir, 'replica.sqlite');
    const old = Replica.open(path, migrationsBefore('0017_sla_history'));
    const cols = (old.db.prepare('SELECT name FROM pragma_table_info(?)').all('groups') as { name: string }[]).map((c) => c.name);
    expect(cols).not.toContain('sla_history');
    const hours = { tz: 'Europe/London', days: { mon: ['09:00', '17:30'] } };
    old.db
      .prepare(
        `INSERT INTO groups (id, name, sms_number, whatsapp_number, templates, created_at, payment_instructions, channel_providers, auto_assign, auto_assign_capacity, auto_assign_last, sla_first_response_minutes, business_hours, version)
         VALUES (?, ?, NULL, NULL, '[]', 0, '', '{"sms":"simulator","whatsapp":"simulator"}', 'off', 5, NULL, ?, ?, 1)`,
      )
      .run('sales', 'Sales', 30, JSON.stringify(hours));
    old.db.prepare("INSERT INTO users (id, name, email, role, active, created_at, accepting, version) VALUES ('u1', 'Amira', 'a@x', 'agent', 1, 0, 1, 1)").run();
    // Monday 8 June 2026 09:00 London: written, answered 20 minutes later
    const at = Date.UTC(2026, 5, 8, 8);
    old.db.prepare("INSERT INTO conversations (id, contact_id, group_id, channel, status, assignees, created_at, opened_at, last_activity_at, last_preview, visibility_version, version) VALUES ('c1', 'k1', 'sales', 'sms', 'open', '[]', ?, ?, ?, '', 1, 1)").run(at, at, at);
    const message = old.db.prepare("INSERT INTO messages (id, conversation_id, direction, channel, body, author_id, status, segments, attachments, created_at, version) VALUES (?, 'c1', ?, 'sms', 'text', ?, 'delivered', 1, '[]', ?, 1)");
    message.run('m1', 'inbound', null, at);
    message.run('m2', 'outbound', 'u1', at + 20 * 60_000);
    old.close();
    await old.whenClosed();

    const replica = Replica.open(path);
    try {
      expect(appliedMigrations(replica.db).map((m) => m.hash)).toEqual(shippedMigrations('drizzle/client').map((m) => m.sha256));
      expect(replica.store.get('groups', 'sales')).toMatchObject({ slaFirstResponseMinutes: 30, businessHours: hours, slaHistory: [] });
      const r = reportSla(replica.db, { from: at - 86_400_000, to: at + 86_400_000, tzOffsetMinutes: 0 }, at + 3_600_000);
      expect(r.byGroup).toEqual([{ id: 'sales', name: 'Sales', targets: [30], met: 1, missed: 0, pending: 0, share: 1 }]);
      // a group row from a relay that predates the column (no slaHistory) takes the empty history
      const { slaHistory: _h, ...fromOlderRelay } = replica.store.get('groups', 'sales')!;
      // as a poke's row arrives (pokes carry untyped rows): without the column
      replica.store.put('groups', { ...fromOlderRelay, name: 'Sales UK' } as Group);
      expect(replica.store.get('groups', 'sales')).toMatchObject({ name: 'Sales UK', slaHistory: [] });
    } finally {
      replica.close();
      await replica.whenClosed();
    }
  });
});
