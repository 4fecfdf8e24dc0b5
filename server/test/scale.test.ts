// The relay at scale (issue 14), as behaviour: fan-out reaches only affected sockets with one
// encoded body per distinct poke; catch-up is streamed with backpressure and stays consistent
// with commits that land between its parts; graceful shutdown closes with 1001 and the client
// catches up from its cookie without a reset.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { uuidv7 } from 'uuidv7';
import type { Contact } from '../../shared/schema';
import { MAX_CONCURRENT_STREAMS, StreamGate } from '../sync/connection';
import { startTestRelay, type TestOrg } from '../testing';
import { connectAs, salesConversation, visibilityVersionOf } from './helpers';
import { WsTestClient } from './wsClient';

let org: TestOrg | null = null;
afterEach(async () => {
  await org?.relay.close();
  org = null;
});

/** Waits for a condition the relay reaches on its own (checked on each macrotask turn). */
async function until(cond: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 20_000; i++) {
    if (cond()) return;
    await new Promise((r) => setTimeout(r, 1));
  }
  throw new Error(`never: ${what}`);
}

/** Everything the relay queued for this socket before now has arrived once the pong does. */
async function flushed(c: WsTestClient): Promise<void> {
  const t = Date.now();
  c.sendRaw(JSON.stringify({ type: 'ping', t }));
  await c.waitFor('pong', (f) => f.t === t);
}

function contact(i: number): Contact {
  return { id: `bulk-${i}`, name: `Bulk ${i}`, phone: `+4479${String(i).padStart(8, '0')}`, email: null, tags: [], notes: 'x'.repeat(200), optedOut: false, defaultVisibleTo: null, defaultAssignees: [], createdAt: 1, updatedAt: 1, version: 0 };
}

describe('live fan-out by index', () => {
  it('pokes only the sockets a commit affects, with one encoded body for every user who gets the same rows', async () => {
    const o = (org = await startTestRelay());
    const [admin, alice, alice2, bob, carol] = await Promise.all([connectAs(o, 'admin'), connectAs(o, 'alice'), connectAs(o, 'alice'), connectAs(o, 'bob'), connectAs(o, 'carol')]);
    // an inbound message makes the conversation: no provider effect commits later on
    await o.relay.simulator.inbound({ groupId: o.groups.sales.id, from: '+447700900777', body: 'hello' });
    const convId = ((await o.relay.services.engine.store.rows.find('conversations', { groupId: o.groups.sales.id }))[0] as { id: string }).id;
    await o.relay.services.effects.idle();
    await Promise.all([admin, alice2, bob, carol].map(flushed));
    for (const c of [admin, alice2, bob, carol]) c.clear();
    const hub = o.relay.services.hub;
    const encoded = hub.stats.bodiesEncoded;
    const sent = hub.stats.pokesSent;

    const noteId = uuidv7();
    expect((await alice.mutate('addNote', { id: noteId, conversationId: convId, body: 'for sales' })).status).toBe('ok');
    const got = await Promise.all([admin, alice2, bob].map((c) => c.waitFor('poke', (p) => p.puts.some((x) => x.r.id === noteId))));
    await flushed(carol);

    expect(carol.all('poke')).toHaveLength(0); // support only: not affected, not visited
    expect(hub.stats.bodiesEncoded - encoded).toBe(1); // admin, alice's other device and bob share it
    expect(hub.stats.pokesSent - sent).toBe(3); // alice's own socket gets hers after its pushResult
    const [a, b, c] = got.map((p) => ({ puts: p.puts, dels: p.dels, cookie: p.cookie }));
    expect(b).toEqual(a);
    expect(c).toEqual(a);
    await Promise.all([admin, alice, alice2, bob, carol].map((x) => x.close()));
  });

  it('a restricted conversation reaches only its visible list, and a user who lost it gets the scope delete', async () => {
    const o = (org = await startTestRelay());
    const [admin, alice, bob] = await Promise.all([connectAs(o, 'admin'), connectAs(o, 'alice'), connectAs(o, 'bob')]);
    const { convId } = await salesConversation(o, admin, alice);
    await flushed(bob);
    bob.clear();
    expect((await admin.mutate('manageConversation', { conversationId: convId, visibleTo: [o.alice.id], assignees: [], baseVisibilityVersion: await visibilityVersionOf(o, convId) })).status).toBe('ok');
    const lost = await bob.waitFor('poke', (p) => p.dels.some((d) => 'scope' in d && d.scope === `conv:${convId}`));
    expect(lost.puts.filter((p) => p.t === 'conversations' && p.r.id === convId)).toHaveLength(0);
    bob.clear();
    const noteId = uuidv7();
    expect((await alice.mutate('addNote', { id: noteId, conversationId: convId, body: 'private' })).status).toBe('ok');
    expect(alice.row('notes', noteId)).toBeDefined();
    // the admin, outside the list, hears of it through the metadata row only
    await admin.waitFor('poke', (p) => p.puts.some((x) => x.t === 'conversations' && x.r.id === convId));
    expect(admin.row('notes', noteId)).toBeUndefined();
    await flushed(bob);
    expect(bob.all('poke')).toHaveLength(0);
    await Promise.all([admin, alice, bob].map((x) => x.close()));
  });
});

