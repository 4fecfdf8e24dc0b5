// Effects and timers with two relays on one PostgreSQL database (issue 15): every job runs once,
// whichever relay claims it; a relay that dies mid-job leaves it to the other after its lease (a
// send it had begun is failed with a sentence, not made again); a
// due timer fires once; a provider account's send pace holds across both relays.
// Counted where it matters: at the provider (a fake one, or a fake Twilio API).
import { randomBytes, randomUUID } from 'node:crypto';
import { afterEach, beforeAll, afterAll, describe, expect, it } from 'vitest';
import { uuidv7 } from 'uuidv7';
import { startTestRelay, type TestOrg, type TestRelayOptions } from '../testing';
import { createTestDatabase, type TestDatabase } from '../store/testDatabase';
import type { ChannelProvider, OutboundMessage } from '../providers/types';
import { SYSTEM_ACTOR } from '../sync/engine';
import { MAY_HAVE_BEEN_SENT } from '../effects/runner';
import { sendJson, startFakeApi, type FakeApi } from '../providers/test/helpers';
import { afterCommits, registryOf } from './helpers';

const NATS = process.env.PARLEY_TEST_NATS_URL ?? 'nats://127.0.0.1:4222';

let db: TestDatabase;
const relays: TestOrg[] = [];
afterEach(async () => {
  for (const r of relays.splice(0).reverse()) await r.relay.close();
  await db?.drop();
});

/** A relay of the pair: same database, same NATS subjects. */
async function relayOn(orgKey: string, opts: TestRelayOptions = {}): Promise<TestOrg> {
  const r = await startTestRelay({ databaseUrl: db.url, natsUrl: NATS, orgKey, cluster: { gapMs: 100, pollMs: 500 }, log: () => undefined, ...opts });
  relays.push(r);
  return r;
}

/** `n` conversations of the sales group, each with a contact who wrote first. */
async function conversations(o: TestOrg, n: number): Promise<{ id: string; contactId: string }[]> {
  const out: { id: string; contactId: string }[] = [];
  for (let i = 0; i < n; i++) {
    await o.relay.services.engine.runAs(SYSTEM_ACTOR, 'receiveInbound', { groupId: o.groups.sales.id, channel: 'sms', from: `+447700900${String(100 + i)}`, body: `hello ${i}` });
  }
  for (const c of await o.relay.services.engine.store.rows.find('conversations', {})) out.push({ id: c.id, contactId: c.contactId });
  return out;
}

const send = (o: TestOrg, c: { id: string; contactId: string }, body: string) => {
  const id = uuidv7();
  return o.relay.services.engine
    .runAs({ userId: o.alice.id, role: 'agent' }, 'sendMessage', { id, conversationId: c.id, contactId: c.contactId, groupId: o.groups.sales.id, channel: 'sms', body })
    .then(() => id);
};

const countBy = (ids: string[]) => ids.reduce((m, id) => m.set(id, (m.get(id) ?? 0) + 1), new Map<string, number>());

