// The Electron bundles (scripts/build-electron.ts) are checked without the Electron
// binary: they build, parse, and load nothing at run time that the sandbox or the
// packaged app cannot provide.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { root } from './harness';

const out = join(root, 'dist/electron');
const requires = (file: string): string[] => [...readFileSync(file, 'utf8').matchAll(/\brequire\(["']([^"']+)["']\)/g)].map((m) => m[1] ?? '');

beforeAll(() => {
  const r = spawnSync('npx', ['tsx', 'scripts/build-electron.ts'], { cwd: root, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`build-electron failed: ${r.stderr}`);
});

describe('Electron bundles', () => {
  it('are valid CommonJS', () => {
    for (const f of ['main.cjs', 'preload.cjs']) {
      const r = spawnSync(process.execPath, ['--check', join(out, f)], { encoding: 'utf8' });
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
    }
  });

  it('the sandboxed preload requires nothing but electron', () => {
    expect(new Set(requires(join(out, 'preload.cjs')))).toEqual(new Set(['electron']));
  });

  it('main requires only electron, better-sqlite3 and Node built-ins', () => {
    // ws probes bufferutil and utf-8-validate inside try/catch: optional, absent is fine.
    const optional = ['bufferutil', 'utf-8-validate'];
    const allowed = new Set(['electron', 'better-sqlite3', ...optional, ...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);
    expect(requires(join(out, 'main.cjs')).filter((m) => !allowed.has(m))).toEqual([]);
  });

  it('ships the client migrations and the tray icon beside main', () => {
    expect(existsSync(join(out, 'migrations/meta/_journal.json'))).toBe(true);
    expect(existsSync(join(out, 'icon.png'))).toBe(true);
  });
});
