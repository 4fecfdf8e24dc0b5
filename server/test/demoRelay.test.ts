// Issue 12 item 14, the demo: README's `npm run relay -- simulate inbound --group Sales …` works as
// written against the running demo relay (no --data, no credentials), and a second relay on the
// same data dir is refused (two relays on one database would race its version counter).
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { startRelay } from '../relay';
import { RelayRunningError, runningRelay } from '../relayLock';

const root = resolve(import.meta.dirname, '../..');
const dataRoot = mkdtempSync(join(tmpdir(), 'parley-demo-'));
const relayDir = join(dataRoot, 'relay');
const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  rmSync(dataRoot, { recursive: true, force: true, maxRetries: 5 });
});

/** `npm run relay -- …` with this test's folder as the checkout's .data (PARLEY_DATA_DIR, as npm start uses). */
function cli(args: string[]): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'server/cli.ts'), ...args], {
    cwd: root,
    env: { ...process.env, PARLEY_DATA_DIR: dataRoot, PARLEY_ADMIN_EMAIL: '', PARLEY_ADMIN_PASSWORD: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  return child;
}

async function run(args: string[]): Promise<{ code: number | null; out: string }> {
  const child = cli(args);
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const code = await new Promise<number | null>((ok) => child.once('exit', ok));
  return { code, out };
}

describe('the demo relay', () => {
  it('the documented simulate command reaches the running demo relay; a second relay on its data is refused', async () => {
    const serving = cli(['serve', '--seed', 'demo', '--port', '0', '--data', relayDir]);
    const url = await new Promise<string>((ok, fail) => {
      // stdout is the relay's JSON log: the `relay started` line says where it listens
      createInterface({ input: serving.stdout as NodeJS.ReadableStream }).on('line', (l) => {
        const line = JSON.parse(l) as { msg?: string; httpUrl?: string };
        if (line.msg === 'relay started' && line.httpUrl) ok(line.httpUrl);
      });
      serving.once('exit', (c) => fail(new Error(`relay exited ${c}`)));
    });
    expect(runningRelay(relayDir)?.httpUrl).toBe(url);

    // exactly the README's words: no --data, no admin credentials
    const r = await run(['simulate', 'inbound', '--group', 'Sales', '--from', '+447700900123', 'Hello from the README']);
    expect(r.out).toContain('delivered');
    expect(r.code).toBe(0);
    const db = new Database(join(relayDir, 'relay.sqlite'), { readonly: true });
    try {
      expect(db.prepare('SELECT count(*) AS n FROM messages WHERE body = ?').get('Hello from the README')).toEqual({ n: 1 });
    } finally {
      db.close();
    }

    // a second relay on the same data: in this process, and as the CLI
    await expect(startRelay({ dataDir: relayDir, port: 0 })).rejects.toBeInstanceOf(RelayRunningError);
    const second = await run(['serve', '--port', '0', '--data', relayDir]);
    expect(second.code).not.toBe(0);
    expect(second.out).toMatch(/already serving .* at http:\/\/127\.0\.0\.1:\d+: use it, or stop it first/);

    serving.kill('SIGTERM');
    await new Promise((ok) => serving.once('exit', ok));
    expect(existsSync(join(relayDir, 'relay.lock'))).toBe(false);
    expect(runningRelay(relayDir)).toBeNull();
  });
});
