// The relay as an operator runs it in production: `npm run build:relay`, then plain Node on
// dist/relay/cli.mjs (no TypeScript loader). It starts, migrates a new database from the
// project's drizzle folder, serves sign-in and health, and stops cleanly on SIGTERM.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, describe, expect, it } from 'vitest';
import { DEMO_ADMIN_EMAIL, DEMO_PASSWORD } from '../seed/demo';

const root = resolve(import.meta.dirname, '../..');
const dataDir = mkdtempSync(join(tmpdir(), 'parley-built-relay-'));
// a file of its own under dist/ (ignored by git), so a parallel build of dist/relay is untouched
const out = `dist/relay-test-${process.pid}/cli.mjs`;
let child: ChildProcess | undefined;
afterAll(() => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true, maxRetries: 5 });
  rmSync(join(root, out, '..'), { recursive: true, force: true });
});

describe('the built relay', () => {
  it('runs with plain Node: serves the demo organisation, then stops on SIGTERM', async () => {
    execFileSync(process.execPath, ['--import', 'tsx', join(root, 'scripts/build-relay.ts')], { cwd: root, env: { ...process.env, PARLEY_RELAY_OUT: out }, stdio: 'pipe' });
    child = spawn(process.execPath, [join(root, out), 'serve', '--seed', 'demo', '--port', '0', '--data', dataDir], { cwd: tmpdir(), env: { ...process.env, DATABASE_URL: '', NATS_URL: '' }, stdio: ['ignore', 'pipe', 'pipe'] });
    const running = child;
    let stderr = '';
    running.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    const url = await new Promise<string>((ok, fail) => {
      createInterface({ input: running.stdout as NodeJS.ReadableStream }).on('line', (l) => {
        const line = JSON.parse(l) as { msg?: string; httpUrl?: string };
        if (line.msg === 'relay started' && line.httpUrl) ok(line.httpUrl);
      });
      running.once('exit', (c) => fail(new Error(`the built relay exited (${c}): ${stderr}`)));
    });
    expect((await fetch(`${url}/health`)).status).toBe(200);
    const login = await fetch(`${url}/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: DEMO_ADMIN_EMAIL, password: DEMO_PASSWORD }) });
    expect(login.status).toBe(200);
    expect(((await login.json()) as { accessToken?: string }).accessToken).toEqual(expect.any(String));
    running.kill('SIGTERM');
    expect(await new Promise<number | null>((ok) => running.once('exit', ok))).toBe(0);
    expect(stderr).toBe('');
  });
});