describe('streamed catch-up', () => {
  it('waits for a reader that does not read, and stays consistent with commits made between its parts', async () => {
    const o = (org = await startTestRelay());
    const engine = o.relay.services.engine;
    const hub = o.relay.services.hub;
    const n = 40_000; // ~12 MB of rows: far more than the relay lets one socket hold
    await engine.write((tx) => {
      for (let i = 0; i < n; i++) tx.put('contacts', contact(i));
    });
    const { accessToken } = await o.login('alice@test.parley');
    const alice = await WsTestClient.connect(o.relay.wsUrl, accessToken, { hello: false });
    alice.ws.pause(); // stop reading: TCP fills, then the relay's high-water mark
    alice.hello(accessToken);
    await until(() => hub.blockedSockets === 1, 'the relay to wait for the socket to drain');
    expect(hub.stats.catchUpsDone).toBe(0);

    // commits while the catch-up is in flight: they queue behind it on the same socket
    const renamed = { ...contact(1), name: 'Renamed' };
    await engine.write((tx) => tx.put('contacts', renamed));
    await engine.write((tx) => tx.del('contacts', contact(n - 1).id));
    await engine.write((tx) => tx.put('contacts', contact(n + 5)));

    alice.ws.resume();
    await alice.waitFor('welcome');
    await alice.waitForPokeEnd();
    await flushed(alice);
    const parts = alice.all('poke');
    expect(parts.length).toBeGreaterThan(n / 2000);
    for (const p of parts) expect(p.puts.length + p.dels.length).toBeLessThanOrEqual(2000);
    expect(parts.filter((p) => !p.more).length).toBe(parts.length - parts.filter((p) => p.more).length);
    const ids = new Set(alice.table('contacts').map((c) => c.id));
    const expected = new Set((await engine.store.rows.find('contacts', {})).map((c) => c.id));
    expect(ids).toEqual(expected);
    expect(alice.row('contacts', contact(1).id)?.name).toBe('Renamed');
    expect(alice.row('contacts', contact(n - 1).id)).toBeUndefined();
    expect(alice.cookie).toBe(engine.version());
    await alice.close();
  });
});

