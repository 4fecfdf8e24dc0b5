// The end-to-end world: one relay with a test organisation, one Chromium, and per
// simulated user a browser host (own core, own replica) and a browser context.
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { startBrowserHost, type BrowserHost } from '../electron/host';
import { startRelay, type Relay } from '../server/relay';
import { startTestRelay, type TestOrg } from '../server/testing';

export const root = resolve(import.meta.dirname, '..');
/**
 * Where a journey's screenshot goes: the committed e2e/screenshots/ under `npm run screenshots`
 * (PARLEY_SCREENSHOTS=commit), else a scratch folder, so a test run leaves the tree clean.
 */
export function shotPath(name: string): string {
  const dir = process.env.PARLEY_SCREENSHOTS === 'commit' ? join(root, 'e2e/screenshots') : join(tmpdir(), 'parley-screenshots');
  mkdirSync(dir, { recursive: true });
  return join(dir, name);
}
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'];

export interface AppUser {
  email: string;
  page: Page;
  context: BrowserContext;
  host: BrowserHost;
  dataDir: string;
}

export interface World {
  org: TestOrg;
  /** the live relay (replaced by restartRelay) */
  relay: Relay;
  browser: Browser;
  tmp: string;
  open(email: string, opts?: { colorScheme?: 'light' | 'dark'; signIn?: boolean }): Promise<AppUser>;
  stopRelay(): Promise<void>;
  restartRelay(): Promise<void>;
  close(): Promise<void>;
}

export async function startWorld(): Promise<World> {
  const tmp = mkdtempSync(join(tmpdir(), 'parley-e2e-'));
  const relayDir = join(tmp, 'relay');
  mkdirSync(relayDir);
  const org = await startTestRelay({ dataDir: relayDir });
  const browser = await chromium.launch({ executablePath: process.env.PARLEY_CHROMIUM ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
  const users: AppUser[] = [];
  let relay: Relay | null = org.relay;
  const port = org.relay.port;

  const world: World = {
    org,
    get relay(): Relay {
      if (!relay) throw new Error('relay is stopped');
      return relay;
    },
    browser,
    tmp,
    async open(email, opts = {}) {
      const dataDir = join(tmp, `client-${users.length}-${email.split('@')[0] ?? 'u'}`);
      const host = await startBrowserHost({ dataDir, staticDir: join(root, 'dist/renderer'), relayUrl: org.relay.httpUrl, checkQueryResults: true });
      const context = await browser.newContext({ colorScheme: opts.colorScheme ?? 'light', viewport: { width: 1440, height: 900 } });
      const page = await context.newPage();
      page.setDefaultTimeout(15_000);
      await page.goto(host.url);
      const u: AppUser = { email, page, context, host, dataDir };
      users.push(u);
      if (opts.signIn !== false) await signIn(page, org.relay.httpUrl, email, org.password);
      return u;
    },
    async stopRelay() {
      await relay?.close();
      relay = null;
    },
    async restartRelay() {
      relay = await startRelay({ dataDir: relayDir, port, seed: 'none' });
    },
    async close() {
      // Keep the last picture of every window for debugging (e2e/.artifacts is git-ignored).
      const art = join(root, 'e2e/.artifacts');
      mkdirSync(art, { recursive: true });
      for (const [i, u] of users.entries()) {
        await u.page.screenshot({ path: join(art, `${process.env.VITEST_POOL_ID ?? 'w'}-${basename(tmp)}-${i}-${u.email.split('@')[0] ?? 'u'}.png`) }).catch(() => undefined);
      }
      for (const u of users) {
        await u.context.close().catch(() => undefined);
        await u.host.close().catch(() => undefined);
      }
      await browser.close().catch(() => undefined);
      await relay?.close().catch(() => undefined);
      rmSync(tmp, { recursive: true, force: true, maxRetries: 5 });
    },
  };
  return world;
}

export async function signIn(page: Page, relayUrl: string, email: string, password: string): Promise<void> {
  await page.getByLabel('Relay address').fill(relayUrl);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('navigation').first().waitFor();
}

/** SQLite files of a core's data directory (the signed-in user's replica). */
export function replicaFiles(dataDir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.(db|sqlite|sqlite3)$/.test(e.name) && statSync(p).size > 0) out.push(p);
    }
  };
  walk(dataDir);
  return out;
}

/** Polls until fn returns true (for state outside the page: relay, replica files). */
export async function eventually(fn: () => boolean | Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await fn()) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** A Node client of a host's /bridge socket (as the page would connect), for set-up steps the UI does not cover. */
export async function bridgeClient(host: BrowserHost): Promise<{
  call(kind: 'query' | 'command' | 'mutate', name: string, args: unknown): Promise<{ ok: boolean; result?: unknown; error?: { code: string; message: string } }>;
  events: unknown[];
  close(): void;
}> {
  const { default: WebSocket } = await import('ws');
  const page = new URL(host.url);
  const secret = new URLSearchParams(page.hash.slice(1)).get('secret') ?? '';
  const ws = new WebSocket(`ws://${page.host}/bridge?secret=${encodeURIComponent(secret)}`, { origin: page.origin });
  await new Promise<void>((ok, fail) => {
    ws.once('open', () => ok());
    ws.once('error', fail);
  });
  let next = 1;
  const waiting = new Map<number, (r: { ok: boolean; result?: unknown; error?: { code: string; message: string } }) => void>();
  const events: unknown[] = [];
  ws.on('message', (d: Buffer) => {
    const m = JSON.parse(d.toString()) as { id?: number; ok?: boolean; event?: unknown };
    if ('event' in m) events.push(m.event);
    else if (typeof m.id === 'number') waiting.get(m.id)?.(m as { ok: boolean });
  });
  return {
    call: (kind, name, args) =>
      new Promise((ok) => {
        const id = next++;
        waiting.set(id, ok);
        ws.send(JSON.stringify({ id, kind, name, args }));
      }),
    events,
    close: () => ws.close(),
  };
}

/** Id of the conversation behind a list row (rows carry id="row-<id>"). */
export async function rowId(row: import('playwright-core').Locator): Promise<string> {
  const id = await row.getAttribute('id');
  if (!id?.startsWith('row-')) throw new Error('not an inbox row');
  return id.slice(4);
}

export const timeline = (page: Page) => page.getByRole('log', { name: 'Messages' });

export async function goTo(page: Page, nav: RegExp): Promise<void> {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: nav }).first().click();
}
