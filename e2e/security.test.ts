// The browser host's page runs under its CSP in a real Chromium: no network but the
// bridge socket of its own origin, no inline script.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBrowserHost, type BrowserHost } from '../electron/host';
import { startTestRelay, type TestOrg } from '../server/testing';
import { CHROMIUM_ARGS, root } from './harness';

let org: TestOrg;
let host: BrowserHost;
let browser: Browser;
let page: Page;
const tmp = mkdtempSync(join(tmpdir(), 'parley-sec-'));

beforeAll(async () => {
  org = await startTestRelay();
  host = await startBrowserHost({ dataDir: join(tmp, 'client'), staticDir: join(root, 'dist/renderer'), relayUrl: org.relay.httpUrl });
  browser = await chromium.launch({ executablePath: process.env.PARLEY_CHROMIUM ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
  page = await browser.newPage();
  await page.goto(host.url);
  await page.getByLabel('Email').waitFor();
});
afterAll(async () => {
  await browser?.close();
  await host?.close();
  await org?.relay.close();
  rmSync(tmp, { recursive: true, force: true, maxRetries: 5 });
});

describe('browser host page under its CSP', () => {
  it('cannot reach the relay or any other origin directly', async () => {
    const result = await page.evaluate(async (url) => {
      try {
        await fetch(url);
        return 'reached';
      } catch {
        return 'blocked';
      }
    }, `${org.relay.httpUrl}/health`);
    expect(result).toBe('blocked');
  });

  it('cannot run injected inline script', async () => {
    // (eval cannot be probed from here: Playwright's own evaluation bypasses the CSP.)
    const injected = await page.evaluate(() => {
      const g = globalThis as unknown as { document: { createElement(t: string): { textContent: string }; head: { appendChild(n: unknown): void } }; injected?: boolean };
      const s = g.document.createElement('script');
      s.textContent = 'globalThis.injected = true';
      g.document.head.appendChild(s);
      return g.injected === true;
    });
    expect(injected).toBe(false);
  });
});
