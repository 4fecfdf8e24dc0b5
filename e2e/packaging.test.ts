// Packaging checks that run without Electron's binary: electron-builder.yml against
// electron-builder's schema and the release rules, the packed native module's ABI check,
// release builds refused without signing credentials, and the release workflow's YAML
// against GitHub's workflow schema (action-validator). The full `npm run dist -- --linux dir`
// layout check is not repeated here (it packs for 15 s); see docs/INSTALL.md.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { checkBuilderConfig } from '../scripts/check-builder-config';
import { missingSigning } from '../scripts/signing';
import { root } from './harness';

interface AbiCheck {
  moduleVersionOf: (f: string) => number | null;
  electronAbi: (v: string) => number;
  checkPackedNativeModules: (o: { appOutDir: string; electronVersion: string; release: boolean; unverified: boolean; log?: (s: string) => void }) => { ok: boolean; skipped?: boolean };
}
const abi = createRequire(import.meta.url)('../scripts/check-native-abi.cjs') as AbiCheck;
const electronVersion = (JSON.parse(readFileSync(join(root, 'node_modules/electron/package.json'), 'utf8')) as { version: string }).version;
const tmp = mkdtempSync(join(tmpdir(), 'parley-packaging-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('electron-builder.yml', () => {
  it("passes electron-builder's schema and the release rules", async () => {
    expect(await checkBuilderConfig()).toEqual([]);
    const c = load(readFileSync(join(root, 'electron-builder.yml'), 'utf8')) as Record<string, unknown>;
    expect(c.electronFuses).toMatchObject({ runAsNode: false, enableNodeOptionsEnvironmentVariable: false, enableNodeCliInspectArguments: false, enableCookieEncryption: true, enableEmbeddedAsarIntegrityValidation: true, onlyLoadAppFromAsar: true });
  });
  it('a wrong key fails the schema; replaced .deb dependencies fail the rules', async () => {
    const bad = join(tmp, 'bad.yml');
    writeFileSync(bad, readFileSync(join(root, 'electron-builder.yml'), 'utf8') + '\nnotAnOption: true\n');
    await expect(checkBuilderConfig(bad)).rejects.toThrow(/notAnOption|configuration/);
    const deps = join(tmp, 'deps.yml');
    writeFileSync(deps, readFileSync(join(root, 'electron-builder.yml'), 'utf8').replace('deb:\n  priority: optional', 'deb:\n  priority: optional\n  depends: [libsecret-1-0]'));
    expect((await checkBuilderConfig(deps)).join()).toMatch(/deb.depends/);
  });
});

describe('native module ABI check (afterPack)', () => {
  const nodeBuild = join(root, 'node_modules/better-sqlite3/build/Release/better_sqlite3.node');
  function packed(): string {
    const out = mkdtempSync(join(tmp, 'unpacked-'));
    const dir = join(out, 'resources/app.asar.unpacked/node_modules/better-sqlite3/build/Release');
    mkdirSync(dir, { recursive: true });
    copyFileSync(nodeBuild, join(dir, 'better_sqlite3.node'));
    return out;
  }
  it("reads a module's NODE_MODULE_VERSION", () => {
    expect(abi.moduleVersionOf(nodeBuild)).toBe(Number(process.versions.modules));
    expect(abi.electronAbi(electronVersion)).toBeGreaterThan(Number(process.versions.modules));
  });
  it("fails a build whose packed module is not Electron's", () => {
    expect(() => abi.checkPackedNativeModules({ appOutDir: packed(), electronVersion, release: true, unverified: false })).toThrow(/NODE_MODULE_VERSION \d+, Electron .* needs \d+/);
    expect(() => abi.checkPackedNativeModules({ appOutDir: packed(), electronVersion, release: false, unverified: false })).toThrow();
    expect(() => abi.checkPackedNativeModules({ appOutDir: mkdtempSync(join(tmp, 'empty-')), electronVersion, release: true, unverified: false })).toThrow(/no better_sqlite3.node/);
  });
  it('only a local build made without Electron headers goes on, saying it is not verified', () => {
    const lines: string[] = [];
    expect(abi.checkPackedNativeModules({ appOutDir: packed(), electronVersion, release: false, unverified: true, log: (s) => lines.push(s) })).toMatchObject({ ok: false, skipped: true });
    expect(lines.join()).toMatch(/SKIPPED \(not verified\)/);
    // a release never skips
    expect(() => abi.checkPackedNativeModules({ appOutDir: packed(), electronVersion, release: true, unverified: true })).toThrow();
  });
});

describe('signing', () => {
  it('names what a release lacks per OS', () => {
    expect(missingSigning('mac', {}).join()).toMatch(/CSC_LINK.*notarization/);
    expect(missingSigning('win', {}).join()).toMatch(/CSC_LINK/);
    expect(missingSigning('linux', {})).toEqual([]);
    expect(missingSigning('mac', { CSC_LINK: 'x', CSC_KEY_PASSWORD: 'y', APPLE_ID: 'a', APPLE_APP_SPECIFIC_PASSWORD: 'b', APPLE_TEAM_ID: 'c' })).toEqual([]);
    expect(missingSigning('win', { WIN_CSC_LINK: 'x', WIN_CSC_KEY_PASSWORD: 'y' })).toEqual([]);
  });
  it('refuses a release build without credentials, before packing anything', () => {
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(CSC_|WIN_CSC_|APPLE_|AZURE_)/.test(k)));
    const r = spawnSync('npx', ['tsx', 'scripts/dist.ts', '--release', '--win', '--mac'], { cwd: root, encoding: 'utf8', env });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('Release build refused: signing credentials missing');
    expect(r.stderr).toMatch(/win: .*CSC_LINK/);
    expect(r.stderr).toMatch(/mac: notarization/);
  });
});

describe('release workflow', () => {
  const file = join(root, '.github/workflows/release.yml');
  it("is valid against GitHub's workflow schema", () => {
    const r = spawnSync('npx', ['action-validator', file], { cwd: root, encoding: 'utf8' });
    expect(r.stdout + r.stderr).toBe('');
    expect(r.status).toBe(0);
  });
  it('builds on a tag on all three OSes, tests, checks the ABI, and publishes', () => {
    const w = load(readFileSync(file, 'utf8')) as {
      on: { push: { tags: string[] } };
      jobs: { build: { strategy: { matrix: { include: { os: string }[] } }; env: Record<string, string>; steps: { run?: string; env?: Record<string, string> }[] }; publish: { needs: string } };
    };
    expect(w.on.push.tags).toEqual(['v*.*.*']);
    expect(w.jobs.build.strategy.matrix.include.map((m) => m.os.split('-')[0])).toEqual(['macos', 'windows', 'ubuntu']);
    expect(w.jobs.build.env.PARLEY_RELEASE).toBe('1');
    const runs = w.jobs.build.steps.map((s) => s.run ?? '').join('\n');
    expect(runs).toContain('npm test');
    expect(runs).toContain('npm run dist');
    expect(runs).toContain('node scripts/check-native-abi.cjs release');
    expect(runs).toContain('e2e/electron.test.ts');
    expect(w.jobs.build.steps.some((s) => s.env?.PARLEY_REQUIRE_ELECTRON === '1')).toBe(true);
    expect(w.jobs.publish.needs).toBe('build');
  });
});