describe('catch-ups in a reconnect storm', () => {
  it('admits a few at a time in arrival order, each waiting one opened only when admitted', () => {
    const woken: string[] = [];
    const gate = new StreamGate<string>(2, (c) => woken.push(c));
    expect(['a', 'b', 'c', 'd', 'e'].map((c) => gate.acquire(c))).toEqual([true, true, false, false, false]);
    expect([gate.activeCount, gate.waitingCount]).toEqual([2, 3]);
    gate.release('d'); // closed while waiting: leaves the line
    gate.release('a');
    expect(woken).toEqual(['c']);
    expect(gate.acquire('c')).toBe(true);
    gate.release('b');
    gate.release('c');
    expect(woken).toEqual(['c', 'e']);
    expect([gate.activeCount, gate.waitingCount]).toEqual([1, 0]);
  });

  it('serves 40 full syncs at once, at most 16 streaming at a time, each complete', async () => {
    const o = (org = await startTestRelay());
    const engine = o.relay.services.engine;
    const hub = o.relay.services.hub;
    await engine.write((tx) => {
      for (let i = 0; i < 3000; i++) tx.put('contacts', contact(i));
    });
    const seen = { maxActive: 0, maxWaiting: 0 };
    hub.observer = {
      catchUp: () => {
        seen.maxActive = Math.max(seen.maxActive, hub.catchUps.active);
        seen.maxWaiting = Math.max(seen.maxWaiting, hub.catchUps.waiting);
      },
    };
    const tokens = await Promise.all(['alice', 'bob', 'carol', 'admin'].map(async (n) => (await o.login(`${n}@test.parley`)).accessToken));
    const clients = await Promise.all(Array.from({ length: 40 }, (_, i) => WsTestClient.synced(o.relay.wsUrl, tokens[i % 4] as string)));
    expect(seen.maxActive).toBeLessThanOrEqual(MAX_CONCURRENT_STREAMS);
    expect(seen.maxWaiting).toBeGreaterThan(0); // the storm was larger than the gate
    expect(hub.catchUps).toEqual({ active: 0, waiting: 0 });
    const expected = (await engine.store.rows.find('contacts', {})).length;
    for (const c of clients) expect(c.table('contacts')).toHaveLength(expected);
    await Promise.all(clients.map((c) => c.close()));
  });
});

describe('a stalled catch-up', () => {
  it('gives its slot to the next in line while its client does not read, and finishes when it reads again', async () => {
    const o = (org = await startTestRelay({ sync: { maxConcurrentStreams: 2, streamStallMs: 300 } }));
    const engine = o.relay.services.engine;
    const hub = o.relay.services.hub;
    const n = 40_000; // ~12 MB: more than the kernel and the relay's high-water mark hold for a paused socket
    await engine.write((tx) => {
      for (let i = 0; i < n; i++) tx.put('contacts', contact(i));
    });
    // two clients (a laptop asleep mid-sync) take both slots and stop reading
    const sleepers: WsTestClient[] = [];
    for (const name of ['bob', 'carol']) {
      const { accessToken } = await o.login(`${name}@test.parley`);
      const c = await WsTestClient.connect(o.relay.wsUrl, accessToken, { hello: false });
      c.ws.pause();
      c.hello(accessToken);
      sleepers.push(c);
    }
    await until(() => hub.blockedSockets === 2, 'both sleepers to fill their sockets');
    // a third client is served anyway: the sleepers yield their slots after 300 ms
    const { accessToken } = await o.login('alice@test.parley');
    const alice = await WsTestClient.synced(o.relay.wsUrl, accessToken);
    expect(alice.table('contacts')).toHaveLength(n);
    expect(hub.stats.catchUpsDone).toBe(1);
    // the sleepers wake up and get everything
    for (const c of sleepers) c.ws.resume();
    for (const c of sleepers) {
      await c.waitForPokeEnd();
      expect(c.table('contacts')).toHaveLength(n);
    }
    expect(hub.catchUps).toEqual({ active: 0, waiting: 0 });
    await Promise.all([alice, ...sleepers].map((c) => c.close()));
  }, 120_000);
});

describe('graceful shutdown', () => {
  it('says not ready, closes sockets with 1001 after what is queued; the client catches up from its cookie without a reset', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'parley-graceful-'));
    try {
      const o = (org = await startTestRelay({ dataDir }));
      const alice = await connectAs(o, 'alice');
      expect((await fetch(`${o.relay.httpUrl}/ready`)).status).toBe(200);
      const { cookie, clientId } = alice;
      const closing = o.relay.close({ graceful: true, timeoutMs: 5000 });
      expect((await alice.waitForClose()).code).toBe(1001);
      await closing;
      const again = (org = await startTestRelay({ dataDir }));
      const admin = await connectAs(again, 'admin');
      const contactId = uuidv7();
      await admin.mutate('createContact', { id: contactId, name: 'While away', phone: '+447700900999' });
      const back = await connectAs(again, 'alice', { cookie, clientId });
      expect(back.all('reset')).toHaveLength(0);
      expect(back.all('poke')[0]?.baseCookie).toBe(cookie);
      expect(back.all('poke')[0]?.puts.map((p) => p.r.id)).toEqual([contactId]);
      await Promise.all([admin.close(), back.close()]);
    } finally {
      await org?.relay.close();
      org = null;
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
