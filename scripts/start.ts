// `npm start`: the demo relay, the renderer build when stale, then the desktop app —
// Electron when its binary is usable, otherwise the browser host (opened in Chromium's
// app mode when a display is available). Ctrl+C stops everything.
//   npm start -- --user ben@parley.test   a second person, signed in, with their own data dir
//                                          (.data/clients/…) against the same relay
// One relay per folder: a second `npm start` uses the relay the first one runs. The browser
// host keeps its port and page secret per data dir, so an open tab reconnects after a restart.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { levelFromEnv } from '../server/log';
import { startRelay, type Relay } from '../server/relay';
import { RelayRunningError, runningRelay } from '../server/relayLock';
import { DEMO_PASSWORD } from '../server/seed/demo';
import type { BrowserHost } from '../electron/host';
import { runningHost, startKeptHost } from '../electron/host/kept';

const root = resolve(import.meta.dirname, '..');
const dataRoot = resolve(process.env.PARLEY_DATA_DIR ?? join(root, '.data'));
const DEMO_LOGINS = ['admin@parley.test (admin)', 'amira@parley.test', 'ben@parley.test', 'chloe@parley.test'];
const { values: flags } = parseArgs({ options: { user: { type: 'string' } }, allowPositionals: true });
const user = flags.user?.trim().toLowerCase() || null;
/** the default window's host port (kept per data dir once chosen) */
const DEFAULT_HOST_PORT = 8090;

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

/** The relay of this folder: the one already running (another `npm start`), or a new one. */
async function demoRelay(): Promise<{ relay: Relay | null; httpUrl: string }> {
  const dataDir = join(dataRoot, 'relay');
  mkdirSync(dataDir, { recursive: true });
  const other = runningRelay(dataDir);
  if (other) {
    console.log(`using the relay already running for this folder (process ${other.pid})`);
    return { relay: null, httpUrl: other.httpUrl };
  }
  const wanted = Number(process.env.PARLEY_RELAY_PORT ?? 8080);
  try {
    const relay = await startRelay({ dataDir, port: wanted, seed: 'demo', logLevel: levelFromEnv('warn') }).catch((e: unknown) => {
      if ((e as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw e;
      console.log(`port ${wanted} is busy; using a free port`);
      return startRelay({ dataDir, port: 0, seed: 'demo', logLevel: levelFromEnv('warn') });
    });
    return { relay, httpUrl: relay.httpUrl };
  } catch (e) {
    // started at the same moment by another `npm start`: use that one once it listens
    if (!(e instanceof RelayRunningError)) throw e;
    for (let i = 0; i < 100; i++) {
      const r = runningRelay(dataDir);
      if (r) return { relay: null, httpUrl: r.httpUrl };
      await new Promise((ok) => setTimeout(ok, 100));
    }
    throw e;
  }
}

/** Signs the host's core in as a demo user (the `--user` window opens signed in). */
async function signInDemoUser(host: BrowserHost, relayUrl: string, email: string): Promise<void> {
  const { default: WebSocket } = await import('ws');
  const page = new URL(host.url);
  const secret = new URLSearchParams(page.hash.slice(1)).get('secret') ?? '';
  const ws = new WebSocket(`ws://${page.host}/bridge?secret=${encodeURIComponent(secret)}`, { origin: page.origin });
  await new Promise<void>((ok, fail) => {
    ws.once('open', () => ok());
    ws.once('error', fail);
  });
  const call = (id: number, kind: string, name: string, args: unknown) =>
    new Promise<{ ok: boolean; result?: unknown; error?: { message?: string } }>((ok) => {
      const onMessage = (d: Buffer) => {
        const m = JSON.parse(d.toString()) as { id?: number; ok: boolean; result?: unknown; error?: { message?: string } };
        if (m.id !== id) return;
        ws.off('message', onMessage);
        ok(m);
      };
      ws.on('message', onMessage);
      ws.send(JSON.stringify({ id, kind, name, args }));
    });
  try {
    const session = await call(1, 'query', 'session', {});
    if (session.ok && session.result) return; // signed in from last time
    const r = await call(2, 'command', 'signIn', { relayUrl, email, password: DEMO_PASSWORD });
    if (!r.ok) console.log(`could not sign ${email} in (${r.error?.message ?? 'refused'}); sign in in the window`);
  } finally {
    ws.close();
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

  const clientDir = user ? join(dataRoot, 'clients', user.replace(/[^a-z0-9._-]/g, '_')) : join(dataRoot, 'client');
  const already = runningHost(clientDir);
  if (already) {
    // two windows on one replica would race each other: show the one that runs
    console.log(`Parley${user ? ` for ${user}` : ''} is already running in this folder (process ${already.pid}).`);
    console.log(`open: ${already.url}`);
    process.exit(0);
  }

  const demo = await demoRelay();
  relay = demo.relay;
  const relayUrl = demo.httpUrl;
  console.log(`relay: ${relayUrl}`);

  if (isStale(join(root, 'dist/renderer/index.html'), [join(root, 'renderer'), join(root, 'shared')])) {
    console.log('building the renderer…');
    try {
      run('npx', ['vite', 'build', '--config', 'renderer/vite.config.ts', '--logLevel', 'warn']);
    } catch (e) {
      if (!existsSync(join(root, 'dist/renderer/index.html'))) throw e;
      console.warn('renderer build failed; serving the previous build');
    }
  }

  // Electron keeps one window per machine account: a second person runs in the browser host
  const electron = process.env.PARLEY_NO_ELECTRON || user ? null : usableElectron();
  if (electron) {
    if (isStale(join(root, 'dist/electron/main.cjs'), [join(root, 'electron'), join(root, 'shared')])) run('npx', ['tsx', 'scripts/build-electron.ts']);
    const app = spawn(electron, ['.'], { cwd: root, stdio: 'inherit', env: { ...process.env, PARLEY_RELAY_URL: relayUrl } });
    children.push(app);
    app.on('exit', () => void stop());
    console.log(`Electron started. Demo logins (password parley-demo): ${DEMO_LOGINS.join(', ')}`);
    return;
  }

  // the same port and page secret as last time: a tab left open reconnects
  host = await startKeptHost({ dataDir: clientDir, staticDir: join(root, 'dist/renderer'), relayUrl, fallbackPort: user ? 0 : DEFAULT_HOST_PORT });
  if (user) await signInDemoUser(host, relayUrl, user);
  console.log(user ? `\nParley for ${user} runs in the browser host.` : '\nNo Electron binary here: Parley runs in the browser host.');
  console.log(`open: ${host.url}`);
  console.log(`relay URL for sign-in: ${relayUrl}`);
  if (!user) console.log(`demo logins (password parley-demo): ${DEMO_LOGINS.join(', ')}; another person at once: npm start -- --user ben@parley.test`);
  const browser = hasDisplay() ? (onPath('chromium') ?? onPath('google-chrome') ?? onPath('chromium-browser')) : null;
  if (browser) {
    const profile = join(dataRoot, user ? `chromium-profile-${user.replace(/[^a-z0-9._-]/g, '_')}` : 'chromium-profile');
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