describe('effects across two relays on one PostgreSQL database', () => {
  it('sends each of 50 queued messages exactly once, the second relay taking what the first cannot hold', async () => {
    db = await createTestDatabase();
    const orgKey = `test-${randomUUID()}`;
    const sent: { relay: 'A' | 'B'; m: OutboundMessage }[] = [];
    let open: () => void = () => undefined;
    const gate = new Promise<void>((r) => (open = r));
    // A holds at most 10 jobs, and its sends wait at the gate: the other 40 are left for B
    const slow: ChannelProvider = { kind: 'twilio', send: async (m) => (await gate, sent.push({ relay: 'A', m }), { ok: true, providerMessageId: `SM-A-${m.messageId}` }) };
    const fast: ChannelProvider = { kind: 'twilio', send: async (m) => (sent.push({ relay: 'B', m }), { ok: true, providerMessageId: `SM-B-${m.messageId}` }) };
    const a = await relayOn(orgKey, { providers: registryOf(slow), effects: { maxRunning: 10, pollMs: 20 } });
    const convs = await conversations(a, 5);
    const ids = await Promise.all(Array.from({ length: 50 }, (_, i) => send(a, convs[i % convs.length] as { id: string; contactId: string }, `queued ${i}`)));
    // B starts with the work already committed (before issue 15 it rescanned and sent it all again)
    const b = await relayOn(orgKey, { providers: registryOf(fast), effects: { pollMs: 20 } });
    const store = b.relay.services.store;
    const sentCount = async () => (await store.get<{ n: number }>("SELECT count(*) AS n FROM messages WHERE status = 'sent'"))?.n ?? 0;
    await afterCommits(b.relay.services.engine, async () => (await sentCount()) >= 40);
    open();
    await afterCommits([a.relay.services.engine, b.relay.services.engine], async () => (await sentCount()) === 50);
    await Promise.all([a.relay.services.effects.idle(), b.relay.services.effects.idle()]);

    const counts = countBy(sent.map((s) => s.m.messageId));
    expect(ids.every((id) => counts.get(id) === 1)).toBe(true);
    expect(sent).toHaveLength(50);
    expect(sent.filter((s) => s.relay === 'A')).toHaveLength(10);
    expect(sent.filter((s) => s.relay === 'B')).toHaveLength(40);
    expect(a.relay.services.effects.stats.claimed + b.relay.services.effects.stats.claimed).toBe(50);
    expect(await store.get<{ n: number }>('SELECT count(*) AS n FROM jobs')).toEqual({ n: 0 });
  });

  it('finishes the jobs of a relay that died mid-job, after their lease, once; a send it had begun is not made again', async () => {
    db = await createTestDatabase();
    const orgKey = `test-${randomUUID()}`;
    let reached = 0;
    let allStuck: () => void = () => undefined;
    const stuckAll = new Promise<void>((r) => (allStuck = r));
    const hang = <T>(): Promise<T> => (++reached === 5 && allStuck(), new Promise<T>(() => undefined));
    // A dies with 5 jobs held: 3 before their provider call (the provider never looked up), 2
    // inside it (the provider took the message and never answered)
    const calling: string[] = [];
    const stuck: ChannelProvider = { kind: 'twilio', send: (m) => (calling.push(m.messageId), hang()) };
    let lookups = 0;
    const stuckRegistry = { ...registryOf(stuck), channelFor: () => (++lookups <= 3 ? hang<ChannelProvider>() : stuck) };
    const sent: { m: OutboundMessage; at: number }[] = [];
    const working: ChannelProvider = { kind: 'twilio', send: async (m) => (sent.push({ m, at: Date.now() }), { ok: true, providerMessageId: `SM-${m.messageId}` }) };
    const a = await relayOn(orgKey, { providers: stuckRegistry, effects: { leaseMs: 800 } });
    const b = await relayOn(orgKey, { providers: registryOf(working), effects: { leaseMs: 800 } });
    const convs = await conversations(a, 5);
    const ids = await Promise.all(convs.map((c, i) => send(a, c, `in flight ${i}`)));
    await stuckAll;
    const held = await b.relay.services.store.all<{ owner: string; leaseUntil: number }>('SELECT owner, lease_until AS "leaseUntil" FROM jobs');
    expect(held).toHaveLength(5);
    expect(new Set(held.map((h) => h.owner)).size).toBe(1); // all A's
    const leaseEnd = Math.min(...held.map((h) => h.leaseUntil));
    relays.splice(relays.indexOf(a), 1);
    await a.relay.close(); // not graceful: the sends never finish, the leases stay

    const store = b.relay.services.store;
    await afterCommits(b.relay.services.engine, async () => (await store.get<{ n: number }>("SELECT count(*) AS n FROM messages WHERE direction = 'outbound' AND status <> 'queued'"))?.n === 5);
    await b.relay.services.effects.idle();
    // B took none of them while A's lease lasted, then each once: the 3 A never began are sent,
    // the 2 it may have sent fail with a sentence for the agent
    expect(calling).toHaveLength(2);
    for (const s of sent) expect(s.at).toBeGreaterThanOrEqual(leaseEnd);
    const notBegun = ids.filter((id) => !calling.includes(id));
    expect([...countBy(sent.map((s) => s.m.messageId)).entries()].sort()).toEqual(notBegun.map((id) => [id, 1] as const).sort());
    for (const id of notBegun) expect((await store.rows.get('messages', id))?.status).toBe('sent');
    for (const id of calling) expect(await store.rows.get('messages', id)).toMatchObject({ status: 'failed', failureReason: MAY_HAVE_BEEN_SENT });
    expect(await store.get<{ n: number }>('SELECT count(*) AS n FROM jobs')).toEqual({ n: 0 });
  });

  it('carries on a broadcast whose relay died part-way, each recipient messaged once', async () => {
    db = await createTestDatabase();
    const orgKey = `test-${randomUUID()}`;
    const sent: OutboundMessage[] = [];
    const channel: ChannelProvider = { kind: 'twilio', send: async (m) => (sent.push(m), { ok: true, providerMessageId: `SM-${m.messageId}` }) };
    // A paces the broadcast at 2 recipients a second and its sends never reach a provider (the
    // lookup never answers: a send A had begun would be failed, not made again); it dies after
    // the first recipient
    const stuck: ChannelProvider = { kind: 'twilio', send: () => new Promise(() => undefined) };
    const slowPace = { ...registryOf(stuck), channelFor: () => new Promise<ChannelProvider>(() => undefined), sendRatePerSecond: () => 2 };
    const a = await relayOn(orgKey, { providers: slowPace, effects: { leaseMs: 800 } });
    const b = await relayOn(orgKey, { providers: registryOf(channel), effects: { leaseMs: 800 } });
    const admin = { userId: a.admin.id, role: 'admin' as const };
    const contactIds = Array.from({ length: 4 }, () => uuidv7());
    for (const [i, id] of contactIds.entries()) await a.relay.services.engine.runAs(admin, 'createContact', { id, name: `R${i}`, phone: `+447700900${String(300 + i)}` });
    const broadcastId = uuidv7();
    await a.relay.services.engine.runAs(admin, 'sendBroadcast', { id: broadcastId, groupId: a.groups.sales.id, channel: 'sms', body: 'Sale on', contactIds });
    const store = b.relay.services.store;
    await afterCommits(a.relay.services.engine, async () => ((await store.rows.get('broadcasts', broadcastId))?.sent ?? 0) >= 1);
    relays.splice(relays.indexOf(a), 1);
    await a.relay.close();
    const delivered = async () => (await store.get<{ n: number }>("SELECT count(*) AS n FROM messages WHERE broadcast_id = ? AND status = 'sent'", [broadcastId]))?.n ?? 0;
    await afterCommits(b.relay.services.engine, async () => (await delivered()) === 4);
    await b.relay.services.effects.idle();
    expect(await store.get<{ n: number }>('SELECT count(*) AS n FROM jobs')).toEqual({ n: 0 });
    expect(await store.rows.get('broadcasts', broadcastId)).toMatchObject({ status: 'done', total: 4, sent: 4, failed: 0 });
    expect(sent.filter((m) => m.parts[0] === 'Sale on').map((m) => m.to).sort()).toEqual(contactIds.map((_, i) => `+447700900${String(300 + i)}`).sort());
  });

  it('fires each due timer once with two relays polling for it', async () => {
    db = await createTestDatabase();
    const orgKey = `test-${randomUUID()}`;
    const timers = { pollMs: 10 };
    const a = await relayOn(orgKey, { timers });
    const b = await relayOn(orgKey, { timers });
    const convs = await conversations(a, 20);
    const until = Date.now() + 600;
    for (const c of convs) await a.relay.services.engine.runAs({ userId: a.admin.id, role: 'admin' }, 'snoozeConversation', { conversationId: c.id, until });
    const store = a.relay.services.store;
    expect(await store.get<{ n: number }>('SELECT count(*) AS n FROM timers')).toEqual({ n: 20 });
    await afterCommits([a.relay.services.engine, b.relay.services.engine], async () => (await store.get<{ n: number }>('SELECT count(*) AS n FROM timers'))?.n === 0);
    for (const c of convs) expect((await store.rows.get('conversations', c.id))?.snoozedBy).toBeNull();
    const fired = a.relay.services.timers.stats.fired + b.relay.services.timers.stats.fired;
    console.log(`effectsCluster: 20 timers fired by A ${a.relay.services.timers.stats.fired}, by B ${b.relay.services.timers.stats.fired}`);
    expect(fired).toBe(20);
  });
});

