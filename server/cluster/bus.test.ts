// Relays exchanging commits over the real NATS server (127.0.0.1:4222). The organisation's
// database is stood in for by its version counter: what a relay catches up from it is recorded.
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { labelColors } from '../../shared/labelColors';
import { emptyChangeSet, rowKey, type ChangeSet } from '../sync/changeSet';
import { ClusterBus, ClusterBusError, startCluster, type Cluster, type OrderedCommit } from './index';
import type { CommitNotice } from './commitCodec';
import { NATS_URL, NatsProxy } from './test/natsProxy';
import { Recorder } from './test/record';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** The organisation's commit counter: each commit a new version with one label row. */
class Versions {
  version = 0;
  commit(nameBytes = 10): ChangeSet {
    const cs = emptyChangeSet();
    cs.version = ++this.version;
    const id = `label-${cs.version}`;
    cs.puts.set(rowKey('labels', id), { t: 'labels', id, scope: 'org', row: { id, name: 'n'.repeat(nameBytes), color: labelColors[0], createdAt: 1, version: cs.version } });
    return cs;
  }
}

type Seen = { k: 'deliver'; v: number; remote: boolean } | { k: 'catchUp'; from: number; to: number };

async function relay(db: Versions, orgKey: string, natsUrl = NATS_URL, gapMs = 100): Promise<{ cluster: Cluster; seen: Recorder<Seen>; status: Recorder<string> }> {
  const seen = new Recorder<Seen>();
  const cluster = await startCluster({
    natsUrl,
    orgKey,
    currentVersion: () => db.version,
    deliver: (c: OrderedCommit) => seen.push({ k: 'deliver', v: c.commit.changes.version, remote: c.remote }),
    catchUp: (from, to) => seen.push({ k: 'catchUp', from, to }),
    gapMs,
    pollMs: 60_000,
    reconnectWaitMs: 50,
    presence: { heartbeatMs: 60_000 },
  });
  const status = new Recorder<string>();
  cluster.bus.onStatus(status.push);
  cleanups.push(() => cluster.close());
  return { cluster, seen, status };
}

/** The versions a relay's sockets have reached: delivered, or caught up from the database. */
const reached = (items: readonly Seen[]) => items.reduce((at, e) => (e.k === 'deliver' ? e.v : Math.max(at, e.to)), 0);
/** Each event starts where the one before ended. */
function expectChain(items: readonly Seen[], from: number): void {
  let at = from;
  for (const e of items) {
    if (e.k === 'deliver') expect(e.v).toBe(at + 1);
    else expect(e.from).toBe(at);
    at = e.k === 'deliver' ? e.v : e.to;
  }
}

describe('ClusterBus on NATS', () => {
  it('carries commit notices between two relays, never back to their sender', async () => {
    const orgKey = `t-${randomUUID()}`;
    const a = await ClusterBus.connect({ url: NATS_URL, orgKey, relayId: 'relay-a' });
    const b = await ClusterBus.connect({ url: NATS_URL, orgKey, relayId: 'relay-b' });
    cleanups.push(() => a.close(), () => b.close());
    const atA = new Recorder<CommitNotice>();
    const atB = new Recorder<{ n: CommitNotice; from: string }>();
    a.onCommit(atA.push);
    b.onCommit((n, from) => atB.push({ n, from }));
    const db = new Versions();
    for (let i = 0; i < 3; i++) a.publishCommit(db.commit(), db.version - 1);
    await atB.until((x) => x.length === 3);
    expect(atB.items.map((x) => [x.from, x.n.prev, x.n.version, x.n.big])).toEqual([
      ['relay-a', 0, 1, false],
      ['relay-a', 1, 2, false],
      ['relay-a', 2, 3, false],
    ]);
    const first = atB.items[0]?.n;
    expect(first && !first.big ? [...first.changes.puts.keys()] : []).toEqual([rowKey('labels', 'label-1')]);
    // b answers; a hears b and never its own three
    b.publishCommit(db.commit(), 3);
    await atA.until((x) => x.length === 1);
    expect(atA.items.map((n) => n.version)).toEqual([4]);
    // a malformed notice is refused and counted, not delivered
    b.publish('commits', Buffer.from('{"v":1,"prev":4,"version":5,"puts":"x"}'));
    b.publishCommit(db.commit(), 4);
    await atA.until((x) => x.length === 2);
    expect(a.stats.refused).toBe(1);
    expect(a.subject('commits')).toBe(`parley.${orgKey}.commits`);
  });

  it('is a clear sentence when NATS cannot be reached at start, or the organisation key is bad', async () => {
    await expect(ClusterBus.connect({ url: 'nats://127.0.0.1:1', orgKey: 'org', relayId: 'r' })).rejects.toThrow(ClusterBusError);
    await expect(ClusterBus.connect({ url: 'nats://127.0.0.1:1', orgKey: 'org', relayId: 'r' })).rejects.toThrow(
      /^cannot reach NATS at nats:\/\/127\.0\.0\.1:1 \(.+\): start the NATS server or correct NATS_URL/,
    );
    await expect(startCluster({ natsUrl: 'nats://127.0.0.1:1', orgKey: 'org', currentVersion: () => 0, deliver: () => undefined, catchUp: () => undefined })).rejects.toThrow(/cannot reach NATS/);
    await expect(ClusterBus.connect({ url: NATS_URL, orgKey: 'a.b', relayId: 'r' })).rejects.toThrow(/organisation key "a.b" may hold only letters, digits/);
    await expect(ClusterBus.connect({ url: ' , ', orgKey: 'org', relayId: 'r' })).rejects.toThrow(/NATS_URL is empty/);
  });
});

