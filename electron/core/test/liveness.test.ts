import { afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { WebSocketServer } from 'ws';
import { Replica } from '../db/replica';
import { MutationEngine } from '../engine/engine';
import { SyncClient } from '../sync/syncClient';
import { tempDir, tinyRegistry } from './helpers';
import { waitFor } from './harness';
import { PROTOCOL_VERSION } from '../../../shared/protocol/index';

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

describe('sync liveness', () => {
  it('a relay that stops answering is dropped after missed pings, then reconnected with backoff', async () => {
    // a "relay" that accepts the socket and then never says anything
    const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    await new Promise<void>((r) => wss.once('listening', () => r()));
    cleanup.push(() => new Promise<void>((r) => wss.close(() => r())));
    let connections = 0;
    const hellos: unknown[] = [];
    wss.on('connection', (ws) => {
      connections++;
      ws.on('message', (d: Buffer) => hellos.push(JSON.parse(d.toString())));
    });
    const replica = Replica.open(join(tempDir(), 'r.sqlite'));
    cleanup.push(() => replica.close());
    replica.initMeta({ clientId: 'c1', userId: 'u1', relayUrl: 'http://x', role: 'agent' });
    const states: string[] = [];
    const client = new SyncClient({
      wsUrl: `ws://127.0.0.1:${(wss.address() as { port: number }).port}/sync`,
      replica,
      engine: new MutationEngine(replica, tinyRegistry, () => ({ userId: 'u1', role: 'agent' })),
      token: async () => 'token',
      onState: (s) => states.push(s),
      onPoke: () => undefined,
      onRejected: () => undefined,
      onAuthLost: () => undefined,
      pingIntervalMs: 100,
    });
    cleanup.push(() => client.stop());
    client.start();
    await waitFor(() => connections >= 2, 'a second connection after the silent one was dropped', 10_000);
    expect(hellos[0]).toMatchObject({ type: 'hello', protocolVersion: PROTOCOL_VERSION, clientId: 'c1', cookie: null, lastMutationId: 0 });
    expect(hellos.some((h) => (h as { type: string }).type === 'ping')).toBe(true);
    expect(states).toContain('offline');
    expect(states.at(0)).toBe('connecting');
  });
});
