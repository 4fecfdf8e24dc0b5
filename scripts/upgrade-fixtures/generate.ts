// Makes an upgrade fixture WITH THE CODE OF AN OLDER RELEASE: `make.ts` copies this file into
// a worktree of that release and runs it there, so it may only use APIs that release had
// (startRelay, createCore, the Bridge's signIn/query/mutate). It writes:
//   relay/relay.sqlite      the demo organisation plus extra rows (inbound text, notes, a contact)
//   client/replica.sqlite   Amira's replica: FTS rows, one relay refusal (failure), and pending
//                           outbox entries written offline (never pushed)
//   manifest.json           what the upgrade test checks after migrating: row counts and hashes of
//                           every table, indexes and triggers, search results, the outbox
// Usage (inside the worktree): tsx scripts/upgrade-fixtures/generate.ts OUT_DIR
import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { uuidv7 } from 'uuidv7';
import { startRelay } from '../../server/relay';
import { createCore, FileSecretStore } from '../../electron/core/index';

const out = process.argv[2];
if (!out) throw new Error('usage: generate OUT_DIR');
const work = mkdtempSync(join(tmpdir(), 'parley-fixture-'));
const relayDir = join(work, 'relay');
const clientDir = join(work, 'client');

async function until(cond: () => Promise<boolean> | boolean, what: string, ms = 60_000): Promise<void> {
  const start = Date.now();
  while (!(await cond())) {
    if (Date.now() - start > ms) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

type CoreT = ReturnType<typeof createCore>;
const newCore = (): CoreT => createCore({ dataDir: clientDir, secretStore: new FileSecretStore(join(clientDir, 'secrets.json')) });
const settled = (c: CoreT) =>
  until(async () => {
    const s = await c.query('syncStatus', {});
    return s.state === 'online' && s.pending === 0;
  }, 'settled');
const offline = (c: CoreT) => until(async () => (await c.query('syncStatus', {})).state === 'offline', 'offline');

let relay = await startRelay({ dataDir: relayDir, seed: 'demo', port: 0 });
const port = relay.port;
const engine = () => relay.services.engine;
const sales = (await engine().store.rows.find('groups', { name: 'Sales' }))[0]!;
const admin = (await engine().store.rows.find('users', { email: 'admin@parley.test' }))[0]!;
const ben = (await engine().store.rows.find('users', { email: 'ben@parley.test' }))[0]!;
await relay.simulator.inbound({ groupId: sales.id, from: '+447700900901', body: 'Do you ship to zanzibar? fixture inbound' });

// Amira online: notes and a contact
let core = newCore();
await core.command('signIn', { relayUrl: relay.httpUrl, email: 'amira@parley.test', password: 'parley-demo' });
await settled(core);
const amira = core.impl.current!.replica.store.find('users', { email: 'amira@parley.test' })[0]!;
const open = core.impl.current!.replica.store.find('conversations', { groupId: sales.id, status: 'open', visibleTo: null });
const [c1, c2] = open;
if (!c1 || !c2) throw new Error('the demo has no open unrestricted Sales conversations');
await core.mutate('addNote', { id: uuidv7(), conversationId: c2.id, body: 'kumquat delivery confirmed (fixture note)' });
await core.mutate('createContact', { id: uuidv7(), name: 'Fixture Contact', phone: '+447700900902', notes: 'made by the fixture' });
await settled(core);
await core.close();

// A real relay refusal: c1 is restricted away from Amira while she writes into it offline
await engine().runAs({ userId: admin.id, role: 'admin' }, 'manageConversation', { conversationId: c1.id, visibleTo: [ben.id], assignees: [], baseVisibilityVersion: c1.visibilityVersion });
await relay.close();
core = newCore();
await core.start();
await offline(core);
await core.mutate('addNote', { id: uuidv7(), conversationId: c1.id, body: 'written offline into a conversation restricted meanwhile' });
await core.close();
relay = await startRelay({ dataDir: relayDir, seed: 'demo', port });
core = newCore();
await core.start();
await settled(core);
await until(async () => (await core.query('failures', {})).length === 1, 'the refusal');
await core.close();
await relay.close();

// Pending outbox entries, written offline and never pushed
core = newCore();
await core.start();
await offline(core);
const pending = [
  await core.mutate('addNote', { id: uuidv7(), conversationId: c2.id, body: 'papaya pending note (fixture)' }),
  await core.mutate('sendMessage', { id: uuidv7(), conversationId: c2.id, contactId: c2.contactId, groupId: c2.groupId, channel: c2.channel, body: 'pending reply from the fixture' }),
  await core.mutate('createContact', { id: uuidv7(), name: 'Pending Contact', phone: '+447700900903' }),
  await core.mutate('markRead', { targetId: c2.id, at: Date.now() }),
];
if (!pending.every((p) => p.ok)) throw new Error(`a pending mutation was refused locally: ${JSON.stringify(pending)}`);
const searches: Record<string, string[]> = {};
for (const q of ['zanzibar', 'kumquat', 'papaya', 'Fixture Contact']) searches[q] = (await core.query('search', { q, limit: 30 })).map((h) => JSON.stringify(h)).sort();
await core.close();

// ---- the manifest, read straight from the files ----
function describe(path: string) {
  const db = new Database(path);
  db.pragma('wal_checkpoint(TRUNCATE)');
  const objects = db.prepare("SELECT type, name, tbl_name AS tbl FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name").all() as { type: string; name: string; tbl: string }[];
  const tables: Record<string, { columns: string[]; count: number; sha256: string }> = {};
  for (const t of objects.filter((o) => o.type === 'table' && o.name !== '__drizzle_migrations')) {
    const columns = (db.prepare(`PRAGMA table_info("${t.name}")`).all() as { name: string }[]).map((c) => c.name);
    const rows = db.prepare(`SELECT ${columns.map((c) => `"${c}"`).join(', ')} FROM "${t.name}" ORDER BY ${columns.map((c) => `"${c}"`).join(', ')}`).raw().all();
    tables[t.name] = { columns, count: rows.length, sha256: createHash('sha256').update(JSON.stringify(rows)).digest('hex') };
  }
  db.close();
  return { tables, indexes: objects.filter((o) => o.type === 'index').map((o) => o.name), triggers: objects.filter((o) => o.type === 'trigger').map((o) => o.name) };
}

const replicaFile = readdirSync(join(clientDir, 'replicas')).find((f) => f.endsWith('.sqlite'))!;
mkdirSync(join(out, 'relay'), { recursive: true });
mkdirSync(join(out, 'client'), { recursive: true });
const relayDesc = describe(join(relayDir, 'relay.sqlite'));
const clientDesc = describe(join(clientDir, 'replicas', replicaFile));
copyFileSync(join(relayDir, 'relay.sqlite'), join(out, 'relay/relay.sqlite'));
copyFileSync(join(clientDir, 'replicas', replicaFile), join(out, 'client/replica.sqlite'));
const outbox = new Database(join(out, 'client/replica.sqlite'), { readonly: true });
const outboxRows = outbox.prepare('SELECT id, name FROM outbox ORDER BY id').all();
outbox.close();
writeFileSync(
  join(out, 'manifest.json'),
  JSON.stringify({ madeAt: new Date().toISOString(), amira: amira.id, salesGroupId: sales.id, restrictedConversationId: c1.id, relay: relayDesc, client: clientDesc, outbox: outboxRows, searches }, null, 1) + '\n',
);
console.log(`fixture written to ${out}`);
