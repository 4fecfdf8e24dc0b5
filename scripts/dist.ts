// `npm run dist [-- <electron-builder args>]`: stages the app, then electron-builder.
//
// Release builds (`--release`, or PARLEY_RELEASE=1 as in .github/workflows/release.yml) must
// be signed: they fail before packing when the platform's signing or notarization
// credentials are missing, and they never skip the native-module ABI check.
// Local builds are unsigned and say so in their file names (…-UNSIGNED-local…). Where
// Electron's binary or headers cannot be downloaded (offline machines), a local build still
// packs what can be checked — the app layout, the asar, the trimming, the ABI check's
// report — with a placeholder executable, and says plainly what was skipped.
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { dump, load } from 'js-yaml';
import { missingSigning, type Os } from './signing';
import { stageApp } from './stage-app';

const root = resolve(import.meta.dirname, '..');
const argv = process.argv.slice(2);
const release = argv.includes('--release') || process.env.PARLEY_RELEASE === '1';
const builderArgs = argv.filter((a) => a !== '--release');
const electronVersion = (JSON.parse(readFileSync(join(root, 'node_modules/electron/package.json'), 'utf8')) as { version: string }).version;

const hostOs: Os = process.platform === 'darwin' ? 'mac' : process.platform === 'win32' ? 'win' : 'linux';
const targets = new Set<Os>(builderArgs.flatMap((a): Os[] => (a === '--mac' || a === '-m' ? ['mac'] : a === '--win' || a === '-w' ? ['win'] : a === '--linux' || a === '-l' ? ['linux'] : [])));
if (targets.size === 0) targets.add(hostOs);

async function reachable(url: string): Promise<boolean> {
  try {
    const r = await fetch(url, { method: 'HEAD', redirect: 'follow', signal: AbortSignal.timeout(8000) });
    return r.ok;
  } catch {
    return false;
  }
}

function run(cmd: string, args: string[], extraEnv: Record<string, string> = {}): number {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...extraEnv } });
  return r.status ?? 1;
}

const skipped: string[] = [];
const overrides: string[] = [];
const extraEnv: Record<string, string> = {};
// Local changes to electron-builder.yml, written to dist/electron-builder.effective.yml.
const config = load(readFileSync(join(root, 'electron-builder.yml'), 'utf8')) as Record<string, unknown> & { mac?: Record<string, unknown> };

if (release) {
  const missing = [...targets].flatMap((os) => missingSigning(os).map((m) => `${os}: ${m}`));
  if (missing.length) {
    console.error(`Release build refused: signing credentials missing.\n  ${missing.join('\n  ')}\nUnsigned builds are for local testing only: npm run dist (without --release).`);
    process.exit(1);
  }
  extraEnv.PARLEY_RELEASE = '1';
} else {
  config.forceCodeSigning = false;
  config.mac = { ...config.mac, identity: null, notarize: false };
  config.artifactName = '${productName}-${version}-UNSIGNED-local-${arch}.${ext}';
  overrides.push('--publish', 'never');
  extraEnv.CSC_IDENTITY_AUTO_DISCOVERY = 'false';
  skipped.push('code signing and notarization (local build: the file names say UNSIGNED)');
}

stageApp();

// Electron's binary: electron-builder downloads the release zip. Offline, a local build packs a
// placeholder executable instead (fuses need the real binary, so they are not flipped).
const zipName = `electron-v${electronVersion}-${hostOs === 'win' ? 'win32' : hostOs === 'mac' ? 'darwin' : 'linux'}-x64.zip`;
const cached = [join(homedir(), '.cache/electron'), join(homedir(), 'Library/Caches/electron')].some((d) => existsSync(d) && spawnSync('find', [d, '-name', zipName]).stdout.length > 0);
const binaryOk = process.env.ELECTRON_BUILDER_SKIP_PROBE === '1' || cached || (await reachable(`https://github.com/electron/electron/releases/download/v${electronVersion}/${zipName}`));
if (!binaryOk) {
  if (release) {
    console.error(`Release build refused: Electron ${electronVersion}'s binary cannot be downloaded here.`);
    process.exit(1);
  }
  if (targets.size !== 1 || !targets.has('linux') || !builderArgs.includes('dir')) {
    console.error(`Electron ${electronVersion}'s binary cannot be downloaded here: only \`npm run dist -- --linux dir\` (a layout check with a placeholder executable) can run on this machine.`);
    process.exit(1);
  }
  const placeholder = join(root, 'dist/electron-placeholder');
  mkdirSync(join(placeholder, 'resources'), { recursive: true });
  writeFileSync(join(placeholder, 'electron'), '#!/bin/sh\necho "Parley layout check: placeholder for the Electron binary, which could not be downloaded" >&2\nexit 1\n');
  chmodSync(join(placeholder, 'electron'), 0o755);
  writeFileSync(join(placeholder, 'version'), electronVersion);
  writeFileSync(join(placeholder, 'LICENSE'), 'placeholder\n');
  config.electronDist = placeholder;
  config.electronVersion = electronVersion;
  delete config.electronFuses;
  skipped.push(`the Electron binary (not downloadable here): packed a placeholder executable, so the output cannot run`);
  skipped.push('Electron fuses (they are flipped in the real binary only)');
}

// better-sqlite3 for Electron's ABI: electron-builder's rebuild in dist/app needs Electron's
// prebuilt binary or headers. Offline, a local build packs Node's build and the ABI check reports it.
const headersOk = binaryOk && (existsSync(join(homedir(), '.electron-gyp', electronVersion)) || (await reachable(`https://electronjs.org/headers/v${electronVersion}/node-v${electronVersion}-headers.tar.gz`)));
if (!headersOk) {
  if (release) {
    console.error(`Release build refused: Electron ${electronVersion}'s headers cannot be downloaded, so better-sqlite3 cannot be rebuilt for it.`);
    process.exit(1);
  }
  config.npmRebuild = false;
  extraEnv.PARLEY_NATIVE_UNVERIFIED = '1';
  // Node's own build, so the package is complete and the ABI check has a file to read (and reject).
  const from = join(root, 'node_modules/better-sqlite3/build/Release/better_sqlite3.node');
  const to = join(root, 'dist/app/node_modules/better-sqlite3/build/Release');
  mkdirSync(to, { recursive: true });
  writeFileSync(join(to, 'better_sqlite3.node'), readFileSync(from));
  skipped.push(`rebuilding better-sqlite3 for Electron ${electronVersion} (headers not downloadable here): the packed module is Node's, see the native module check above`);
}

const effective = join(root, 'dist/electron-builder.effective.yml');
writeFileSync(effective, `# generated by scripts/dist.ts from electron-builder.yml (${release ? 'release' : 'local'} build)\n${dump(config)}`);
const status = run('npx', ['electron-builder', '--config', effective, ...builderArgs, ...overrides], extraEnv);
if (skipped.length) console.log(`\nNOT VERIFIED in this build:\n  - ${skipped.join('\n  - ')}`);
process.exit(status);
