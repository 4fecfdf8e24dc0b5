// `npm start`: the demo relay, the renderer build when stale, then the desktop app —
// Electron when its binary is usable, otherwise the browser host (opened in Chromium's
// app mode when a display is available). Ctrl+C stops everything.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { levelFromEnv } from '../server/log';
import { startRelay, type Relay } from '../server/relay';
import { startBrowserHost, type BrowserHost } from '../electron/host';

const root = resolve(import.meta.dirname, '..');
const dataRoot = resolve(process.env.PARLEY_DATA_DIR ?? join(root, '.data'));
const DEMO_LOGINS = ['admin@parley.test (admin)', 'amira@parley.test', 'ben@parley.test', 'chloe@parley.test'];

/** newest modification time under a folder (skipping node_modules) */
function newest(dir: string): number {
  let max = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.name === 'node_modules') continue;
    const p = join(dir, e.name);
    max = Math.max(max, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return max;
}

function isStale(output: string, sources: string[]): boolean {
  if (!existsSync(output)) return true;
  const built = statSync(output).mtimeMs;
  return sources.some((s) => existsSync(s) && (statSync(s).isDirectory() ? newest(s) : statSync(s).mtimeMs) > built);
}

function run(cmd: string, args: string[]): void {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed`);
}

/** Path of a working Electron binary, or null (never hangs: --version gets 5 s). */
function usableElectron(): string | null {
  try {
    const req = createRequire(join(root, 'package.json'));
    const bin = req('electron') as unknown;
    if (typeof bin !== 'string' || !existsSync(bin)) return null;
    const r = spawnSync(bin, ['--version'], { timeout: 5000, encoding: 'utf8', env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' } });
    return r.status === 0 ? bin : null;
  } catch {
    return null;
  }
}

function onPath(name: string): string | null {
  for (const dir of (process.env.PATH ?? '').split(process.platform === 'win32' ? ';' : ':')) {
    const p = join(dir, name);
    if (dir && existsSync(p)) return p;
  }
  return null;
}

const hasDisplay = (): boolean =>
  process.platform === 'darwin' || process.platform === 'win32' || Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);

async function startDemoRelay(): Promise<Relay> {
  const dataDir = join(dataRoot, 'relay');
  mkdirSync(dataDir, { recursive: true });
  const wanted = Number(process.env.PARLEY_RELAY_PORT ?? 8080);
  try {
    return await startRelay({ dataDir, port: wanted, seed: 'demo', logLevel: levelFromEnv('warn') });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw e;
    console.log(`port ${wanted} is busy; using a free port`);
    return startRelay({ dataDir, port: 0, seed: 'demo', logLevel: levelFromEnv('warn') });
  }
}

async function main(): Promise<void> {
  const children: ChildProcess[] = [];
  let relay: Relay | null = null;
  let host: BrowserHost | null = null;
  let stopping = false;
  const stop = async (code = 0): Promise<void> => {
    if (stopping) return;
    stopping = true;
    console.log('\nstopping…');
    for (const c of children) if (c.exitCode === null) c.kill('SIGTERM');
    await host?.close().catch(() => undefined);
    await relay?.close().catch(() => undefined);
    process.exit(code);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());

  relay = await startDemoRelay();
  console.log(`relay: ${relay.httpUrl}`);

  if (isStale(join(root, 'dist/renderer/index.html'), [join(root, 'renderer'), join(root, 'shared')])) {
    console.log('building the renderer…');
    try {
      run('npx', ['vite', 'build', '--config', 'renderer/vite.config.ts', '--logLevel', 'warn']);
    } catch (e) {
      if (!existsSync(join(root, 'dist/renderer/index.html'))) throw e;
      console.warn('renderer build failed; serving the previous build');
    }
  }

  const electron = process.env.PARLEY_NO_ELECTRON ? null : usableElectron();
  if (electron) {
    if (isStale(join(root, 'dist/electron/main.cjs'), [join(root, 'electron'), join(root, 'shared')])) run('npx', ['tsx', 'scripts/build-electron.ts']);
    const app = spawn(electron, ['.'], { cwd: root, stdio: 'inherit', env: { ...process.env, PARLEY_RELAY_URL: relay.httpUrl } });
    children.push(app);
    app.on('exit', () => void stop());
    console.log(`Electron started. Demo logins (password parley-demo): ${DEMO_LOGINS.join(', ')}`);
    return;
  }

  host = await startBrowserHost({ dataDir: join(dataRoot, 'client'), staticDir: join(root, 'dist/renderer'), relayUrl: relay.httpUrl });
  console.log('\nNo Electron binary here: Parley runs in the browser host.');
  console.log(`open: ${host.url}`);
  console.log(`relay URL for sign-in: ${relay.httpUrl}`);
  console.log(`demo logins (password parley-demo): ${DEMO_LOGINS.join(', ')}`);
  const browser = hasDisplay() ? (onPath('chromium') ?? onPath('google-chrome') ?? onPath('chromium-browser')) : null;
  if (browser) {
    const profile = join(dataRoot, 'chromium-profile');
    const c = spawn(browser, [`--app=${host.url}`, `--user-data-dir=${profile}`, '--no-first-run'], { stdio: 'ignore' });
    c.on('error', () => console.log('could not open Chromium; open the URL above yourself'));
    children.push(c);
  }
  console.log('Ctrl+C to stop.');
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
