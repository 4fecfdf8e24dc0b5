// Leases on the jobs table, on a real SQLite file and a real PostgreSQL database: a claimed row is
// nobody else's until its lease ends; relays claiming at once take disjoint rows; a row committed
// again while it runs runs again; a relay that lost its lease knows it; the shared send pace.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ServerEffect } from '../../shared/tx';
import { SqliteStore } from '../store/sqlite';
import { openPostgresStore } from '../store/postgres';
import { createTestDatabase, type TestDatabase } from '../store/testDatabase';
import type { RelayStore } from '../store/types';
import { enqueueJobs, finishJob, JOB_COLUMNS, type JobRow } from '../effects/jobs';
import { SharedPace } from '../providers/rateLimiter';
import { Leases, WakeTimer } from './lease';

const send = (messageId: string): ServerEffect => ({ kind: 'sendMessage', messageId });
const enqueue = (store: RelayStore, effects: ServerEffect[], now: number) => store.write((tx) => tx.sync((rows) => enqueueJobs(effects, rows, now)));
const leasesOf = (store: RelayStore, owner: string, leaseMs = 1000) =>
  new Leases<JobRow>(store, { table: 'jobs', dueColumn: 'next_at', returning: JOB_COLUMNS, owner, leaseMs });

describe.each(['sqlite', 'postgres'] as const)('leases on %s', (kind) => {
  let store: RelayStore;
  let other: RelayStore;
  let dir: string;
  let db: TestDatabase | undefined;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'parley-lease-'));
    if (kind === 'sqlite') {
      store = SqliteStore.open(dir);
      other = store; // one database, one writer: the second "relay" shares the file's store
    } else {
      db = await createTestDatabase();
      store = await openPostgresStore(db.url);
      other = await openPostgresStore(db.url); // a second relay: its own pool
    }
  });
  afterAll(async () => {
    if (other !== store) await other.close();
    await store.close();
    await db?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('claims a due row once; another relay gets it only after the lease ends', async () => {
    const t = 1_000_000;
    await enqueue(store, [send('m1')], t);
    const a = leasesOf(store, 'relay-a');
    const b = leasesOf(other, 'relay-b');
    expect((await a.claimDue(t, 10)).map((j) => j.id)).toEqual(['send:m1']);
    expect(await b.claimDue(t + 999, 10)).toEqual([]);
    expect(await a.hold('send:m1', t + 500)).toBe(true); // renewed to t + 1500
    expect(await b.claimDue(t + 1200, 10)).toEqual([]);
    expect((await b.claimDue(t + 1500, 10)).map((j) => j.id)).toEqual(['send:m1']); // a died
    expect(await a.hold('send:m1', t + 1600)).toBe(false); // a knows it lost it
    await store.run('DELETE FROM jobs');
  });

  it('runs a job again when its effect is committed again while it runs', async () => {
    const t = 2_000_000;
    await enqueue(store, [send('m2')], t);
    const a = leasesOf(store, 'relay-a');
    const [job] = await a.claimDue(t, 10);
    if (!job) throw new Error('not claimed');
    await enqueue(store, [send('m2')], t + 10); // committed again: seq bumped
    for (const [sql, params] of finishJob(job, t + 20)) await store.run(sql, params);
    const again = await a.claimDue(t + 20, 10);
    expect(again.map((j) => [j.id, j.seq])).toEqual([['send:m2', job.seq + 1]]);
    for (const [sql, params] of finishJob(again[0] as JobRow, t + 30)) await store.run(sql, params);
    expect(await store.all('SELECT id FROM jobs')).toEqual([]);
  });

  it('gives relays claiming at once disjoint rows', async () => {
    const t = 3_000_000;
    await enqueue(store, Array.from({ length: 200 }, (_, i) => send(`c${i}`)), t);
    const relays = Array.from({ length: 4 }, (_, i) => leasesOf(i % 2 ? other : store, `relay-${i}`));
    const claims: string[] = [];
    await Promise.all(
      relays.map(async (l) => {
        for (;;) {
          const got = await l.claimDue(t, 7);
          if (!got.length) return;
          claims.push(...got.map((j) => j.id));
        }
      }),
    );
    expect(claims).toHaveLength(200);
    expect(new Set(claims).size).toBe(200);
    await store.run('DELETE FROM jobs');
  });

  it('paces an account across two relays: a burst of the rate, then one slot per interval', async () => {
    const t = 5_000_000;
    const clock = () => t;
    // rate 4/s: 4 at once, then 250 ms apart, whichever relay asks, also all at once
    const paces = [new SharedPace(store, 'acct-1', 4, 4, clock), new SharedPace(other, 'acct-1', 4, 4, clock)];
    const slots = await Promise.all(Array.from({ length: 12 }, (_, i) => (paces[i % 2] as SharedPace).reserve()));
    expect(slots.map((s) => s - t).sort((x, y) => x - y)).toEqual([0, 0, 0, 0, 250, 500, 750, 1000, 1250, 1500, 1750, 2000]);
    // an idle account starts afresh: a burst again
    const later = t + 60_000;
    const fresh = new SharedPace(other, 'acct-1', 4, 4, () => later);
    expect(await fresh.reserve()).toBe(later);
  });
});

describe('WakeTimer', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('wakes at the earliest time asked for, at most pollMs ahead; cancel stops it', () => {
    vi.useFakeTimers({ now: 1_000 });
    const fired: number[] = [];
    const wake = new WakeTimer(() => fired.push(Date.now()), 500);
    wake.arm(1_100);
    wake.arm(1_300); // later: keeps 1 100
    vi.advanceTimersByTime(150);
    expect(fired).toEqual([1_100]);
    wake.arm(1_400);
    wake.arm(1_200); // earlier: replaces 1 400
    vi.advanceTimersByTime(300);
    expect(fired).toEqual([1_100, 1_200]);
    wake.arm(null); // nothing waiting: polls after 500 ms
    wake.arm(9_999); // capped at now + pollMs as well, not earlier: no second timer
    vi.advanceTimersByTime(600);
    expect(fired).toEqual([1_100, 1_200, 1_950]);
    wake.arm(2_500);
    wake.cancel();
    vi.advanceTimersByTime(1_000);
    expect(fired).toEqual([1_100, 1_200, 1_950]);
    wake.arm(0); // overdue: at once
    vi.advanceTimersByTime(0);
    expect(fired).toEqual([1_100, 1_200, 1_950, 3_050]);
  });
});
