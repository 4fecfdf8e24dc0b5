// The randomized convergence scenario across a cluster (issue 15): two relay PROCESSES (the CLI,
// `--seed demo`) on one fresh PostgreSQL database and NATS, real client cores each behind its
// own loopback proxy (a load balancer without stickiness: it forwards to relay A or B and is
// retargeted when its relay dies or comes back). Random mutations, inbound messages on either
// relay, offline periods and dropped connections; mid-run a relay is SIGKILLed (its clients
// move to the other) and restarted (some move back), then the other one. At quiescence every
// replica equals its user's visible set computed from the database, every acknowledged
// mutation is there exactly once, and no refused one was applied.
import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { uuidv7 } from 'uuidv7';
import { RowStore } from '../../../shared/store/rowStore';
import { SqliteStore } from '../../../server/store/sqlite';
import { openPostgresStore, type PostgresStore } from '../../../server/store/postgres';
import { createTestDatabase, type TestDatabase } from '../../../server/store/testDatabase';
import { RelayProcess } from '../../../server/cluster/test/relayProcess';
import { DEMO_PASSWORD } from '../../../server/seed/demo';
import { login } from '../../../server/testing';
import { newCore, waitFor, type TestCore } from './harness';
import { tempDir } from './helpers';
import { checkCreated, randomStep, seeded, stepTable, type Created, type StepWorld } from './randomSteps';
import { RelayProxy } from './relayProxy';
import { allRows, checkLocalIndexes, diffReplica, type RowSource } from './visibleSet';

const NATS = process.env.PARLEY_TEST_NATS_URL ?? 'nats://127.0.0.1:4222';

interface Actor {
  name: string;
  userId: string;
  core: TestCore;
  proxy: RelayProxy;
  /** index of the relay its proxy forwards to */
  on: number;
  offline: boolean;
  /** mutation ids this client's proxy forwarded to a relay in push frames */
  forwarded: Set<number>;
}

export interface ClusterScenarioOptions {
  ops?: number;
  log?: (s: string) => void;
}

export interface ClusterScenarioReport {
  kills: number;
  moves: number;
  acknowledged: number;
  created: number;
  /** pushes the victim had received when it was killed */
  inFlightAtKill: number;
}

/**
 * A consistent copy of the organisation's database (one PostgreSQL snapshot) in a SQLite file
 * with the relay's schema, so the oracle of visibleSet.ts reads it as it reads a relay's file.
 * Values come from the store's Sql already SQLite-shaped (server/store/types.ts).
 */
