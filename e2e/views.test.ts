// Every main view against the demo organisation, light and dark: an axe-core audit
// (no serious or critical violations) and a screenshot of each. `npm test` writes them to a
// scratch folder (a test run leaves the tree clean); `npm run screenshots` rewrites the
// committed ones under e2e/screenshots/ (PARLEY_SCREENSHOTS=commit).
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBrowserHost, type BrowserHost } from '../electron/host';
import { startRelay, type Relay } from '../server/relay';
import { CHROMIUM_ARGS, goTo, root, signIn } from './harness';
import { expect as pw } from './pw';

const shots = process.env.PARLEY_SCREENSHOTS === 'commit' ? join(root, 'e2e/screenshots') : join(tmpdir(), 'parley-screenshots');
let tmp: string;
let relay: Relay;
let browser: Browser;
const hosts: BrowserHost[] = [];

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

async function audit(page: Page, view: string): Promise<string[]> {
  await page.addScriptTag({ path: join(root, 'node_modules/axe-core/axe.min.js') });
  const violations = await page.evaluate(async () => {
    const g = globalThis as unknown as { axe: { run(ctx: unknown, o: object): Promise<{ violations: AxeViolation[] }> }; document: unknown };
    return (await g.axe.run(g.document, { resultTypes: ['violations'] })).violations;
  });
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${view}: ${v.id} (${v.impact}) ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
}

async function shoot(page: Page, name: string, theme: string): Promise<void> {
  await page.waitForTimeout(400); // let virtualised lists and fonts settle
  await page.screenshot({ path: join(shots, `${name}-${theme}.png`) });
}

beforeAll(async () => {
  mkdirSync(shots, { recursive: true });
  tmp = mkdtempSync(join(tmpdir(), 'parley-views-'));
  relay = await startRelay({ dataDir: join(tmp, 'relay'), port: 0, seed: 'demo' });
  browser = await chromium.launch({ executablePath: process.env.PARLEY_CHROMIUM ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
});
afterAll(async () => {
  await browser?.close();
  for (const h of hosts) await h.close();
  await relay?.close();
  rmSync(tmp, { recursive: true, force: true, maxRetries: 5 });
});

describe.each(['light', 'dark'] as const)('main views (%s)', (theme) => {
  it('pass axe-core and are captured', async () => {
    const host = await startBrowserHost({ dataDir: join(tmp, `client-${theme}`), staticDir: join(root, 'dist/renderer'), relayUrl: relay.httpUrl });
    hosts.push(host);
    // bypassCSP only so axe-core can be injected; the app itself runs under its CSP.
    const context = await browser.newContext({ colorScheme: theme, viewport: { width: 1440, height: 900 }, bypassCSP: true });
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    const problems: string[] = [];
    await page.goto(host.url);
    await page.getByLabel('Email').waitFor();
    problems.push(...(await audit(page, 'sign-in')));
    await shoot(page, 'sign-in', theme);

    await signIn(page, relay.httpUrl, 'admin@parley.test', 'parley-demo');
    await goTo(page, /^Team inbox/);
    await page.getByRole('option').first().waitFor();
    problems.push(...(await audit(page, 'inbox')));
    await shoot(page, 'inbox', theme);

    await page.getByRole('option').first().click();
    await page.getByRole('log', { name: 'Messages' }).waitFor();
    problems.push(...(await audit(page, 'conversation')));
    await shoot(page, 'conversation', theme);

    await page.getByRole('button', { name: 'Manage conversation' }).click();
    await page.getByRole('dialog', { name: 'Manage conversation' }).waitFor();
    problems.push(...(await audit(page, 'manage dialog')));
    await shoot(page, 'manage-dialog', theme);
    await page.keyboard.press('Escape');
    await pw(page.getByRole('dialog')).toHaveCount(0);

    await page.keyboard.press('Control+k');
    await page.getByRole('dialog').getByPlaceholder(/Search/).fill('parking');
    await page.waitForTimeout(400);
    problems.push(...(await audit(page, 'search palette')));
    await shoot(page, 'search-palette', theme);
    await page.keyboard.press('Escape');

    for (const [nav, name] of [[/^Contacts/, 'contacts'], [/^Team chat/, 'team-chat'], [/^Broadcast/, 'broadcast'], [/^Mentions/, 'mentions'], [/^Canned responses/, 'canned-responses']] as const) {
      await goTo(page, nav);
      await page.waitForTimeout(300);
      // the list's rows, not the options of a filter <select>
      if (name !== 'broadcast') await page.getByRole('listbox').first().getByRole('option').first().click().catch(() => undefined);
      problems.push(...(await audit(page, name)));
      await shoot(page, name, theme);
    }

    // the Import dialog (its file picker is styled like the app's buttons)
    await goTo(page, /^Contacts/);
    await page.getByRole('button', { name: 'Import contacts from CSV' }).click();
    await page.getByRole('dialog', { name: 'Import contacts' }).waitFor();
    problems.push(...(await audit(page, 'import dialog')));
    await shoot(page, 'import-dialog', theme);
    await page.keyboard.press('Escape');
    await pw(page.getByRole('dialog')).toHaveCount(0);

    // admin screens: Teams and people (with the Add person dialog), Channels and payments
    await goTo(page, /^Teams and people/);
    await page.getByRole('heading', { name: 'Teams and people' }).waitFor();
    problems.push(...(await audit(page, 'teams and people')));
    await shoot(page, 'teams-and-people', theme);
    await page.getByRole('button', { name: 'Add person' }).click();
    await page.getByRole('dialog', { name: 'Add a person' }).waitFor();
    problems.push(...(await audit(page, 'add person dialog')));
    await shoot(page, 'add-person-dialog', theme);
    await page.keyboard.press('Escape');
    await pw(page.getByRole('dialog')).toHaveCount(0);

    await goTo(page, /^Channels and payments/);
    if (theme === 'light') {
      // one account so the screen shows a card with its webhook URLs
      await page.getByRole('button', { name: 'Add account' }).click();
      const d = page.getByRole('dialog', { name: 'Add a provider account' });
      await d.getByLabel('Account SID').fill('AC0123456789abcdef0123456789abcdef');
      await d.getByLabel('Sending number').fill('+1 415 555 2671');
      await d.getByLabel('Auth token').fill('a-secret-auth-token');
      await d.getByRole('button', { name: 'Save account' }).click();
      await pw(d).toBeHidden();
    }
    await page.getByRole('article').first().waitFor();
    problems.push(...(await audit(page, 'channels')));
    await shoot(page, 'channels', theme);
    await page.getByRole('button', { name: /^Edit/ }).first().click();
    await page.getByRole('dialog', { name: /^Edit / }).waitFor();
    problems.push(...(await audit(page, 'account dialog')));
    await shoot(page, 'account-dialog', theme);
    await page.keyboard.press('Escape');
    await pw(page.getByRole('dialog')).toHaveCount(0);

    // Reports over the demo organisation's last 90 days
    await goTo(page, /^Reports/);
    await page.getByRole('button', { name: '90 days' }).click();
    await page.getByRole('img', { name: /^Conversations opened/ }).waitFor();
    await page.locator('.heatmap').waitFor();
    problems.push(...(await audit(page, 'reports')));
    await shoot(page, 'reports', theme);
    await page.locator('.reports-scroll').evaluate((el) => {
      const box = el as { scrollTop: number; scrollHeight: number };
      box.scrollTop = box.scrollHeight;
    });
    await shoot(page, 'reports-more', theme);
    await context.close();
    expect(problems).toEqual([]);
  });
});
