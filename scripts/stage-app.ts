// Stages the app electron-builder packs (directories.app in electron-builder.yml): dist/app
// with the built bundles and a package.json whose only dependency is better-sqlite3 — the
// bundles carry everything else — installed there, apart from the project's node_modules
// (which `npm test` needs built for Node). electron-builder rebuilds that copy for Electron.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
export const stageDir = join(root, 'dist/app');

interface Pkg {
  name: string;
  version: string;
  description?: string;
  dependencies?: Record<string, string>;
}

function du(dir: string): number {
  const r = spawnSync('du', ['-sk', dir], { encoding: 'utf8' });
  return r.status === 0 ? Number(r.stdout.split(/\s/)[0]) * 1024 : NaN;
}

export function stageApp(opts: { install?: boolean } = {}): { dir: string; bytes: number } {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Pkg;
  for (const d of ['dist/electron/main.cjs', 'dist/electron/preload.cjs', 'dist/renderer/index.html']) {
    if (!existsSync(join(root, d))) throw new Error(`${d} is missing: run \`npm run build\` first`);
  }
  const sqlite = JSON.parse(readFileSync(join(root, 'node_modules/better-sqlite3/package.json'), 'utf8')) as Pkg;
  rmSync(stageDir, { recursive: true, force: true });
  mkdirSync(join(stageDir, 'dist'), { recursive: true });
  const noMaps = (src: string): boolean => !src.endsWith('.map');
  cpSync(join(root, 'dist/electron'), join(stageDir, 'dist/electron'), { recursive: true, filter: noMaps });
  cpSync(join(root, 'dist/renderer'), join(stageDir, 'dist/renderer'), { recursive: true, filter: noMaps });
  const app = {
    name: pkg.name,
    productName: 'Parley',
    version: pkg.version,
    description: pkg.description,
    author: { name: 'Parley', email: 'it@parley.app' },
    homepage: 'https://parley.app',
    license: 'UNLICENSED',
    private: true,
    main: 'dist/electron/main.cjs',
    // The one native module, at the exact version the tests ran with.
    dependencies: { 'better-sqlite3': sqlite.version },
  };
  writeFileSync(join(stageDir, 'package.json'), JSON.stringify(app, null, 2) + '\n');
  if (opts.install !== false) {
    // --ignore-scripts: no build for Node here; electron-builder's rebuild makes the Electron one.
    const r = spawnSync('npm', ['install', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund', '--prefer-offline', '--no-package-lock'], { cwd: stageDir, stdio: 'inherit' });
    if (r.status !== 0) throw new Error('npm install in dist/app failed');
  }
  return { dir: stageDir, bytes: du(stageDir) };
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  const { dir, bytes } = stageApp();
  console.log(`staged ${dir} (${(bytes / 1e6).toFixed(1)} MB before packing filters)`);
}
