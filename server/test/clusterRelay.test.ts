// A relay with NATS_URL (issue 15): another relay is played by a second engine on the same
// database (the SQLite file, or the test's PostgreSQL database) that publishes its commits on the
// bus exactly as a relay's wiring does (server/relay.ts). The relay's sockets are poked by the
// other's commits, a lost notice is caught up from the database, this relay's own commits travel
// to the other, and so does presence.
// Needs NATS on 127.0.0.1:4222 (PARLEY_TEST_NATS_URL to use another).
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuidv7 } from 'uuidv7';
import * as productRegistry from '../../shared/mutators/index';
import { createAdminApi } from '../admin';
import { startCluster, type Cluster } from '../cluster/index';
import { openRelayStore } from '../db/open';
import { DEFAULT_RETENTION } from '../relay';
import { Engine, type Actor } from '../sync/engine';
import type { RelayStore } from '../store/types';
import { startTestRelay, testDatabaseUrl, type TestOrg } from '../testing';
import { connectAs } from './helpers';
import type { WsTestClient } from './wsClient';

const NATS = process.env.PARLEY_TEST_NATS_URL ?? 'nats://127.0.0.1:4222';
const orgKey = `test-${randomUUID()}`;

let org: TestOrg;
let store: RelayStore;
let other: Engine;
let otherCluster: Cluster;
/** false: the other relay's next commits are never announced (a notice lost on the way) */
let announce = true;
let admin: Actor;

beforeAll(async () => {
  org = await startTestRelay({ natsUrl: NATS, orgKey, cluster: { gapMs: 100, pollMs: 300 } });
  admin = { userId: org.admin.id, role: 'admin' };
  store = await openRelayStore(org.relay.services.dataDir, await testDatabaseUrl(org.relay.services.dataDir));
  other = await Engine.open(store, productRegistry.mutators, DEFAULT_RETENTION);
  otherCluster = await startCluster({
    natsUrl: NATS,
    orgKey,
    currentVersion: () => other.refreshVersion(),
    deliver: () => undefined,
    catchUp: () => undefined,
  });
  other.onCommit((c) => {
    if (announce) otherCluster.commit(c);
  });
});
afterAll(async () => {
  await otherCluster.close();
  await store.close();
  await org.relay.close();
});

let phones = 0;
/** a contact created on the other relay */
async function contactElsewhere(name: string): Promise<{ id: string; version: number }> {
  const id = uuidv7();
  const c = await other.runAs(admin, 'createContact', { id, name, phone: `+447700900${String(200 + phones++)}` });
  return { id, version: c?.changes.version ?? 0 };
}

const hubStats = () => org.relay.services.hub.stats;

describe('a relay of a cluster', () => {
  let alice: WsTestClient;
  beforeAll(async () => {
    alice = await connectAs(org, 'alice');
  });
  afterAll(async () => {
    await alice.close();
  });

  it("pokes its sockets with another relay's commit, live (no catch-up)", async () => {
    const started = hubStats().catchUpsStarted;
    const t0 = performance.now();
    const { id, version } = await contactElsewhere('Zoe');
    const poke = await alice.waitFor('poke', (p) => p.cookie >= version && !p.more);
    console.log(`cluster: another relay's commit reached a socket in ${(performance.now() - t0).toFixed(1)} ms`);
    expect(poke.cookie).toBe(version);
    expect(alice.row('contacts', id)?.name).toBe('Zoe');
    expect(hubStats().catchUpsStarted).toBe(started);
    expect(org.relay.services.engine.version()).toBe(version);
  });

  it('catches its sockets up from the database over a lost notice, then carries on live', async () => {
    const started = hubStats().catchUpsStarted;
    announce = false;
    const lost = await contactElsewhere('Lost');
    announce = true;
    const next = await contactElsewhere('Next');
    expect(next.version).toBe(lost.version + 1);
    await alice.waitFor('poke', (p) => p.cookie >= next.version && !p.more);
    expect(alice.row('contacts', lost.id)?.name).toBe('Lost');
    expect(alice.row('contacts', next.id)?.name).toBe('Next');
    expect(hubStats().catchUpsStarted).toBe(started + 1);
  });

  it('notices a last commit whose notice was lost by reading the database version', async () => {
    const started = hubStats().catchUpsStarted;
    announce = false;
    const lost = await contactElsewhere('Quiet');
    announce = true;
    await alice.waitFor('poke', (p) => p.cookie >= lost.version && !p.more);
    expect(alice.row('contacts', lost.id)?.name).toBe('Quiet');
    expect(hubStats().catchUpsStarted).toBe(started + 1);
  });

  it("announces its own commits to the other relays, after its pusher's poke", async () => {
    const heard = new Promise<number>((resolve) => otherCluster.bus.onCommit((n) => resolve(n.version)));
    const id = uuidv7();
    const r = await alice.mutate('createContact', { id, name: 'Yann', phone: '+447700900777' });
    expect(r.status).toBe('ok');
    expect(alice.row('contacts', id)?.name).toBe('Yann');
    expect(await heard).toBe(alice.cookie);
  });

  it('tells the other relays who is online here', async () => {
    const seen = new Promise<void>((resolve) =>
      otherCluster.presence.subscribe((e) => {
        if (e.userId === org.bob.id && e.state) resolve();
      }),
    );
    const bob = await connectAs(org, 'bob');
    await seen;
    await bob.close();
  });

  it('disconnects a user deactivated on another relay', async () => {
    const carol = await connectAs(org, 'carol');
    const closed = carol.waitForClose();
    await createAdminApi(other).deactivateUser(org.carol.id);
    await carol.waitFor('error', (f) => f.code === 'deactivated');
    await closed;
  });
});
