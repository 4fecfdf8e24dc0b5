// Reports journey (issue 13 §4) in Chromium under the app's CSP (no bypass): the demo
// organisation's charts are drawn (Chart.js on canvas, no inline style or eval refused),
// periods switch, a wrong custom period is refused with a sentence, a chart's data leaves as
// CSV through the download path, and an agent's reports count no more than the admin's.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBrowserHost, type BrowserHost } from '../electron/host';
import { startRelay, type Relay } from '../server/relay';
import { CHROMIUM_ARGS, goTo, root, signIn } from './harness';
import { expect as pw } from './pw';

let tmp: string;
let relay: Relay;
let browser: Browser;
const hosts: BrowserHost[] = [];

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'parley-reports-e2e-'));
  relay = await startRelay({ dataDir: join(tmp, 'relay'), port: 0, seed: 'demo' });
  browser = await chromium.launch({ executablePath: process.env.PARLEY_CHROMIUM ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
});
afterAll(async () => {
  await browser?.close();
  for (const h of hosts) await h.close();
  await relay?.close();
  rmSync(tmp, { recursive: true, force: true, maxRetries: 5 });
});

/** A signed-in page whose CSP violations (and refusals logged by Chromium) are collected. */
async function openAs(email: string, name: string): Promise<{ page: Page; context: BrowserContext; violations: string[] }> {
  const host = await startBrowserHost({ dataDir: join(tmp, name), staticDir: join(root, 'dist/renderer'), relayUrl: relay.httpUrl });
  hosts.push(host);
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, acceptDownloads: true });
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  const violations: string[] = [];
  await page.exposeFunction('reportCspViolation', (v: string) => violations.push(v));
  await page.addInitScript(() => {
    const g = globalThis as unknown as { document: { addEventListener(t: string, f: (e: { violatedDirective: string; blockedURI: string; sourceFile: string; lineNumber: number; columnNumber: number }) => void): void }; reportCspViolation(v: string): void };
    g.document.addEventListener('securitypolicyviolation', (e) => g.reportCspViolation(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}:${e.columnNumber}`));
  });
  page.on('console', (m) => {
    if (/Content Security Policy|Refused to/i.test(m.text())) violations.push(m.text());
  });
  await page.goto(host.url);
  await page.getByLabel('Email').waitFor();
  await signIn(page, relay.httpUrl, email, 'parley-demo');
  return { page, context, violations };
}

const kpi = (page: Page, label: string) => page.getByRole('group', { name: label, exact: true }).locator('.kpi-value');

/** Whether the canvas has anything drawn on it. */
const drawn = (page: Page, label: RegExp) =>
  page.getByRole('img', { name: label }).evaluate((el) => {
    const c = el as unknown as { width: number; height: number; getContext(t: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } } | null };
    const data = c.getContext('2d')?.getImageData(0, 0, c.width, c.height).data;
    if (!data || c.width === 0) return false;
    for (let i = 3; i < data.length; i += 4) if ((data[i] ?? 0) > 0) return true;
    return false;
  });

describe('reports', () => {
  it('shows the demo organisation in charts under the CSP, switches periods, exports CSV', async () => {
    const { page, context, violations } = await openAs('admin@parley.test', 'admin');
    await goTo(page, /^Reports/);
    await page.getByRole('heading', { name: 'Reports' }).waitFor();
    await page.getByRole('button', { name: '90 days' }).click();
    await pw(page.getByRole('button', { name: '90 days' })).toHaveAttribute('aria-pressed', 'true');
    await pw(kpi(page, 'Conversations opened')).toContainText(/^\d+$/);
    const opened90 = Number(await kpi(page, 'Conversations opened').textContent());
    expect(opened90).toBeGreaterThan(0);
    await pw(kpi(page, 'Median first response')).toContainText(/\d/);
    // each chart is drawn on its canvas
    expect(await drawn(page, /^Conversations opened \(\d+\) and archived/)).toBe(true);
    expect(await drawn(page, /^Messages per day/)).toBe(true);
    expect(await drawn(page, /^First response time by team/)).toBe(true);
    // the heatmap has busy cells, and the backlog counts the open demo conversations
    expect(await page.locator('.heatmap td.heat-4').count()).toBeGreaterThan(0);
    expect(Number(await kpi(page, 'Open').textContent())).toBeGreaterThan(0);
    // by person: the demo's agents answered
    await pw(page.getByRole('article', { name: 'First response time' }).getByRole('cell', { name: /Amira Khan|Ben Taylor/ }).first()).toBeVisible();

    // a shorter period counts no more
    await page.getByRole('button', { name: '7 days' }).click();
    await pw(page.getByRole('button', { name: '7 days' })).toHaveAttribute('aria-pressed', 'true');
    await pw(kpi(page, 'Conversations opened')).toContainText(/^\d+$/);
    expect(Number(await kpi(page, 'Conversations opened').textContent())).toBeLessThanOrEqual(opened90);

    // a custom period that ends before it starts is refused with a sentence
    await page.getByRole('button', { name: 'Custom…' }).click();
    await page.getByLabel('Start date').fill('2026-03-10');
    await page.getByLabel('End date').fill('2026-03-01');
    await page.getByRole('button', { name: 'Apply' }).click();
    await pw(page.getByRole('alert').filter({ hasText: 'The end date must be on or after the start date.' })).toBeVisible();
    await page.getByRole('button', { name: '90 days' }).click();
    await pw(kpi(page, 'Conversations opened')).toContainText(new RegExp(`^${opened90}$`));

    // each chart's data leaves as CSV through the app's download path
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export Conversations opened and archived as CSV' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^parley-report-conversations-per-day-\d{4}-\d{2}-\d{2}-to-\d{4}-\d{2}-\d{2}\.csv$/);
    const csv = readFileSync(await download.path(), 'utf8').split(/\r?\n/);
    expect(csv[0]).toBe('day,opened,archived');
    expect(csv.length).toBe(1 + 90);
    expect(csv.slice(1).reduce((s, line) => s + Number(line.split(',')[1]), 0)).toBe(opened90);
    const [hoursCsv] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export Busiest hours as CSV' }).click()]);
    expect(readFileSync(await hoursCsv.path(), 'utf8')).toMatch(/^weekday,00:00,01:00/);

    // the theme changes, the charts follow, and still nothing was refused by the CSP
    await page.getByRole('button', { name: /Switch theme/ }).click();
    expect(await drawn(page, /^Messages per day/)).toBe(true);
    expect(violations).toEqual([]);

    // an agent's reports come from their replica: never more than the admin's
    const agent = await openAs('amira@parley.test', 'amira');
    await goTo(agent.page, /^Reports/);
    await agent.page.getByRole('button', { name: '90 days' }).click();
    await pw(kpi(agent.page, 'Conversations opened')).toContainText(/^\d+$/);
    await pw(agent.page.getByText(/^Conversations you can see/)).toBeVisible();
    const agentOpened = Number(await kpi(agent.page, 'Conversations opened').textContent());
    expect(agentOpened).toBeGreaterThan(0);
    expect(agentOpened).toBeLessThan(opened90); // Amira is in Sales only
    expect(agent.violations).toEqual([]);
    await agent.context.close();
    await context.close();
  });
});
