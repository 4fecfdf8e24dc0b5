// The real Electron app through Playwright's _electron launcher, when the Electron
// binary is installed (it cannot be downloaded on offline machines) and better-sqlite3 is
// built for Electron's ABI: in dist/app after `npm run dist` (electron-builder rebuilds it
// there; the project's node_modules stays built for Node). Skipped otherwise, saying why;
// PARLEY_REQUIRE_ELECTRON=1 (the release workflow) turns a skip into a failure.
// It drives the unpackaged app: the packaged one has the --inspect fuse off, which is
// exactly what Playwright's launcher needs.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { _electron } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRelay, type TestOrg } from '../server/testing';
// A CommonJS build script, shared with electron-builder's afterPack hook.
const { moduleVersionOf, electronAbi } = createRequire(import.meta.url)('../scripts/check-native-abi.cjs') as { moduleVersionOf: (f: string) => number | null; electronAbi: (v: string) => number };
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

/** The app folder whose better-sqlite3 matches Electron's ABI, or why there is none. */
function appDir(): { dir: string } | { why: string } {
  const version = (createRequire(join(root, 'package.json'))('electron/package.json') as { version: string }).version;
  const want = electronAbi(version);
  for (const dir of [join(root, 'dist/app'), root]) {
    const node = join(dir, 'node_modules/better-sqlite3/build/Release/better_sqlite3.node');
    if (existsSync(node) && moduleVersionOf(node) === want) return { dir };
  }
  return { why: `better-sqlite3 is not built for Electron ${version} (NODE_MODULE_VERSION ${want}): run \`npm run dist\` first` };
}

const bin = electronBinary();
const target = bin ? appDir() : { why: 'no usable Electron binary in node_modules/electron (offline install)' };
const skipReason = 'why' in target ? target.why : null;
if (skipReason) {
  if (process.env.PARLEY_REQUIRE_ELECTRON === '1') throw new Error(`electron.test.ts cannot run: ${skipReason}`);
  console.log(`electron.test.ts: skipped — ${skipReason}`);
}
const maybe = skipReason ? describe.skip : describe;

maybe('Electron app', () => {
  let org: TestOrg;
  const userData = mkdtempSync(join(tmpdir(), 'parley-electron-'));
  beforeAll(async () => {
    org = await startTestRelay();
    if (target !== null && 'dir' in target && target.dir === root) {
      const r = spawnSync('npx', ['tsx', 'scripts/build-electron.ts'], { cwd: root, stdio: 'inherit' });
      if (r.status !== 0) throw new Error('build-electron failed');
    }
  });
  afterAll(async () => {
    await org?.relay.close();
    rmSync(userData, { recursive: true, force: true, maxRetries: 5 });
  });

  it('opens a locked-down window, exposes only window.parley and signs in', async () => {
    const app = await _electron.launch({
      executablePath: bin!,
      args: ['dir' in target ? target.dir : root],
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

if (skipReason) it.skip(`Electron app — skipped: ${skipReason}`, () => undefined);
