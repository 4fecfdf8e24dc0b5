// Smoke test of the built Electron main bundle without Electron's binary: dist/electron/
// main.cjs runs under Node with a recording stub of Electron's API (never of our code),
// against a real relay on loopback. It starts, opens one locked-down window, serves
// app:// with the CSP, refuses foreign IPC, signs in, syncs, sets the badge, logs without
// secrets and quits cleanly; damaged local files mean signed out; the sync socket uses the
// proxy Chromium resolves. What only the real binary can show runs in e2e/electron.test.ts.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRelay, type TestOrg } from '../server/testing';
import { launchMain, syncStates, type MainProcess } from './electronMain';
import { root } from './harness';

let org: TestOrg;
const tmp = mkdtempSync(join(tmpdir(), 'parley-main-smoke-'));
const noPolicy = join(tmp, 'no-policy.json');

beforeAll(async () => {
  const r = spawnSync('npx', ['tsx', 'scripts/build-electron.ts'], { cwd: root, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`build-electron failed: ${r.stderr}`);
  if (!existsSync(join(root, 'dist/renderer/index.html'))) throw new Error('dist/renderer is missing (e2e globalSetup builds it)');
  org = await startTestRelay();
});
afterAll(async () => {
  await org?.relay.close();
  rmSync(tmp, { recursive: true, force: true });
});

const isOnline = (m: { type: string; channel?: string; payload?: unknown }): boolean =>
  m.type === 'send' && (m.payload as { type?: string; status?: { state?: string } }).status?.state === 'online';

function env(userData: string, extra: Record<string, string> = {}): Record<string, string> {
  return { PARLEY_USER_DATA: userData, PARLEY_RELAY_URL: org.relay.httpUrl, PARLEY_POLICY_FILE: noPolicy, ...extra };
}

async function quit(p: MainProcess): Promise<number | null> {
  await p.cmd('quit');
  return p.exited;
}

describe('Electron main bundle (stubbed Electron API, real relay)', () => {
  it('starts, locks the window down, serves app://, refuses foreign IPC, signs in, syncs, badges and quits cleanly', async () => {
    const userData = join(tmp, 'main');
    const diagnostics = join(tmp, 'diagnostics.zip');
    const p = launchMain(env(userData, { PARLEY_STUB_SAVE_PATH: diagnostics }));
    try {
      await p.waitFor((m) => m.type === 'call' && m.api === 'BrowserWindow.loadURL', 'the window to load');
      const windows = await p.cmd<{ options: { webPreferences: Record<string, unknown> }; url: string }[]>('windows');
      expect(windows).toHaveLength(1);
      const wp = windows[0]!.options.webPreferences;
      expect(wp).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true, spellcheck: true });
      expect(existsSync(String(wp.preload))).toBe(true);
      expect(windows[0]!.url).toBe(`app://parley/index.html#relay=${encodeURIComponent(org.relay.httpUrl)}`);
      expect(p.calls.some((c) => c.api === 'crashReporter.start' && (c.args[0] as { uploadToServer: boolean }).uploadToServer === false)).toBe(true);

      // app:// with the CSP; nothing outside the renderer folder; no other host
      const page = await p.cmd<{ status: number; headers: Record<string, string>; body: string }>('protocol', { url: 'app://parley/index.html' });
      expect(page.status).toBe(200);
      expect(page.headers['content-security-policy']).toContain("script-src 'self'");
      expect(page.headers['content-security-policy']).toContain("object-src 'none'");
      expect(page.body).toContain('<div id="root"');
      expect((await p.cmd<{ status: number }>('protocol', { url: 'app://parley/../../package.json' })).status).toBe(404);
      expect((await p.cmd<{ status: number }>('protocol', { url: 'app://evil/index.html' })).status).toBe(404);

      // navigation and pop-ups stay inside; web links go to the browser
      expect(await p.cmd('navigate', { url: 'https://evil.test/' })).toEqual({ prevented: true });
      expect(await p.cmd('windowOpen', { url: 'https://pay.example.com/x' })).toEqual({ action: 'deny' });
      await p.waitFor((m) => m.type === 'call' && m.api === 'shell.openExternal', 'the web link to go to the browser');

      // permissions: notifications and clipboard writes for the app only
      expect(await p.cmd('permission', { permission: 'clipboard-sanitized-write', url: 'app://parley/index.html' })).toEqual({ request: true, check: true });
      expect(await p.cmd('permission', { permission: 'clipboard-sanitized-write', url: 'https://evil.test/' })).toEqual({ request: false, check: false });
      expect(await p.cmd('permission', { permission: 'media', url: 'app://parley/index.html' })).toEqual({ request: false, check: false });
      expect(await p.cmd('permission', { permission: 'clipboard-read', url: 'app://parley/index.html' })).toEqual({ request: false, check: false });

      // foreign IPC
      const foreign = await p.bridge('query', 'session', {}, 'https://evil.test/');
      expect(foreign).toMatchObject({ ok: false, error: { code: 'forbidden' } });
      expect((await p.bridge('query', 'session', {})).result).toBeNull();

      // a plain-http relay beyond loopback is refused, with the reason
      const insecure = await p.bridge('command', 'signIn', { relayUrl: 'http://relay.example.com', email: org.alice.email, password: org.password });
      expect(insecure).toMatchObject({ ok: false, error: { code: 'insecure_relay' } });
      expect(insecure.error?.message).toMatch(/https:\/\//);

      // sign in, sync
      const signed = await p.bridge<{ userId: string }>('command', 'signIn', { relayUrl: org.relay.httpUrl, email: org.alice.email, password: org.password });
      expect(signed.ok).toBe(true);
      expect(signed.result?.userId).toBe(org.alice.id);
      expect(p.calls.some((c) => c.api === 'net.fetch' && String(c.args[0]).endsWith('/auth/login'))).toBe(true);
      await p.waitFor(isOnline, 'sync to come online');
      expect(p.calls.some((c) => c.api === 'session.resolveProxy')).toBe(true);
      const secrets = readFileSync(join(userData, 'secrets.json'), 'utf8');
      expect(secrets).not.toContain('eyJ');

      // a conversation assigned to alice: the badge follows My inbox
      await org.relay.simulator.inbound({ groupId: org.groups.sales.id, from: '+447700900901', body: 'Hello from the smoke test', contactName: 'Smoke Tester' });
      await p.waitFor((m) => m.type === 'send' && (m.payload as { type: string; tables?: string[] }).type === 'changed' && ((m.payload as { tables: string[] }).tables.includes('conversations')), 'the inbound conversation');
      const team = await p.bridge<{ items: { id: string }[] }>('query', 'inbox', { view: 'team' });
      const conv = team.result!.items[0]!;
      const assigned = await p.bridge<{ ok: boolean }>('mutate', 'manageConversation', { conversationId: conv.id, visibleTo: null, assignees: [org.alice.id], baseVisibilityVersion: 0 });
      expect(assigned.result?.ok).toBe(true);
      await p.waitFor((m) => m.type === 'call' && m.api === 'app.setBadgeCount' && m.args[0] === 1, 'the badge to show 1');

      // Help → Export Diagnostics…: logs, versions, state; no token, no message content
      await p.cmd('menuClick', { label: 'Export Diagnostics…' });
      await p.waitFor((m) => m.type === 'call' && m.api === 'shell.showItemInFolder', 'the diagnostics zip');
      const zip = unzipSync(readFileSync(diagnostics));
      expect(Object.keys(zip)).toEqual(expect.arrayContaining(['diagnostics.json', 'logs/parley.log', 'README.txt']));
      const facts = JSON.parse(strFromU8(zip['diagnostics.json']!)) as { versions: { parley: string }; sync: { state: string } };
      expect(facts.versions.parley).toBe('0.1.0');
      expect(facts.sync.state).toBe('online');
      const everything = Object.values(zip).map((b) => strFromU8(b)).join('\n');
      expect(everything).not.toContain(org.password);
      expect(everything).not.toContain('Hello from the smoke test');
      expect(everything).not.toMatch(/eyJ[A-Za-z0-9_-]{8,}\./);

      // clean quit: the core closes, the process exits 0
      expect(await quit(p)).toBe(0);
      expect(p.calls.some((c) => c.api === 'Tray.destroy')).toBe(true);

      // logs: in the logs folder, with sync events, and no secrets or message content
      const logDir = join(userData, 'logs');
      const log = readFileSync(join(logDir, 'parley.log'), 'utf8');
      expect(log).toContain('[sync] online');
      expect(log).toContain('[core] signed in');
      expect(log).toContain('refused a bridge call from outside the Parley window');
      expect(log).not.toContain(org.password);
      expect(log).not.toContain('Hello from the smoke test');
      expect(log).not.toMatch(/eyJ[A-Za-z0-9_-]{8,}\./);
      expect(syncStates(p)).toContain('online');
    } finally {
      p.child.kill();
    }
  });

  it('damaged local files mean a working start, signed out, with the reasons logged', async () => {
    const userData = join(tmp, 'corrupt');
    // a real session first, so the damaged secrets file is what signs the user out
    const first = launchMain(env(userData));
    expect((await first.bridge('command', 'signIn', { relayUrl: org.relay.httpUrl, email: org.bob.email, password: org.password })).ok).toBe(true);
    await first.waitFor(isOnline, 'first sync');
    expect(await quit(first)).toBe(0);

    writeFileSync(join(userData, 'secrets.json'), '{"parley.refreshTok');
    writeFileSync(join(userData, 'window-state.json'), '\u0000\u0000\u0000');
    writeFileSync(join(userData, 'config.json'), '{ not json');
    const policy = join(tmp, 'bad-policy.json');
    writeFileSync(policy, JSON.stringify({ updates: 'maybe', updateUrl: 'http://plain.example.com' }));
    const p = launchMain({ ...env(userData, { PARLEY_POLICY_FILE: policy }), PARLEY_RELAY_URL: '' });
    try {
      await p.waitFor((m) => m.type === 'call' && m.api === 'BrowserWindow.loadURL', 'the window to load');
      const [w] = await p.cmd<{ options: { width: number; height: number }; url: string }[]>('windows');
      expect(w!.options.width).toBe(1280); // default bounds, centred
      expect(w!.url).toBe('app://parley/index.html'); // no prefill from the damaged config.json
      const session = await p.bridge('query', 'session', {});
      expect(session).toMatchObject({ ok: true, result: null });
      expect(p.calls.some((c) => c.api === 'dialog.showMessageBox')).toBe(false); // no error window: signed out is the answer
      expect(await quit(p)).toBe(0);
      const log = readFileSync(join(userData, 'logs/parley.log'), 'utf8');
      expect(log).toContain('config.json ignored');
      expect(log).toMatch(/policy: .*bad-policy\.json/);
    } finally {
      p.child.kill();
    }
  });

  it('the sync socket goes through the proxy Chromium resolves for the relay', async () => {
    const tunnels: string[] = [];
    const proxy: Server = createServer();
    proxy.on('connect', (req, client, head) => {
      tunnels.push(req.url ?? '');
      const [host, port] = (req.url ?? '').split(':');
      const upstream = connect(Number(port), host, () => {
        client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        upstream.write(head);
        upstream.pipe(client);
        client.pipe(upstream);
      });
      upstream.on('error', () => client.destroy());
      client.on('error', () => upstream.destroy());
    });
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
    const proxyPort = (proxy.address() as AddressInfo).port;
    const userData = join(tmp, 'proxy');
    const p = launchMain(env(userData, { PARLEY_STUB_PROXY: `PROXY 127.0.0.1:${proxyPort}; DIRECT` }));
    try {
      expect((await p.bridge('command', 'signIn', { relayUrl: org.relay.httpUrl, email: org.carol.email, password: org.password })).ok).toBe(true);
      await p.waitFor(isOnline, 'sync through the proxy');
      expect(tunnels).toContain(`127.0.0.1:${org.relay.port}`);
      expect(await quit(p)).toBe(0);
      expect(readFileSync(join(userData, 'logs/parley.log'), 'utf8')).toContain(`sync connects via proxy http://127.0.0.1:${proxyPort}`);
    } finally {
      p.child.kill();
      proxy.close();
      proxy.closeAllConnections();
    }
  });

  it('without a keyring (safeStorage plaintext fallback) the token stays in memory only', async () => {
    const userData = join(tmp, 'nokeyring');
    mkdirSync(userData, { recursive: true });
    const p = launchMain(env(userData, { PARLEY_STUB_STORAGE: 'basic_text' }));
    try {
      expect((await p.bridge('command', 'signIn', { relayUrl: org.relay.httpUrl, email: org.admin.email, password: org.password })).ok).toBe(true);
      await p.waitFor(isOnline, 'sync');
      expect(existsSync(join(userData, 'secrets.json'))).toBe(false);
      expect(p.calls.some((c) => c.api === 'Notification.show')).toBe(true);
      expect(await quit(p)).toBe(0);
      expect(readFileSync(join(userData, 'logs/parley.log'), 'utf8')).toContain('sign-in kept in memory only');
      expect(readdirSync(userData)).not.toContain('secrets.json');
    } finally {
      p.child.kill();
    }
  });

  it('a start-up failure (native module of another ABI) ends in the error window with "Copy details", then quits', async () => {
    const userData = join(tmp, 'broken');
    // the user presses "Copy details", then "Quit"
    const p = launchMain(env(userData, { PARLEY_STUB_BREAK_NATIVE: '1', PARLEY_STUB_DIALOG_RESPONSES: '0,2' }));
    try {
      expect(await p.exited).toBe(1);
      const box = p.calls.find((c) => c.api === 'dialog.showMessageBox');
      expect(box?.args[0]).toMatchObject({ type: 'error', message: 'Parley could not start', buttons: ['Copy details', 'Open log folder', 'Quit'] });
      const copied = p.calls.find((c) => c.api === 'clipboard.writeText');
      expect(String(copied?.args[0])).toContain('NODE_MODULE_VERSION');
      expect(String(copied?.args[0])).toContain('Parley 0.1.0');
      expect(p.calls.some((c) => c.api === 'new BrowserWindow')).toBe(false);
      expect(readFileSync(join(userData, 'logs/errors.log'), 'utf8')).toContain('Parley could not start');
    } finally {
      p.child.kill();
    }
  });

  it('an uncaught exception or unhandled rejection later is logged and shown; the user may continue', async () => {
    const userData = join(tmp, 'uncaught');
    // "Continue" on the first error window; the second distinct error gets its own
    const p = launchMain(env(userData, { PARLEY_STUB_DIALOG_RESPONSES: '2,2' }));
    try {
      await p.waitFor((m) => m.type === 'call' && m.api === 'BrowserWindow.loadURL', 'the window to load');
      await p.cmd('throw', { message: 'boom in a timer' });
      await p.waitFor((m) => m.type === 'call' && m.api === 'dialog.showMessageBox', 'the error window');
      await p.cmd('reject', { message: 'a promise nobody awaited' });
      await p.waitFor((m) => m.type === 'call' && m.api === 'dialog.showMessageBox' && String((m.args[0] as { detail: string }).detail).includes('a promise nobody awaited'), 'the second error window');
      const boxes = p.calls.filter((c) => c.api === 'dialog.showMessageBox').map((c) => c.args[0] as { message: string; buttons: string[] });
      expect(boxes[0]).toMatchObject({ message: 'Parley hit an unexpected error', buttons: ['Copy details', 'Open log folder', 'Continue', 'Quit Parley'] });
      // still alive and serving
      expect((await p.bridge('query', 'session', {})).ok).toBe(true);
      expect(await quit(p)).toBe(0);
      const errors = readFileSync(join(userData, 'logs/errors.log'), 'utf8');
      expect(errors).toContain('uncaught exception');
      expect(errors).toContain('boom in a timer');
      expect(errors).toContain('unhandled rejection');
    } finally {
      p.child.kill();
    }
  });

  it("the relay's client_too_old answer triggers the update path and says what to do", async () => {
    // A relay that has moved on: it signs in, then refuses this client's protocol.
    const http = createServer((req, res) => {
      if (req.url === '/auth/login') {
        res.writeHead(200, { 'content-type': 'application/json' }).end(
          JSON.stringify({ accessToken: 'a.b.c', refreshToken: 'r', accessExpiresAt: Date.now() + 3600_000, user: { id: 'u-old', name: 'Old Client', email: 'old@test.parley', role: 'agent' } }),
        );
      } else res.writeHead(404).end();
    });
    const wss = new WebSocketServer({ server: http, path: '/sync' });
    wss.on('connection', (ws) => ws.on('message', () => ws.send(JSON.stringify({ type: 'error', code: 'client_too_old', message: 'this relay serves Parley protocol 9 and later', minVersion: 9 }))));
    await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
    const p = launchMain(env(join(tmp, 'outdated'), { PARLEY_RELAY_URL: url }));
    try {
      expect((await p.bridge('command', 'signIn', { relayUrl: url, email: 'old@test.parley', password: 'x' })).ok).toBe(true);
      const box = await p.waitFor((m) => m.type === 'call' && m.api === 'dialog.showMessageBox', 'the too-old window');
      const shown = (box as { args: { message: string; detail: string }[] }).args[0]!;
      expect(shown.message).toMatch(/This version of Parley \(0\.1\.0\) is too old/);
      // a development build has no updater: the answer is IT's
      expect(shown.detail).toMatch(/ask them to install the latest Parley/);
      expect(syncStates(p)).toContain('outdated');
      expect(await quit(p)).toBe(0);
      expect(readFileSync(join(tmp, 'outdated/logs/parley.log'), 'utf8')).toContain('the relay refused this version of Parley');
    } finally {
      p.child.kill();
      wss.close();
      http.close();
      http.closeAllConnections();
    }
  });
});
