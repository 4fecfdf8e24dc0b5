// A ready organisation for tests: a relay on a random port in a temp directory, two
// groups and five users (one deactivated). Used by every area's integration tests.
import { mkdtempSync, rmSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Group, User, WhatsAppTemplate } from '../shared/schema';
import { levelFromEnv } from './log';
import { startRelay, type Relay, type RelayOptions } from './relay';
import { createTestDatabase, type TestDatabase } from './store/testDatabase';

export interface TestOrg {
  relay: Relay;
  /** every test user's password */
  password: string;
  groups: { sales: Group; support: Group };
  /** admin, member of both groups */
  admin: User;
  /** agents in sales */
  alice: User;
  bob: User;
  /** agent in support only */
  carol: User;
  /** deactivated agent (was in sales) */
  dave: User;
  login(email: string): Promise<{ accessToken: string; refreshToken: string }>;
}

export const TEST_PASSWORD = 'correct horse battery';

export async function login(httpUrl: string, email: string, password: string): Promise<{ accessToken: string; refreshToken: string; user: { id: string } }> {
  const res = await fetch(`${httpUrl}/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) });
  if (!res.ok) throw new Error(`login ${email}: ${res.status} ${await res.text()}`);
  return (await res.json()) as { accessToken: string; refreshToken: string; user: { id: string } };
}

export interface TestRelayOptions extends Partial<RelayOptions> {
  /** approved WhatsApp templates given to both test groups (default: none) */
  templates?: WhatsAppTemplate[];
}

/** The store relay tests run on: PARLEY_TEST_STORE=postgres, else the SQLite file. */
export const testStore: 'sqlite' | 'postgres' = process.env.PARLEY_TEST_STORE === 'postgres' ? 'postgres' : 'sqlite';

// With PARLEY_TEST_STORE=postgres, each data dir made by a test gets its own fresh database
// (server/store/testDatabase.ts), so a relay restarted on the same dataDir finds its data again.
const databases = new Map<string, TestDatabase>();

/** The PostgreSQL database of a test data dir (made on first use), or undefined on SQLite. */
export async function testDatabaseUrl(dataDir: string): Promise<string | undefined> {
  if (testStore !== 'postgres') return undefined;
  let db = databases.get(dataDir);
  if (!db) {
    db = await createTestDatabase();
    databases.set(dataDir, db);
  }
  return db.url;
}

// a test that gave its own dataDir (restarts) leaves its database to the end of its file
if (testStore === 'postgres' && process.env.VITEST) {
  const { afterAll } = await import('vitest');
  afterAll(async () => {
    for (const dir of [...databases.keys()]) await dropTestDatabase(dir);
  });
}

/** Drops the data dir's test database (PostgreSQL), if any. */
export async function dropTestDatabase(dataDir: string): Promise<void> {
  const db = databases.get(dataDir);
  if (!db) return;
  databases.delete(dataDir);
  await db.drop();
}

/**
 * Temp dataDir (removed at close unless given), port 0, seed 'none'. On PARLEY_TEST_STORE=postgres
 * a fresh database per data dir (dropped when a relay on its own temp dir closes; a given dataDir
 * keeps its database across restarts until `dropTestDatabase(dataDir)`).
 */
export async function startTestRelay(options: TestRelayOptions = {}): Promise<TestOrg> {
  const { templates, ...opts } = options;
  const ownDir = !opts.dataDir;
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'parley-relay-'));
  const databaseUrl = opts.databaseUrl ?? (await testDatabaseUrl(dataDir));
  // tests log warnings and errors only, unless PARLEY_LOG_LEVEL says otherwise
  // PARLEY_TEST_NATS=nats://…: the relay runs as one of a cluster (alone on its own subjects)
  const nats = process.env.PARLEY_TEST_NATS ? { natsUrl: process.env.PARLEY_TEST_NATS, orgKey: `test-${randomUUID()}` } : {};
  const relay = await startRelay({ seed: 'none', port: 0, logLevel: levelFromEnv('warn'), ...nats, ...opts, dataDir, databaseUrl });
  const existing = (await relay.services.engine.store.rows.find('users', { email: 'admin@test.parley' }))[0];
  const org = existing ? await reopen(relay) : await populate(relay);
  if (templates) org.groups = await withTemplates(relay, org.groups, templates);
  if (ownDir) {
    const close = relay.close.bind(relay);
    relay.close = async () => {
      await close();
      await dropTestDatabase(dataDir);
      rmSync(dataDir, { recursive: true, force: true, maxRetries: 5 });
    };
  }
  return { relay, password: TEST_PASSWORD, ...org, login: (email) => login(relay.httpUrl, email, TEST_PASSWORD) };
}

async function withTemplates(relay: Relay, groups: People['groups'], templates: WhatsAppTemplate[]): Promise<People['groups']> {
  const engine = relay.services.engine;
  await engine.write((tx) => {
    for (const g of Object.values(groups)) tx.put('groups', { ...g, templates });
  });
  const reread = async (g: Group) => (await engine.store.rows.get('groups', g.id)) as Group;
  return { sales: await reread(groups.sales), support: await reread(groups.support) };
}

type People = Omit<TestOrg, 'relay' | 'password' | 'login'>;

async function populate(relay: Relay): Promise<People> {
  const a = relay.admin;
  const sales = await a.createGroup({ name: 'Sales', smsNumber: '+447700900001', whatsappNumber: '+447700900002', simulated: true });
  const support = await a.createGroup({ name: 'Support', smsNumber: '+447700900003', whatsappNumber: '+447700900004', simulated: true });
  const mk = (name: string, role: 'admin' | 'agent', groupIds: string[]) =>
    a.createUser({ email: `${name.toLowerCase()}@test.parley`, name, role, password: TEST_PASSWORD, groupIds });
  const admin = await mk('Admin', 'admin', [sales.id, support.id]);
  const alice = await mk('Alice', 'agent', [sales.id]);
  const bob = await mk('Bob', 'agent', [sales.id]);
  const carol = await mk('Carol', 'agent', [support.id]);
  const daveActive = await mk('Dave', 'agent', [sales.id]);
  await a.deactivateUser(daveActive.id);
  const store = relay.services.engine.store.rows;
  const dave = (await store.get('users', daveActive.id)) as User;
  return { groups: { sales: (await store.get('groups', sales.id)) as Group, support: (await store.get('groups', support.id)) as Group }, admin, alice, bob, carol, dave };
}

/** The same organisation after a restart on the same dataDir. */
async function reopen(relay: Relay): Promise<People> {
  const store = relay.services.engine.store.rows;
  const user = async (name: string) => (await store.find('users', { email: `${name}@test.parley` }))[0] as User;
  const group = async (name: string) => (await store.find('groups', { name }))[0] as Group;
  return {
    groups: { sales: await group('Sales'), support: await group('Support') },
    admin: await user('admin'), alice: await user('alice'), bob: await user('bob'), carol: await user('carol'), dave: await user('dave'),
  };
}