describe('relays in one organisation (startCluster)', () => {
  it('delivers every commit to every relay in version order, local and remote alike', async () => {
    const orgKey = `t-${randomUUID()}`;
    const db = new Versions();
    // a gap is waited for as long as NATS may take on a busy machine: this test is about order
    const a = await relay(db, orgKey, NATS_URL, 30_000);
    const b = await relay(db, orgKey, NATS_URL, 30_000);
    // interleaved commits; b's own commit reaches b before a's earlier one does (NATS is slower
    // than a function call): b's sequencer holds it until a's arrives
    for (let i = 0; i < 10; i++) {
      const cs1 = db.commit();
      a.cluster.commit({ changes: cs1, effects: [] });
      const cs2 = db.commit();
      b.cluster.commit({ changes: cs2, effects: [] });
    }
    await a.seen.until((x) => reached(x) === 20);
    await b.seen.until((x) => reached(x) === 20);
    for (const r of [a, b]) {
      expect(r.seen.items.every((e) => e.k === 'deliver')).toBe(true);
      expectChain(r.seen.items, 0);
    }
    expect(a.seen.items.filter((e) => e.k === 'deliver' && !e.remote).map((e) => (e.k === 'deliver' ? e.v : 0))).toEqual([1, 3, 5, 7, 9, 11, 13, 15, 17, 19]);
    expect(b.seen.items.filter((e) => e.k === 'deliver' && e.remote).map((e) => (e.k === 'deliver' ? e.v : 0))).toEqual([1, 3, 5, 7, 9, 11, 13, 15, 17, 19]);
  });

  it('catches a commit too large to travel up from the database on the other relays', async () => {
    const orgKey = `t-${randomUUID()}`;
    const db = new Versions();
    const a = await relay(db, orgKey, NATS_URL, 30_000);
    const b = await relay(db, orgKey, NATS_URL, 30_000);
    a.cluster.commit({ changes: db.commit(), effects: [] });
    a.cluster.commit({ changes: db.commit(300 * 1024), effects: [] }); // over BIG_COMMIT_BYTES
    a.cluster.commit({ changes: db.commit(), effects: [] });
    await b.seen.until((x) => reached(x) === 3);
    expect(b.seen.items).toEqual([
      { k: 'deliver', v: 1, remote: true },
      { k: 'catchUp', from: 1, to: 2 },
      { k: 'deliver', v: 3, remote: true },
    ]);
    // the committing relay itself delivers its own big commit whole
    expect(a.seen.items.map((e) => e.k)).toEqual(['deliver', 'deliver', 'deliver']);
  });

  it('keeps serving its own sockets while NATS is away, and catches up what it missed when NATS returns', async () => {
    const orgKey = `t-${randomUUID()}`;
    const db = new Versions();
    const proxy = new NatsProxy();
    await proxy.start();
    cleanups.push(() => proxy.stop());
    const a = await relay(db, orgKey, proxy.url);
    const b = await relay(db, orgKey);
    b.cluster.commit({ changes: db.commit(), effects: [] });
    await a.seen.until((x) => reached(x) === 1);

    await proxy.cut();
    await a.status.until((x) => x.includes('disconnected'));
    expect(a.cluster.bus.connected).toBe(false);
    // b commits 2 and 3: a never hears of them
    b.cluster.commit({ changes: db.commit(), effects: [] });
    b.cluster.commit({ changes: db.commit(), effects: [] });
    // a's own commit 4 still reaches a's sockets, after 2–3 are caught up from the database
    a.cluster.commit({ changes: db.commit(), effects: [] });
    await a.seen.until((x) => reached(x) === 4);
    expect(a.seen.items.slice(1)).toEqual([
      { k: 'catchUp', from: 1, to: 3 },
      { k: 'deliver', v: 4, remote: false },
    ]);
    // b commits 5 while a is still cut off; nothing after it tells a
    b.cluster.commit({ changes: db.commit(), effects: [] });

    await proxy.start();
    await a.status.until((x) => x.includes('reconnected'));
    // back: a reads the database version, sees 5 and catches it up
    await a.seen.until((x) => reached(x) === 5);
    expectChain(a.seen.items, 0);
    // a's commit 4, buffered by NATS meanwhile, reached b too (or b caught it up)
    await b.seen.until((x) => reached(x) === 5);
    expectChain(b.seen.items, 0);
    // and the two talk again
    a.cluster.commit({ changes: db.commit(), effects: [] });
    await b.seen.until((x) => x.some((e) => e.k === 'deliver' && e.v === 6 && e.remote));
  });
});
