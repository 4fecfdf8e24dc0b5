// Issue 12 item 14: `npm start`'s host keeps its address and page secret across restarts, so a
// tab left open reconnects (before, each start had a new port and secret and the tab was lost).
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { afterAll, describe, expect, it } from 'vitest';
import { startKeptHost } from '../kept';

const tmp = mkdtempSync(join(tmpdir(), 'parley-kept-'));
const www = join(tmp, 'www');
mkdirSync(www);
writeFileSync(join(www, 'index.html'), '<!doctype html><title>Parley</title>');
afterAll(() => rmSync(tmp, { recursive: true, force: true, maxRetries: 5 }));

/** What the tab does: the bridge socket of the page's address, one query. */
async function askSession(pageUrl: string): Promise<unknown> {
  const page = new URL(pageUrl);
  const secret = new URLSearchParams(page.hash.slice(1)).get('secret') ?? '';
  const ws = new WebSocket(`ws://${page.host}/bridge?secret=${encodeURIComponent(secret)}`, { origin: page.origin });
  try {
    await new Promise<void>((ok, fail) => {
      ws.once('open', () => ok());
      ws.once('error', fail);
    });
    return await new Promise((ok) => {
      ws.once('message', (d: Buffer) => ok(JSON.parse(d.toString())));
      ws.send(JSON.stringify({ id: 1, kind: 'query', name: 'session', args: {} }));
    });
  } finally {
    ws.close();
  }
}

describe('the kept browser host', () => {
  it('comes back on the same address with the same secret', async () => {
    const dataDir = join(tmp, 'client');
    const first = await startKeptHost({ dataDir, staticDir: www, fallbackPort: 0 });
    expect(await askSession(first.url)).toEqual({ id: 1, ok: true, result: null });
    expect(statSync(join(dataDir, 'host.json')).mode & 0o077).toBe(0);
    await first.close();
    expect(JSON.parse(readFileSync(join(dataDir, 'host.json'), 'utf8'))).toMatchObject({ pid: null, port: first.port });

    const again = await startKeptHost({ dataDir, staticDir: www, fallbackPort: 0 });
    try {
      expect(again.url).toBe(first.url);
      expect(await askSession(first.url)).toEqual({ id: 1, ok: true, result: null });
    } finally {
      await again.close();
    }
  });
});