describe('a timer across relays', () => {
  it('fires on time through the other relay when the one that set it stops before it falls due', async () => {
    db = await createTestDatabase();
    const orgKey = `test-${randomUUID()}`;
    const a = await relayOn(orgKey);
    const b = await relayOn(orgKey); // default 60 s poll: it wakes because it was told of A's commit
    const [conv] = await conversations(a, 1);
    if (!conv) throw new Error('no conversation');
    const until = Date.now() + 700;
    await a.relay.services.engine.runAs({ userId: a.admin.id, role: 'admin' }, 'snoozeConversation', { conversationId: conv.id, until });
    relays.splice(relays.indexOf(a), 1);
    await a.relay.close();
    const store = b.relay.services.store;
    await afterCommits(b.relay.services.engine, async () => (await store.rows.get('conversations', conv.id))?.snoozedBy === null);
    const woken = await store.rows.get('conversations', conv.id);
    expect(b.relay.services.timers.stats.fired).toBe(1);
    // not a minute later at the next poll (the notice armed B)
    expect((woken?.wokenAt ?? Infinity) - until).toBeLessThan(30_000);
  });
});

describe('a provider account\'s send pace across two relays', () => {
  const previousKey = process.env.PARLEY_SECRET_KEY;
  let api: FakeApi;
  const arrivals: number[] = [];
  beforeAll(async () => {
    // both relays read the account's sealed credentials from the shared database
    process.env.PARLEY_SECRET_KEY = randomBytes(32).toString('base64');
    api = await startFakeApi();
    let n = 0;
    api.reply((_q, res) => {
      arrivals.push(Date.now());
      sendJson(res, 201, { sid: `SM${String(++n).padStart(32, '0')}`, status: 'queued' });
    });
  });
  afterAll(async () => {
    await api.close();
    if (previousKey === undefined) delete process.env.PARLEY_SECRET_KEY;
    else process.env.PARLEY_SECRET_KEY = previousKey;
  });

  it('keeps 4 sends a second (burst 4) with both relays sending at once', async () => {
    db = await createTestDatabase();
    const orgKey = `test-${randomUUID()}`;
    // each relay runs at most 8 sends at once (they wait for their slots): both must send
    const a = await relayOn(orgKey, { effects: { maxRunning: 8 } });
    const b = await relayOn(orgKey, { effects: { maxRunning: 8 } });
    const rate = 4;
    const token = (await a.login(a.admin.email)).accessToken;
    const put = await fetch(`${a.relay.httpUrl}/admin/providers`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({
        kind: 'twilio', groupId: a.groups.sales.name, channel: 'sms', sendRatePerSecond: rate,
        public: { accountSid: 'AC' + 'e5'.repeat(16), number: '+15005550006', apiBaseUrl: api.url }, secrets: { authToken: 'pace-test-token' },
      }),
    });
    expect(put.status).toBe(200);
    const convs = await conversations(a, 4);
    arrivals.length = 0;
    // 8 sends committed on each relay at once: each relay runs its own
    await Promise.all([
      ...Array.from({ length: 8 }, (_, i) => send(a, convs[i % 4] as { id: string; contactId: string }, `from A ${i}`)),
      ...Array.from({ length: 8 }, (_, i) => send(b, convs[i % 4] as { id: string; contactId: string }, `from B ${i}`)),
    ]);
    const store = a.relay.services.store;
    const engines = [a.relay.services.engine, b.relay.services.engine];
    await afterCommits(engines, async () => (await store.get<{ n: number }>("SELECT count(*) AS n FROM messages WHERE status = 'sent'"))?.n === 16);
    const claimed = [a.relay.services.effects.stats.claimed, b.relay.services.effects.stats.claimed];
    expect(claimed[0]).toBeGreaterThan(0);
    expect(claimed[1]).toBeGreaterThan(0);
    expect((claimed[0] as number) + (claimed[1] as number)).toBe(16);
    // arrival times at the fake Twilio API (one clock for both relays)
    expect(arrivals).toHaveLength(16);
    arrivals.sort((x, y) => x - y);
    // any window of t ms holds at most burst + t × rate sends, give or take 1.5 intervals (375 ms)
    // for the way from slot to provider (HTTP, a busy machine). Per-relay limits would send twice
    // the rate: 8 at once (2.5 over), the 16 within about 1 s.
    const slack = 1.5 * (1000 / rate);
    let worst = -Infinity;
    for (let i = 0; i < arrivals.length; i++) {
      for (let j = i; j < arrivals.length; j++) {
        const allowed = rate + (((arrivals[j] as number) - (arrivals[i] as number) + slack) * rate) / 1000;
        worst = Math.max(worst, j - i + 1 - allowed);
      }
    }
    console.log(`effectsCluster: 16 sends (A ${claimed[0]}, B ${claimed[1]}) over ${(arrivals[15] as number) - (arrivals[0] as number)} ms at ${rate}/s across two relays; worst window excess ${worst.toFixed(2)}`);
    expect(worst).toBeLessThanOrEqual(0);
    // 16 sends at 4/s with a burst of 4 take at least 3 s (12 intervals) from the first slot
    expect((arrivals[15] as number) - (arrivals[0] as number)).toBeGreaterThanOrEqual(3000 - 2 * slack);
  });
});