async function snapshot(pg: PostgresStore): Promise<RowSource & { close(): void }> {
  const dir = tempDir('parley-snap-');
  const lite = SqliteStore.open(dir);
  await lite.close();
  const db = new Database(`${dir}/relay.sqlite`);
  const liteTables = new Set((db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).all() as { name: string }[]).map((r) => r.name));
  const columnsOf = (t: string) => new Set((db.prepare(`SELECT name FROM pragma_table_info(?)`).all(t) as { name: string }[]).map((r) => r.name));
  const dump = await pg.read(async (r) => {
    const tables = (await r.all<{ tablename: string }>(`SELECT tablename FROM pg_tables WHERE schemaname = current_schema()`)).map((x) => x.tablename).filter((t) => liteTables.has(t));
    const out: [string, Record<string, unknown>[]][] = [];
    for (const t of tables) out.push([t, await r.all(`SELECT * FROM "${t}"`)]);
    return out;
  });
  db.transaction(() => {
    for (const [t, rows] of dump) {
      const cols = columnsOf(t);
      db.prepare(`DELETE FROM "${t}"`).run();
      for (const row of rows) {
        const keys = Object.keys(row).filter((k) => cols.has(k));
        db.prepare(`INSERT INTO "${t}" (${keys.map((k) => `"${k}"`).join(', ')}) VALUES (${keys.map(() => '?').join(', ')})`).run(...keys.map((k) => row[k]));
      }
    }
  })();
  return {
    db,
    store: new RowStore(db),
    close: () => {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function runClusterScenario(seed: number, o: ClusterScenarioOptions = {}): Promise<ClusterScenarioReport> {
  const random = seeded(seed);
  const { rnd, pick } = random;
  const log = o.log ?? (() => undefined);
  const ops = o.ops ?? 60;
  const database: TestDatabase = await createTestDatabase();
  const orgKey = `kill-${seed}-${randomUUID()}`;
  const dirs = [tempDir('parley-relay-a-'), tempDir('parley-relay-b-')];
  const relayLog = (which: string) => (line: string) => log(`relay ${which}: ${line}`);
  const start = (i: number) => RelayProcess.start({ dataDir: dirs[i] as string, databaseUrl: database.url, natsUrl: NATS, orgKey, seed: 'demo', onLog: relayLog('AB'[i] as string) });
  const relays: (RelayProcess | null)[] = [null, null];
  const actors: Actor[] = [];
  let pg: PostgresStore | undefined;
  const report: ClusterScenarioReport = { kills: 0, moves: 0, acknowledged: 0, created: 0, inFlightAtKill: 0 };
  try {
    // the second relay finds the organisation the first seeded
    relays[0] = await start(0);
    relays[1] = await start(1);
    pg = await openPostgresStore(database.url);
    const port = (i: number) => (relays[i] as RelayProcess).port;
    const live = () => [0, 1].filter((i) => relays[i]?.alive);

    const org0 = await snapshot(pg);
    const groups = allRows(org0, 'groups');
    const users = allRows(org0, 'users');
    const memberships = allRows(org0, 'memberships');
    org0.close();
    const members = (gid: string) => memberships.filter((m) => m.groupId === gid && users.find((u) => u.id === m.userId)?.active).map((m) => m.userId);
    const adminToken = new Map<number, string>();
    const inbound = async (groupId: string, from: string, body: string) => {
      const i = pick(live());
      const url = `http://127.0.0.1:${port(i)}`;
      if (!adminToken.has(i)) adminToken.set(i, (await login(url, 'admin@parley.test', DEMO_PASSWORD)).accessToken);
      const res = await fetch(`${url}/simulator/inbound`, { method: 'POST', headers: { authorization: `Bearer ${adminToken.get(i)}`, 'content-type': 'application/json' }, body: JSON.stringify({ groupId, from, body }) });
      if (res.status !== 202) throw new Error(`inbound on relay ${'AB'[i]}: ${res.status} ${await res.text()}`);
    };

    // two devices of ben: one user on both relays at once
    const names = ['admin', 'amira', 'ben', 'chloe', 'ben'];
    for (const [k, n] of names.entries()) {
      const on = k % 2;
      const proxy = new RelayProxy({ host: '127.0.0.1', port: port(on) });
      const url = await proxy.listen();
      const core = newCore();
      await core.command('signIn', { relayUrl: url, email: `${n}@parley.test`, password: DEMO_PASSWORD });
      const forwarded = new Set<number>();
      proxy.hooks.up = (frame) => {
        if (frame.type === 'push') for (const m of frame.mutations as { id: number }[]) forwarded.add(m.id);
        return frame;
      };
      actors.push({ name: `${n}${k === 4 ? '#2' : ''}`, userId: (await core.query('session', {}))!.userId, core, proxy, on, offline: false, forwarded });
    }
    /** points an actor's proxy at relay `to` and cuts its sockets: the core reconnects there with its cookie */
    const move = (a: Actor, to: number) => {
      a.on = to;
      a.proxy.retarget(port(to));
      a.proxy.cutAll();
      report.moves++;
      log(`${a.name} → relay ${'AB'[to]}`);
    };

    const created: Created<Actor>[] = [];
    const world: StepWorld<Actor> = {
      ...random,
      actors,
      groupIds: () => groups.map((g) => g.id),
      members,
      inbound,
      label: (a) => `${a.name}@${'AB'[a.on]}`,
      log,
      created,
      unarchived: new Set(),
    };
    const steps = stepTable<Actor>({ inbound: 14, sendMessage: 16, addNote: 12, manageConversation: 10, archive: 8, deleteConversation: 2, createInvoice: 5, payOrVoidInvoice: 4, markRead: 4, updateContact: 5, toggleOffline: 8, dropConnection: 8 });
    // the kill schedule: A dies, comes back, then B dies, comes back
    const victimFirst = Math.floor(rnd() * 2);
    const schedule = new Map<number, { kill?: number; restart?: number }>([
      [Math.floor(ops * 0.25), { kill: victimFirst }],
      [Math.floor(ops * 0.45), { restart: victimFirst }],
      [Math.floor(ops * 0.6), { kill: 1 - victimFirst }],
      [Math.floor(ops * 0.8), { restart: 1 - victimFirst }],
    ]);

    for (let step = 0; step < ops; step++) {
      const event = schedule.get(step);
      if (event?.kill !== undefined) {
        const i = event.kill;
        // mid-push: each online client of the victim adds a note, and the relay dies once the
        // notes' pushes reached it (committed and unacknowledged, or not committed: either way
        // the retry on the other relay must apply each exactly once)
        const burst: { a: Actor; mutationId: number }[] = [];
        for (const a of actors.filter((x) => x.on === i && !x.offline)) {
          const conv = a.core.impl.current!.replica.store.find('conversations', {})[0];
          if (!conv) continue;
          const id = uuidv7();
          const res = await a.core.mutate('addNote', { id, conversationId: conv.id, body: `note burst ${step} ${a.name}` });
          if (!res.ok) continue;
          created.push({ actor: a, mutationId: res.mutationId, table: 'notes', id });
          burst.push({ a, mutationId: res.mutationId });
        }
        await waitFor(() => burst.every((b) => b.a.forwarded.has(b.mutationId)), 'burst pushes to reach the victim');
        report.inFlightAtKill += burst.length;
        log(`${step} kill -9 relay ${'AB'[i]} (${burst.length} pushes in flight)`);
        await (relays[i] as RelayProcess).kill();
        report.kills++;
        adminToken.delete(i);
        for (const a of actors) if (a.on === i) move(a, 1 - i);
      }
      if (event?.restart !== undefined) {
        const i = event.restart;
        relays[i] = await start(i);
        log(`${step} relay ${'AB'[i]} restarted on port ${port(i)}`);
        // about half the clients move to the restarted relay (at least one)
        const moving = actors.filter((_, k) => k === step % actors.length || rnd() < 0.4);
        for (const a of moving) move(a, i);
      }

      await randomStep(world, steps, step);
    }
    report.created = created.length;

    // quiescence: everyone online, outboxes empty, replicas equal to the visible sets on the database
    for (const a of actors) if (a.offline) a.core.impl.current!.sync.start();
    let diffs: string[] = [];
    let rel: (RowSource & { close(): void }) | undefined;
    await waitFor(async () => {
      for (const a of actors) {
        const s = await a.core.query('syncStatus', {});
        if (s.state !== 'online' || s.pending > 0) return false;
      }
      rel?.close();
      rel = await snapshot(pg!);
      const src = rel;
      diffs = actors.flatMap((a) => [...diffReplica(src, a.core.impl.current!.replica, a.userId), ...checkLocalIndexes(a.core.impl.current!.replica.db)].map((d) => `${a.name}: ${d}`));
      return diffs.length === 0;
    }, 'quiescence', 40_000).catch((e: Error) => {
      throw new Error(`seed ${seed}: ${e.message}\n${diffs.join('\n')}`);
    });
    const db = rel!.db;
    try {
      // invariants on the database
      // 0 loss of acknowledgements: the database holds each client's last mutation id, which is all it sent
      for (const a of actors) {
        const meta = a.core.impl.current!.replica.meta()!;
        const acked = (db.prepare('SELECT last_mutation_id AS n FROM clients WHERE client_id = ?').get(meta.clientId) as { n: number } | undefined)?.n ?? 0;
        if (acked !== meta.nextMutationId - 1) throw new Error(`seed ${seed}: ${a.name} database acknowledged ${acked} of ${meta.nextMutationId - 1}`);
        report.acknowledged += acked;
      }
      // 0 loss, 0 duplicates: every created row is there once (its id is its key) unless refused or
      // deleted with its conversation; a refused one is absent
      await checkCreated(seed, rel!, world);
      // 0 duplicates of content: no two messages/notes with one body written by one step
      for (const [table, col] of [['messages', 'body'], ['notes', 'body']] as const) {
        const dup = db.prepare(`SELECT ${col} AS b, count(*) AS n FROM ${table} WHERE ${col} LIKE 'reply %' OR ${col} LIKE 'note %' OR ${col} LIKE 'inbound %' GROUP BY ${col} HAVING count(*) > 1`).all() as { b: string; n: number }[];
        if (dup.length) throw new Error(`seed ${seed}: duplicated ${table}: ${dup.map((d) => `"${d.b}" ×${d.n}`).join(', ')}`);
      }
    } finally {
      rel!.close();
    }
    return report;
  } finally {
    for (const a of actors) {
      await a.core.close();
      await a.proxy.close();
    }
    for (const r of relays) await r?.stop();
    await pg?.close();
    await database.drop();
    for (const d of [...dirs, ...actors.map((a) => a.core.dataDir)]) rmSync(d, { recursive: true, force: true });
  }
}
