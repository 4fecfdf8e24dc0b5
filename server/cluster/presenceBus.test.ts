// Presence between relays over the real NATS server: each relay is the real RelayPresence
// (server/sync/presence.ts) on a NatsPresenceBus; sockets are presence's own socket interface.
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { PresenceDownFrame } from '../../shared/protocol/index';
import { RelayPresence, type PresenceEvent, type PresenceSocket } from '../sync/presence';
import { ClusterBus } from './bus';
import { NatsPresenceBus, type NatsPresenceOptions } from './presenceBus';
import { NATS_URL, NatsProxy } from './test/natsProxy';
import { Recorder } from './test/record';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

interface TestRelay {
  bus: ClusterBus;
  nats: NatsPresenceBus;
  presence: RelayPresence;
  /** what the bus told this relay's presence */
  heard: Recorder<PresenceEvent>;
  socket(userId: string): PresenceSocket;
}

async function relay(orgKey: string, id: string, opts: NatsPresenceOptions = {}, url = NATS_URL): Promise<TestRelay> {
  const bus = await ClusterBus.connect({ url, orgKey, relayId: id, reconnectWaitMs: 50 });
  const nats = new NatsPresenceBus(bus, opts);
  const heard = new Recorder<PresenceEvent>();
  nats.subscribe(heard.push);
  const presence = new RelayPresence({ recipients: () => [], conversation: () => undefined, bus: nats, source: id, throttleMs: 0 });
  cleanups.push(async () => {
    presence.stop();
    nats.close(true);
    await bus.close();
  });
  return {
    bus,
    nats,
    presence,
    heard,
    socket: (userId) => ({ userId, viewer: { id: userId, role: 'agent', groupIds: new Set<string>() }, send: (_f: PresenceDownFrame) => undefined }),
  };
}

const about = (userId: string, online: boolean) => (items: readonly PresenceEvent[]) => {
  const last = [...items].reverse().find((e) => e.userId === userId);
  return online ? last?.state != null : last !== undefined && last.state === null;
};

describe('NatsPresenceBus', () => {
  it("two relays see each other's users: online, away, offline", async () => {
    const orgKey = `t-${randomUUID()}`;
    const a = await relay(orgKey, 'relay-a');
    const b = await relay(orgKey, 'relay-b');
    const alice = a.socket('alice');
    a.presence.open(alice);
    await b.heard.until(about('alice', true));
    expect(b.presence.stateOf('alice')).toEqual({ status: 'online', viewing: [] });
    const bob = b.socket('bob');
    b.presence.open(bob);
    await a.heard.until(about('bob', true));
    expect(a.presence.stateOf('bob')?.status).toBe('online');
    a.presence.update(alice, { type: 'presence', status: 'away' });
    await b.heard.until((x) => x.some((e) => e.userId === 'alice' && e.state?.status === 'away'));
    expect(b.presence.stateOf('alice')?.status).toBe('away');
    // alice online on both relays: online while either socket is
    const alice2 = b.socket('alice');
    b.presence.open(alice2);
    expect(b.presence.stateOf('alice')?.status).toBe('online');
    a.presence.close(alice);
    await b.heard.until(about('alice', false));
    expect(b.presence.stateOf('alice')?.status).toBe('online');
    b.presence.close(alice2);
    expect(b.presence.stateOf('alice')).toBeNull();
  });

  it('a relay that starts later learns the users already online on the others', async () => {
    const orgKey = `t-${randomUUID()}`;
    const a = await relay(orgKey, 'relay-a');
    for (let i = 0; i < 600; i++) a.presence.open(a.socket(`user-${i}`)); // two `full` parts
    const c = await relay(orgKey, 'relay-c');
    await c.heard.until((x) => new Set(x.filter((e) => e.state).map((e) => e.userId)).size === 600);
    expect(c.presence.stateOf('user-0')?.status).toBe('online');
    expect(c.presence.stateOf('user-599')?.status).toBe('online');
  });

  it("a relay that dies without a goodbye has its users go offline on the others after the TTL", async () => {
    const orgKey = `t-${randomUUID()}`;
    const opts = { heartbeatMs: 100, ttlMs: 1500 };
    const a = await relay(orgKey, 'relay-a', opts);
    const b = await relay(orgKey, 'relay-b', opts);
    a.presence.open(a.socket('alice'));
    await b.heard.until(about('alice', true));
    const t0 = Date.now();
    // the process is gone: heartbeats stop, the connection closes, no `bye`
    a.nats.close(false);
    await a.bus.close();
    await b.heard.until(about('alice', false));
    expect(Date.now() - t0).toBeGreaterThanOrEqual(opts.ttlMs - opts.heartbeatMs);
    expect(b.presence.stateOf('alice')).toBeNull();
    expect(b.nats.expired).toBe(1);
    expect(b.nats.peerIds).not.toContain('relay-a');
  });

  it('a relay closing cleanly takes its users offline at once (bye), well before the TTL', async () => {
    const orgKey = `t-${randomUUID()}`;
    const opts = { heartbeatMs: 60_000, ttlMs: 600_000 };
    const a = await relay(orgKey, 'relay-a', opts);
    const b = await relay(orgKey, 'relay-b', opts);
    a.presence.open(a.socket('alice'));
    await b.heard.until(about('alice', true));
    a.nats.close(true);
    await a.bus.close();
    await b.heard.until(about('alice', false));
    expect(b.presence.stateOf('alice')).toBeNull();
  });

  it('a relay cut off from NATS expires on the others, and its users come back with it', async () => {
    const orgKey = `t-${randomUUID()}`;
    const opts = { heartbeatMs: 100, ttlMs: 1000 };
    const proxy = new NatsProxy();
    await proxy.start();
    cleanups.push(() => proxy.stop());
    const a = await relay(orgKey, 'relay-a', opts, proxy.url);
    const b = await relay(orgKey, 'relay-b', opts);
    a.presence.open(a.socket('alice'));
    await b.heard.until(about('alice', true));
    await proxy.cut();
    await b.heard.until(about('alice', false));
    expect(b.presence.stateOf('alice')).toBeNull();
    await proxy.start();
    await b.heard.until(about('alice', true));
    expect(b.presence.stateOf('alice')?.status).toBe('online');
  });

  it('refuses malformed presence messages', async () => {
    const orgKey = `t-${randomUUID()}`;
    const logged = new Recorder<string>();
    const busA = await ClusterBus.connect({ url: NATS_URL, orgKey, relayId: 'relay-a' });
    const b = await ClusterBus.connect({ url: NATS_URL, orgKey, relayId: 'relay-b' });
    const nb = new NatsPresenceBus(b, { log: logged.push });
    cleanups.push(async () => {
      nb.close();
      await b.close();
      await busA.close();
    });
    const heard = new Recorder<PresenceEvent>();
    nb.subscribe(heard.push);
    busA.publish('presence', Buffer.from('{"k":"state","userId":"x","state":{"status":"dancing","viewing":[]}}'));
    busA.publish('presence', Buffer.from('nope'));
    busA.publish('presence', Buffer.from('{"k":"state","userId":"y","state":{"status":"online","viewing":[]}}'));
    await heard.until((x) => x.length === 1);
    expect(heard.items.map((e) => e.userId)).toEqual(['y']);
    expect(logged.items.filter((m) => m.includes('refused')).length).toBe(2);
  });
});
