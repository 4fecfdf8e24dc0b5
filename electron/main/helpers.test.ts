// Pure helpers of the Electron main process, tested under Node (no Electron binary needed).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { deepLinkFromArgv, parseDeepLink } from './deepLink';
import { isAppUrl, isSafeExternal, startUrl } from './urls';
import { readWindowState, restoreBounds, writeWindowState } from './windowState';

describe('deep links', () => {
  it('parses conversation and chat links', () => {
    expect(parseDeepLink('parley://conversation/01934a5b-7c2d')).toEqual({ kind: 'conversation', id: '01934a5b-7c2d' });
    expect(parseDeepLink('parley://chat/abc_1')).toEqual({ kind: 'chat', id: 'abc_1' });
  });
  it('refuses other schemes, kinds and odd ids', () => {
    expect(parseDeepLink('https://conversation/abc')).toBeNull();
    expect(parseDeepLink('parley://settings/abc')).toBeNull();
    expect(parseDeepLink('parley://conversation/')).toBeNull();
    expect(parseDeepLink('parley://conversation/a/b')).toBeNull();
    expect(parseDeepLink('parley://conversation/%3Cscript%3E')).toBeNull();
    expect(parseDeepLink('not a url')).toBeNull();
  });
  it('finds the link among a second instance command line', () => {
    expect(deepLinkFromArgv(['/opt/Parley/parley', '--no-sandbox', 'parley://conversation/c1'])).toEqual({ kind: 'conversation', id: 'c1' });
    expect(deepLinkFromArgv(['/opt/Parley/parley'])).toBeNull();
  });
});

describe('urls', () => {
  it('keeps only app://parley inside the window', () => {
    expect(isAppUrl('app://parley/index.html#x')).toBe(true);
    expect(isAppUrl('app://evil/index.html')).toBe(false);
    expect(isAppUrl('https://parley.app')).toBe(false);
  });
  it('sends only http(s) links without credentials to the system browser', () => {
    expect(isSafeExternal('https://pay.stripe.com/x')).toBe(true);
    expect(isSafeExternal('http://example.com')).toBe(true);
    expect(isSafeExternal('file:///etc/passwd')).toBe(false);
    expect(isSafeExternal('javascript:alert(1)')).toBe(false);
    expect(isSafeExternal('smb://host/share')).toBe(false);
    expect(isSafeExternal('https://user:pw@example.com')).toBe(false);
  });
  it('passes the relay URL in the fragment', () => {
    expect(startUrl(null)).toBe('app://parley/index.html');
    expect(startUrl('https://relay.acme.test')).toBe('app://parley/index.html#relay=https%3A%2F%2Frelay.acme.test');
  });
});

describe('window state', () => {
  const screen = [{ x: 0, y: 0, width: 1920, height: 1080 }];
  it('round-trips through the state file', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'parley-ws-')), 'window.json');
    expect(readWindowState(file)).toBeNull();
    writeWindowState(file, { x: 10, y: 20, width: 1000, height: 700, maximized: true });
    expect(readWindowState(file)).toEqual({ x: 10, y: 20, width: 1000, height: 700, maximized: true });
  });
  it('keeps saved bounds that are on a display', () => {
    expect(restoreBounds({ x: 100, y: 50, width: 1000, height: 700, maximized: false }, screen)).toEqual({ x: 100, y: 50, width: 1000, height: 700, maximized: false });
  });
  it('re-centres a window left on an unplugged monitor', () => {
    const r = restoreBounds({ x: 3000, y: 0, width: 1000, height: 700, maximized: false }, screen);
    expect(r.x).toBeGreaterThanOrEqual(0);
    expect(r.x + r.width).toBeLessThanOrEqual(1920);
  });
  it('enforces the minimum size', () => {
    const r = restoreBounds({ x: 0, y: 0, width: 10, height: 10, maximized: false }, screen);
    expect(r.width).toBeGreaterThanOrEqual(900);
    expect(r.height).toBeGreaterThanOrEqual(600);
  });
});
