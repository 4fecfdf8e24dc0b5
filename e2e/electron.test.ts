// The real Electron app through Playwright's _electron launcher, when the Electron
// binary is installed (it cannot be downloaded on offline machines); skipped otherwise.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { _electron } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRelay, type TestOrg } from '../server/testing';
import { root, signIn } from './harness';

function electronBinary(): string | null {
  try {
    const bin = createRequire(join(root, 'package.json'))('electron') as unknown;
    if (typeof bin !== 'string' || !existsSync(bin)) return null;
    const r = spawnSync(bin, ['--version'], { timeout: 5000, env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' } });
    return r.status === 0 ? bin : null;
  } catch {
    return null;
  }
}

const bin = electronBinary();
if (!bin) console.log('electron.test.ts: skipped — no usable Electron binary in node_modules/electron (offline install)');
const maybe = bin ? describe : describe.skip;

maybe('Electron app', () => {
  let org: TestOrg;
  const userData = mkdtempSync(join(tmpdir(), 'parley-electron-'));
  beforeAll(async () => {
    org = await startTestRelay();
    const r = spawnSync('npx', ['tsx', 'scripts/build-electron.ts'], { cwd: root, stdio: 'inherit' });
    if (r.status !== 0) throw new Error('build-electron failed');
  });
  afterAll(async () => {
    await org?.relay.close();
    rmSync(userData, { recursive: true, force: true, maxRetries: 5 });
  });

  it('opens a locked-down window, exposes only window.parley and signs in', async () => {
    const app = await _electron.launch({
      executablePath: bin!,
      args: [root],
      env: { ...process.env, PARLEY_RELAY_URL: org.relay.httpUrl, PARLEY_USER_DATA: userData },
    });
    try {
      const page = await app.firstWindow();
      expect(page.url()).toMatch(/^app:\/\/parley\//);
      // contextIsolation + sandbox + no nodeIntegration: the page sees the bridge and nothing of Node.
      const exposed = await page.evaluate(() => {
        const w = globalThis as unknown as { parley?: { query?: unknown }; require?: unknown; process?: unknown };
        return { parley: typeof w.parley?.query, require: typeof w.require, process: typeof w.process };
      });
      expect(exposed).toEqual({ parley: 'function', require: 'undefined', process: 'undefined' });
      await signIn(page, org.relay.httpUrl, org.alice.email, org.password);
    } finally {
      await app.close();
    }
  });
});

if (!bin) it.skip('Electron app — skipped: no usable Electron binary in node_modules/electron', () => undefined);
