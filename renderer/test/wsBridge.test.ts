// The renderer's WebSocket bridge client against a real ws server on loopback.
import { afterEach, describe, expect, it } from 'vitest';
// eslint-disable-next-line no-restricted-imports -- the test plays the browser host's side of the socket
import { WebSocketServer, WebSocket } from 'ws';
// eslint-disable-next-line no-restricted-imports -- test-only: the address type of the ws server
import type { AddressInfo } from 'node:net';
import type { BridgeEvent } from '../../shared/bridge';
import { createWsBridge, type SocketLike, type WsBridge } from '../bridge/wsBridge';
import { BridgeError } from '../bridge/errors';

const factory = (url: string) => new WebSocket(url) as unknown as SocketLike;
let server: WebSocketServer | null = null;
let client: WsBridge | null = null;

afterEach(async () => {
  client?.close();
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  server = null;
});

/** A tiny host: answers queries with their name and args, fails `command`s, can push events. */
async function startHost(port = 0): Promise<{ url: string; wss: WebSocketServer; sockets: WebSocket[]; frames: unknown[] }> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port });
  await new Promise((r) => wss.once('listening', r));
  const sockets: WebSocket[] = [];
  const frames: unknown[] = [];
  wss.on('connection', (ws, req) => {
    if (!req.url?.includes('secret=s3cret')) return ws.close();
    sockets.push(ws);
    ws.on('message', (d: Buffer) => {
      const m = JSON.parse(d.toString()) as { id: number; kind: string; name: string; args: unknown };
      frames.push(m);
      if (m.kind === 'command') ws.send(JSON.stringify({ id: m.id, ok: false, error: { code: 'invalid_credentials', message: 'Wrong email or password' } }));
      else if (m.name === 'hang') return;
      else ws.send(JSON.stringify({ id: m.id, ok: true, result: { echo: m.name, args: m.args } }));
    });
  });
  server = wss;
  const { port: p } = wss.address() as AddressInfo;
  return { url: `ws://127.0.0.1:${p}/bridge?secret=s3cret`, wss, sockets, frames };
}

describe('wsBridge', () => {
  it('sends requests queued before the socket opens and resolves each by id', async () => {
    const host = await startHost();
    client = createWsBridge(host.url, factory);
    const [a, b] = await Promise.all([client.query('counts', {}), client.query('conversation', { id: 'c1' })]);
    expect(a).toEqual({ echo: 'counts', args: {} });
    expect(b).toEqual({ echo: 'conversation', args: { id: 'c1' } });
    expect(host.frames).toHaveLength(2);
  });

  it('rejects with the host error code and message', async () => {
    const host = await startHost();
    client = createWsBridge(host.url, factory);
    const err = await client.command('signIn', { relayUrl: 'http://x.test', email: 'a@b.test', password: 'p' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BridgeError);
    expect(err).toMatchObject({ code: 'invalid_credentials', message: 'Wrong email or password' });
  });

  it('delivers pushed events to subscribers until they unsubscribe', async () => {
    const host = await startHost();
    client = createWsBridge(host.url, factory);
    const got: BridgeEvent[] = [];
    const off = client.subscribe((e) => got.push(e));
    await client.query('counts', {});
    const ev: BridgeEvent = { type: 'changed', tables: ['messages'], ids: ['m1'] };
    host.sockets[0]?.send(JSON.stringify({ event: ev }));
    await expect.poll(() => got.length).toBe(1);
    expect(got[0]).toEqual(ev);
    off();
    host.sockets[0]?.send(JSON.stringify({ event: ev }));
    await client.query('counts', {}); // a round trip after the second event
    expect(got).toHaveLength(1);
  });

  it('fails in-flight requests when the socket drops, reconnects, and asks for a full refresh', async () => {
    const host = await startHost();
    client = createWsBridge(host.url, factory, { maxBackoffMs: 50 });
    const got: BridgeEvent[] = [];
    client.subscribe((e) => got.push(e));
    await client.query('counts', {});
    const hanging = client.query('hang' as 'counts', {});
    host.sockets[0]?.terminate();
    await expect(hanging).rejects.toMatchObject({ code: 'disconnected' });
    // after reconnecting, requests flow again and listeners hear "everything may have changed"
    await expect(client.query('counts', {})).resolves.toEqual({ echo: 'counts', args: {} });
    await expect.poll(() => got.some((e) => e.type === 'changed' && e.tables.length === 0)).toBe(true);
    expect(host.sockets).toHaveLength(2);
  });
});
