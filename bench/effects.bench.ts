// Effects as jobs (issue 15): how fast committed sends reach the provider through the jobs table.
// - latency: a sendMessage commit to its provider call, one at a time (p50/p99), on SQLite and on
//   PostgreSQL;
// - throughput: 500 sends committed at once until the provider saw all of them, with one relay on
//   SQLite, one relay and two relays on one PostgreSQL database (each send claimed exactly once).
// The provider answers at once: this measures the relay's claim/finish work, not a provider.
import { loadavg } from 'node:os';
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { uuidv7 } from 'uuidv7';
import { startTestRelay, type TestOrg } from '../server/testing';
import { createTestDatabase } from '../server/store/testDatabase';
import { SYSTEM_ACTOR } from '../server/sync/engine';
import type { ChannelProvider, OutboundMessage, ProviderRegistry } from '../server/providers/types';
import { atLeast, atMost } from './scale/figures';

const load = () => loadavg().map((x) => +x.toFixed(2));
const SENDS = 500;
const LATENCY_SAMPLES = 100;

interface Provider {
  registry: ProviderRegistry;
  sent: Map<string, number>;
  waiters: Map<string, () => void>;
  all(n: number): Promise<void>;
}

function provider(): Provider {
  const sent = new Map<string, number>();
  const waiters = new Map<string, () => void>();
  let onCount: (() => void) | null = null;
  const channel: ChannelProvider = {
    kind: 'twilio',
    async send(m: OutboundMessage) {
      sent.set(m.messageId, (sent.get(m.messageId) ?? 0) + 1);
      waiters.get(m.messageId)?.();
      onCount?.();
      return { ok: true, providerMessageId: `SM-${m.messageId}` };
    },
  };
  return {
    sent,
    waiters,
    registry: { channelFor: () => channel, payments: () => ({ kind: 'manual', createLink: async (r) => ({ url: `https://pay.example/${r.id}`, providerRef: r.id }) }), sendRatePerSecond: () => 1000, webhook: () => undefined },
    all: (n) => new Promise<void>((resolve) => {
      onCount = () => sent.size >= n && resolve();
      onCount();
    }),
  };
}

async function conversation(o: TestOrg): Promise<{ id: string; contactId: string; groupId: string }> {
  await o.relay.services.engine.runAs(SYSTEM_ACTOR, 'receiveInbound', { groupId: o.groups.sales.id, channel: 'sms', from: '+447700900123', body: 'hi' });
  const c = (await o.relay.services.engine.store.rows.find('conversations', {}))[0];
  if (!c) throw new Error('no conversation');
  return { id: c.id, contactId: c.contactId, groupId: c.groupId };
}

const sendOn = (o: TestOrg, c: { id: string; contactId: string; groupId: string }, id: string) =>
  o.relay.services.engine.runAs({ userId: o.alice.id, role: 'agent' }, 'sendMessage', { id, conversationId: c.id, contactId: c.contactId, groupId: c.groupId, channel: 'sms', body: 'bench' });

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))] ?? NaN;

async function latency(o: TestOrg, p: Provider): Promise<{ p50: number; p99: number }> {
  const c = await conversation(o);
  const ms: number[] = [];
  for (let i = 0; i < LATENCY_SAMPLES; i++) {
    const id = uuidv7();
    const reached = new Promise<number>((r) => p.waiters.set(id, () => r(performance.now())));
    const t0 = performance.now();
    await sendOn(o, c, id);
    ms.push((await reached) - t0);
    p.waiters.delete(id);
  }
  return { p50: pct(ms, 50), p99: pct(ms, 99) };
}

async function throughput(relays: TestOrg[], p: Provider): Promise<{ perSecond: number; duplicates: number }> {
  const c = await conversation(relays[0] as TestOrg);
  const before = p.sent.size;
  const t0 = performance.now();
  const all = p.all(before + SENDS);
  await Promise.all(Array.from({ length: SENDS }, (_, i) => sendOn(relays[i % relays.length] as TestOrg, c, uuidv7())));
  await all;
  const s = (performance.now() - t0) / 1000;
  await Promise.all(relays.map((r) => r.relay.services.effects.idle()));
  return { perSecond: SENDS / s, duplicates: [...p.sent.values()].filter((n) => n > 1).length };
}

export async function run(): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = { loadAverageAtStart: load() };
  {
    const p = provider();
    const o = await startTestRelay({ providers: p.registry, log: () => undefined });
    try {
      const l = await latency(o, p);
      const t = await throughput([o], p);
      out.sqlite = {
        commitToProviderP50: atMost(l.p50, 20, 'ms'),
        commitToProviderP99: atMost(l.p99, 100, 'ms'),
        sendsPerSecond: atLeast(t.perSecond, 200, 'sends/s', `${SENDS} committed at once, one relay`),
        duplicates: atMost(t.duplicates, 0, 'sends'),
      };
    } finally {
      await o.relay.close();
    }
  }
  try {
    const db = await createTestDatabase();
    const orgKey = `bench-${randomUUID()}`;
    const p = provider();
    const on = { databaseUrl: db.url, providers: p.registry, log: () => undefined };
    const a = await startTestRelay({ ...on, natsUrl: process.env.PARLEY_TEST_NATS_URL ?? 'nats://127.0.0.1:4222', orgKey });
    let b: TestOrg | null = null;
    try {
      const l = await latency(a, p);
      const one = await throughput([a], p);
      b = await startTestRelay({ ...on, natsUrl: process.env.PARLEY_TEST_NATS_URL ?? 'nats://127.0.0.1:4222', orgKey });
      const two = await throughput([a, b], p);
      out.postgres = {
        commitToProviderP50: atMost(l.p50, 30, 'ms'),
        commitToProviderP99: atMost(l.p99, 150, 'ms'),
        // two serialized commits per send (the send, its result): bounded by the organisation's
        // write rate; a provider account sends 1-20/s, so 50/s serves several accounts at full pace
        sendsPerSecondOneRelay: atLeast(one.perSecond, 50, 'sends/s', `${SENDS} committed at once`),
        sendsPerSecondTwoRelays: atLeast(two.perSecond, 50, 'sends/s', `${SENDS} committed at once, half on each relay, either claims`),
        duplicates: atMost(one.duplicates + two.duplicates, 0, 'sends'),
      };
    } finally {
      await b?.relay.close();
      await a.relay.close();
      await db.drop();
    }
  } catch (e) {
    out.postgres = { error: e instanceof Error ? e.message : String(e) };
  }
  out.loadAverageAtEnd = load();
  return out;
}
