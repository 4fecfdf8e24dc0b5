// Relay benchmarks: mutations/s in-process, own-mutation round trip over WebSocket next to
// a raw ws echo on the same machine, and poke fan-out latency to 100 connected clients.
import { performance } from 'node:perf_hooks';
import { WebSocketServer, WebSocket } from 'ws';
import { uuidv7 } from 'uuidv7';
import { startTestRelay, type TestOrg } from '../server/testing';
import { WsTestClient } from '../server/test/wsClient';
import { SYSTEM_ACTOR } from '../server/sync/engine';

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return Number((s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? 0).toFixed(3));
};

async function setup(org: TestOrg): Promise<{ contactIds: string[]; convIds: string[] }> {
  const engine = org.relay.services.engine;
  const contactIds: string[] = [];
  const convIds: string[] = [];
  for (let i = 0; i < 20; i++) {
    const from = `+447700900${String(100 + i)}`;
    await engine.runAs(SYSTEM_ACTOR, 'receiveInbound', { groupId: org.groups.sales.id, channel: 'sms', from, body: 'hello' });
    const contact = (await engine.store.rows.find('contacts', { phone: from }))[0];
    if (!contact) throw new Error('no contact');
    contactIds.push(contact.id);
    const conv = (await engine.store.rows.find('conversations', { contactId: contact.id }))[0];
    if (conv) convIds.push(conv.id);
  }
  await org.relay.services.effects.idle();
  return { contactIds, convIds };
}

async function mutationsPerSecond(org: TestOrg, convIds: string[], contactIds: string[]): Promise<Record<string, unknown>> {
  const engine = org.relay.services.engine;
  const clientId = uuidv7();
  await engine.registerClient(clientId, org.alice.id);
  const actor = { userId: org.alice.id, role: 'agent' as const };
  const n = 3000;
  let rejected = 0;
  const t0 = performance.now();
  for (let i = 1; i <= n; i++) {
    const k = i % 10;
    const conv = convIds[i % convIds.length] as string;
    const m =
      k < 6
        ? { name: 'sendMessage', args: { id: uuidv7(), conversationId: conv, contactId: contactIds[i % contactIds.length], groupId: org.groups.sales.id, channel: 'sms', body: `Message ${i} about your order` } }
        : k < 9
          ? { name: 'addNote', args: { id: uuidv7(), conversationId: conv, body: `note ${i}` } }
          : { name: 'markRead', args: { targetId: conv, at: Date.now() } };
    const out = await engine.runPushed(clientId, actor, { id: i, ...m });
    if (out.kind === 'applied' && out.result.status === 'rejected') rejected++;
  }
  const ms = performance.now() - t0;
  await org.relay.services.effects.idle();
  return { mutations: n, rejected, seconds: Number((ms / 1000).toFixed(3)), mutationsPerSecond: Math.round((n / ms) * 1000), mix: '60% sendMessage (with provider effect), 30% addNote, 10% markRead' };
}

async function roundTrip(org: TestOrg, convId: string): Promise<Record<string, unknown>> {
  const { accessToken } = await org.login('alice@test.parley');
  const c = await WsTestClient.synced(org.relay.wsUrl, accessToken);
  const times: number[] = [];
  for (let i = 0; i < 300; i++) {
    const t0 = performance.now();
    await c.mutate('addNote', { id: uuidv7(), conversationId: convId, body: `round trip ${i}` });
    times.push(performance.now() - t0);
    c.clear();
  }
  await c.close();
  // the same shape of traffic over a bare ws echo server
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  wss.on('connection', (ws) => ws.on('message', (d) => ws.send(d)));
  await new Promise((r) => wss.once('listening', r));
  const port = (wss.address() as { port: number }).port;
  const ws = new WebSocket(`ws://127.0.0.1:${port}`);
  await new Promise((r) => ws.once('open', r));
  const payload = JSON.stringify({ type: 'push', mutations: [{ id: 1, name: 'addNote', args: { id: uuidv7(), conversationId: convId, body: 'round trip 1' } }] });
  const echo: number[] = [];
  for (let i = 0; i < 300; i++) {
    const t0 = performance.now();
    await new Promise<void>((r) => {
      ws.once('message', () => r());
      ws.send(payload);
    });
    echo.push(performance.now() - t0);
  }
  ws.close();
  await new Promise((r) => wss.close(r));
  return { samples: 300, p50ms: pct(times, 50), p99ms: pct(times, 99), rawWsEchoP50ms: pct(echo, 50), rawWsEchoP99ms: pct(echo, 99) };
}

async function fanOut(org: TestOrg, convId: string): Promise<Record<string, unknown>> {
  const tokens = await Promise.all(['alice', 'bob', 'admin'].map((u) => org.login(`${u}@test.parley`).then((s) => s.accessToken)));
  const clients: WsTestClient[] = [];
  for (let i = 0; i < 100; i++) clients.push(await WsTestClient.synced(org.relay.wsUrl, tokens[i % 3] as string));
  const { accessToken } = await org.login('admin@test.parley');
  const pusher = await WsTestClient.synced(org.relay.wsUrl, accessToken);
  const lat: number[] = [];
  for (let i = 0; i < 30; i++) {
    const id = uuidv7();
    const t0 = performance.now();
    const arrivals = clients.map((c) => c.waitFor('poke', (p) => p.puts.some((x) => x.r.id === id)).then(() => lat.push(performance.now() - t0)));
    pusher.push({ name: 'addNote', args: { id, conversationId: convId, body: `fan-out ${i}` } });
    await Promise.all(arrivals);
    for (const c of clients) c.clear();
  }
  await Promise.all([...clients, pusher].map((c) => c.close()));
  return { clients: 100, pokes: 30, p50ms: pct(lat, 50), p99ms: pct(lat, 99) };
}

export async function run(): Promise<Record<string, unknown>> {
  const org = await startTestRelay({ log: () => undefined });
  try {
    const { contactIds, convIds } = await setup(org);
    const conv = convIds[0] as string;
    return {
      mutationsInProcess: await mutationsPerSecond(org, convIds, contactIds),
      ownMutationRoundTrip: await roundTrip(org, conv),
      pokeFanOut100: await fanOut(org, conv),
    };
  } finally {
    await org.relay.close();
  }
}
