// Issue 12 item 14, `npm start` as a person trying the demo runs it: a second person is one
// command (`npm start -- --user ben@parley.test`: signed in, own data dir, the same relay), a
// second plain `npm start` in the folder starts no second relay or window, and a restarted
// `npm start` comes back on the same address and secret (an open tab reconnects).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { BridgeEventFrame, BridgeResponse } from '../shared/bridgeWire';
import { root } from './harness';

const data = mkdtempSync(join(tmpdir(), 'parley-start-'));
const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  rmSync(data, { recursive: true, force: true, maxRetries: 5 });
});

interface Started {
  child: ChildProcess;
  lines: string[];
  url: string | null;
  exit: Promise<number | null>;
}

/** `npm start -- …args` in a folder whose .data is this test's; resolves once it is up (or has exited). */
function start(args: string[] = []): Promise<Started> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'scripts/start.ts'), ...args], {
    cwd: root,
    env: { ...process.env, PARLEY_DATA_DIR: data, PARLEY_RELAY_PORT: '0', PARLEY_NO_ELECTRON: '1', DISPLAY: '', WAYLAND_DISPLAY: '' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  const lines: string[] = [];
  const exit = new Promise<number | null>((ok) => child.once('exit', ok));
  return new Promise((ok) => {
    const s: Started = { child, lines, url: null, exit };
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (l) => {
      lines.push(l);
      const m = /^open: (\S+)/.exec(l);
      if (m?.[1]) s.url = m[1];
      if (l.startsWith('Ctrl+C')) ok(s);
    });
    void exit.then(() => ok(s));
  });
}

async function session(pageUrl: string): Promise<{ email?: string } | null> {
  const page = new URL(pageUrl);
  const secret = new URLSearchParams(page.hash.slice(1)).get('secret') ?? '';
  const ws = new WebSocket(`ws://${page.host}/bridge?secret=${encodeURIComponent(secret)}`, { origin: page.origin });
  try {
    await new Promise<void>((ok, fail) => {
      ws.once('open', () => ok());
      ws.once('error', fail);
    });
    // The socket also carries the core's events (`{event}`): wait for the answer to this very call.
    const callId = 1;
    const r = await new Promise<BridgeResponse>((ok, fail) => {
      const onMessage = (d: Buffer) => {
        const m = JSON.parse(d.toString()) as BridgeResponse | BridgeEventFrame;
        if (!('id' in m) || m.id !== callId) return;
        ws.off('message', onMessage);
        ok(m);
      };
      ws.on('message', onMessage);
      ws.once('close', () => fail(new Error('the bridge closed before answering the session query')));
      ws.send(JSON.stringify({ id: callId, kind: 'query', name: 'session', args: {} }));
    });
    if (!r.ok) throw new Error(`the session query failed: ${r.error.message}`);
    return r.result as { email?: string } | null; // the `session` query's result (shared/bridge.ts)
  } finally {
    ws.close();
  }
}

const stop = async (s: Started) => {
  s.child.kill('SIGINT');
  await s.exit;
};

describe('npm start', () => {
  it('a second person is one command; one relay and one window per folder; a restart keeps the address', async () => {
    const first = await start();
    expect(first.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#secret=/);

    const ben = await start(['--user', 'ben@parley.test']);
    expect(ben.lines.some((l) => l.startsWith('using the relay already running for this folder'))).toBe(true);
    expect(ben.url).not.toBe(first.url);
    expect((await session(ben.url ?? ''))?.email).toBe('ben@parley.test');

    // the same folder, the same person: no second relay, no second core on one replica
    const again = await start();
    expect(await again.exit).toBe(0);
    expect(again.lines.join('\n')).toContain('is already running in this folder');
    expect(again.url).toBe(first.url);

    await stop(ben);
    await stop(first);
    const restarted = await start();
    try {
      // same port, same secret: the tab left open reconnects (its relay= hint may differ: this test's relay takes any port)
      const where = (u: string | null) => {
        const x = new URL(u ?? '');
        return `${x.host} ${new URLSearchParams(x.hash.slice(1)).get('secret') ?? ''}`;
      };
      expect(where(restarted.url)).toBe(where(first.url));
      expect(await session(restarted.url ?? '')).toBeNull();
    } finally {
      await stop(restarted);
    }
  });
});
