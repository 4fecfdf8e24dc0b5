// The browser host with a real core and relay: the bridge socket's gatekeeping and a
// round trip (sign-in, query, events) as the page would do it.
import WebSocket from 'ws';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBrowserHost, type BrowserHost } from '../electron/host';
import { startTestRelay, type TestOrg } from '../server/testing';
import { bridgeClient, eventually } from './harness';

let org: TestOrg;
let host: BrowserHost;
const tmp = mkdtempSync(join(tmpdir(), 'parley-host-'));

beforeAll(async () => {
  org = await startTestRelay();
  // the host's own behaviour, independent of the renderer build
  const www = join(tmp, 'www');
  mkdirSync(www);
  writeFileSync(join(www, 'index.html'), '<!doctype html><title>Parley</title>');
  host = await startBrowserHost({ dataDir: join(tmp, 'client'), staticDir: www, relayUrl: org.relay.httpUrl });
});
afterAll(async () => {
  await host?.close();
  await org?.relay.close();
  rmSync(tmp, { recursive: true, force: true, maxRetries: 5 });
});

function upgradeStatus(url: string, origin: string | undefined): Promise<number | 'open'> {
  return new Promise((done) => {
    const ws = new WebSocket(url, origin ? { origin } : {});
    ws.once('open', () => {
      ws.close();
      done('open');
    });
    ws.once('unexpected-response', (_req, res) => done(res.statusCode ?? 0));
    ws.once('error', () => undefined);
  });
}

describe('browser host', () => {
  it('serves the renderer only for our Host header', async () => {
    const port = new URL(host.url).port;
    const status = (hostHeader: string) =>
      new Promise<number>((ok, fail) => {
        const r = request({ host: '127.0.0.1', port, path: '/', headers: { host: hostHeader } }, (res) => {
          res.resume();
          ok(res.statusCode ?? 0);
        });
        r.on('error', fail);
        r.end();
      });
    expect(await status(`127.0.0.1:${port}`)).toBe(200);
    expect(await status(`evil.example:${port}`)).toBe(421);
  });

  it('refuses the bridge without the secret or from another origin', async () => {
    const page = new URL(host.url);
    const secret = new URLSearchParams(page.hash.slice(1)).get('secret') ?? '';
    expect(secret.length).toBeGreaterThanOrEqual(32);
    const base = `ws://${page.host}/bridge`;
    expect(await upgradeStatus(`${base}?secret=wrong`, page.origin)).toBe(401);
    expect(await upgradeStatus(`${base}?secret=${secret}`, 'http://evil.example')).toBe(403);
    expect(await upgradeStatus(`${base}?secret=${secret}`, undefined)).toBe(403);
    expect(await upgradeStatus(`${base}?secret=${secret}`, page.origin)).toBe('open');
  });

  it('carries queries, commands and events, and rejects malformed requests', async () => {
    const b = await bridgeClient(host);
    expect(await b.call('query', 'session', {})).toMatchObject({ ok: true, result: null });
    expect(await b.call('query', 'noSuchQuery', {})).toMatchObject({ ok: false, error: { code: 'unknown_name' } });
    expect(await b.call('query', 'inbox', { view: 'nope' })).toMatchObject({ ok: false });
    const signIn = await b.call('command', 'signIn', { relayUrl: org.relay.httpUrl, email: org.alice.email, password: org.password });
    expect(signIn).toMatchObject({ ok: true, result: { email: org.alice.email, role: 'agent' } });
    await eventually(() => b.events.some((e) => (e as { type?: string }).type === 'session'), 'a session event');
    await org.relay.simulator.inbound({ groupId: org.groups.sales.id, from: '+447700900909', body: 'hello host', contactName: 'Host Test' });
    await eventually(async () => {
      const r = await b.call('query', 'inbox', { view: 'team' });
      return ((r.result as { total?: number } | undefined)?.total ?? 0) > 0;
    }, 'the inbound conversation in the inbox');
    expect(b.events.some((e) => (e as { type?: string }).type === 'changed')).toBe(true);
    b.close();
  });
});
