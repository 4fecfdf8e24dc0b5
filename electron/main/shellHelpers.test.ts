// The main process's plain-Node helpers: IT policy, rotating redacted logs, the
// diagnostics zip, proxy rules, permissions, atomic files, the menus (Electron's Menu API
// stubbed: only its template is looked at).
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import { describe, expect, it, vi } from 'vitest';
import { insecureRelayReason } from '../core/auth';
import { readJsonFile, writeFileAtomic } from './atomicFile';
import { buildDiagnosticsZip } from './diagnostics';
import { createLogger, redactFields, redactText } from './log';
import { parseProxyRule } from './network';
import { allowPermission } from './permissions';
import { policyFilePath, readPolicy } from './policy';

vi.mock('electron', () => ({ app: { isPackaged: true }, clipboard: { writeText: vi.fn() }, Menu: {}, shell: {} }));

const dir = () => mkdtempSync(join(tmpdir(), 'parley-main-'));

describe('policy', () => {
  it('is read from the machine-wide file, the environment winning', () => {
    const d = dir();
    const file = join(d, 'policy.json');
    writeFileSync(file, JSON.stringify({ updates: 'on', updateChannel: 'beta', updateUrl: 'https://updates.acme.test/parley', updateCheckHours: 8, crashReportUrl: 'https://crash.acme.test/submit' }));
    const p = readPolicy({ PARLEY_POLICY_FILE: file });
    expect(p).toMatchObject({ updates: true, updateChannel: 'beta', updateUrl: 'https://updates.acme.test/parley', updateCheckHours: 8, crashReportUrl: 'https://crash.acme.test/submit', problems: [] });
    expect(readPolicy({ PARLEY_POLICY_FILE: file, PARLEY_DISABLE_UPDATES: '1', PARLEY_UPDATE_CHANNEL: 'stable' })).toMatchObject({ updates: false, updatesOffReason: 'turned off by PARLEY_DISABLE_UPDATES', updateChannel: 'stable' });
  });
  it('defaults to updates on, stable, every 4 hours, no crash upload', () => {
    expect(readPolicy({ PARLEY_POLICY_FILE: join(dir(), 'absent.json') })).toMatchObject({ updates: true, updateChannel: 'stable', updateUrl: null, updateCheckHours: 4, crashReportUrl: null, problems: [] });
  });
  it('turns updates off from the file', () => {
    const file = join(dir(), 'p.json');
    writeFileSync(file, '{"updates":"off"}');
    expect(readPolicy({ PARLEY_POLICY_FILE: file })).toMatchObject({ updates: false, updatesOffReason: `turned off by ${file}` });
  });
  it('ignores a damaged or wrong file with the reason, never throws; refuses plain-http feeds', () => {
    const file = join(dir(), 'p.json');
    writeFileSync(file, '{"updates": "of');
    expect(readPolicy({ PARLEY_POLICY_FILE: file }).problems[0]).toMatch(/not valid JSON/);
    writeFileSync(file, JSON.stringify({ updateUrl: 'http://updates.acme.test', surprise: 1 }));
    const p = readPolicy({ PARLEY_POLICY_FILE: file });
    expect(p.updateUrl).toBeNull();
    expect(p.problems.join()).toMatch(/https/);
    expect(readPolicy({ PARLEY_POLICY_FILE: join(dir(), 'x.json'), PARLEY_UPDATE_URL: 'http://x.test' }).problems.join()).toMatch(/PARLEY_UPDATE_URL/);
  });
  it('lives where IT expects it on each OS', () => {
    expect(policyFilePath('win32', { ProgramData: 'C:\\ProgramData' })).toBe(join('C:\\ProgramData', 'Parley', 'policy.json'));
    expect(policyFilePath('darwin', {})).toBe('/Library/Application Support/Parley/policy.json');
    expect(policyFilePath('linux', {})).toBe('/etc/parley/policy.json');
  });
});

describe('logs', () => {
  it('redacts tokens, passwords, credentials in URLs and content fields', () => {
    const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1c2VyLTEifQ.c2lnbmF0dXJlLXNpZ25hdHVyZQ';
    expect(redactText(`hello ${jwt} Bearer abc.def https://u:pw@relay.test/x?token=abc&y=1`)).toBe('hello [redacted-jwt] Bearer [redacted] https://[redacted]@relay.test/x?token=[redacted]&y=1');
    expect(redactFields({ refreshToken: 'r', password: 'p', body: 'Hi Maya', count: 3, nested: { accessToken: 'a' } })).toEqual({ refreshToken: '[redacted]', password: '[redacted]', body: '[redacted]', count: 3, nested: { accessToken: '[redacted]' } });
  });
  it('rotates parley.log and keeps errors in errors.log', () => {
    const d = dir();
    const log = createLogger(d, { maxBytes: 400, keep: 2 });
    for (let i = 0; i < 30; i++) log.info('sync', `line ${i}`, { pending: i });
    log.error('main', 'something broke', { error: new Error('disk full') });
    const files = readdirSync(d).sort();
    expect(files).toEqual(['errors.log', 'parley.log', 'parley.log.1', 'parley.log.2']);
    expect(readFileSync(join(d, 'parley.log'), 'utf8')).toContain('ERROR [main] something broke');
    expect(readFileSync(join(d, 'errors.log'), 'utf8')).toContain('disk full');
    expect(readFileSync(join(d, 'errors.log'), 'utf8')).not.toContain('line 3');
  });
});

describe('diagnostics', () => {
  it('zips logs, versions, policy and settings with secrets redacted, never the replica', () => {
    const d = dir();
    const logs = join(d, 'logs');
    const log = createLogger(logs);
    log.info('sync', 'online', { pending: 0 });
    writeFileSync(join(logs, 'parley.log.1'), 'older line with eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1c2VyLTEifQ.c2lnbmF0dXJlLXNpZ25hdHVyZQ\n');
    const zip = buildDiagnosticsZip({
      logDir: logs,
      versions: { parley: '1.0.0', electron: '41.7.1' },
      facts: { policy: { updates: true }, sync: { state: 'online', error: null } },
      files: { 'config.json': JSON.stringify({ relayUrl: 'https://relay.acme.test', apiToken: 'secret-value' }), 'broken.json': '{' },
    });
    const entries = unzipSync(zip);
    expect(Object.keys(entries).sort()).toEqual(['README.txt', 'diagnostics.json', 'logs/parley.log', 'logs/parley.log.1', 'settings/broken.json', 'settings/config.json']);
    const all = Object.values(entries).map((e) => strFromU8(e)).join('\n');
    expect(all).not.toContain('secret-value');
    expect(all).not.toContain('eyJhbGciOiJIUzI1NiJ9.eyJzdWIi');
    expect(JSON.parse(strFromU8(entries['diagnostics.json']!))).toMatchObject({ versions: { parley: '1.0.0' }, sync: { state: 'online' } });
    expect(strFromU8(entries['settings/config.json']!)).toContain('https://relay.acme.test');
  });
});

describe('network', () => {
  it('reads the proxy Chromium resolved', () => {
    expect(parseProxyRule('DIRECT')).toEqual({ kind: 'direct' });
    expect(parseProxyRule('PROXY proxy.acme.test:3128; DIRECT')).toEqual({ kind: 'http', url: 'http://proxy.acme.test:3128' });
    expect(parseProxyRule('HTTPS proxy.acme.test:443')).toEqual({ kind: 'http', url: 'https://proxy.acme.test:443' });
    expect(parseProxyRule('SOCKS5 socks.acme.test:1080; PROXY p:8080')).toEqual({ kind: 'http', url: 'http://p:8080' });
    expect(parseProxyRule('SOCKS5 socks.acme.test:1080')).toEqual({ kind: 'unsupported', spec: 'SOCKS5 socks.acme.test:1080' });
    expect(parseProxyRule('')).toEqual({ kind: 'direct' });
  });
});

describe('relay address', () => {
  it('is https:// beyond this machine; plain http only on loopback', () => {
    for (const ok of ['https://relay.acme.test', 'wss://relay.acme.test/sync', 'http://127.0.0.1:8080', 'http://localhost:3000', 'http://[::1]:3000', 'http://127.1.2.3']) expect(insecureRelayReason(ok)).toBeNull();
    expect(insecureRelayReason('http://relay.acme.test')).toMatch(/only connects to a relay over https:\/\//);
    expect(insecureRelayReason('http://192.168.1.10:8080')).toMatch(/https/);
    expect(insecureRelayReason('ftp://relay.acme.test')).toMatch(/must start with https/);
    expect(insecureRelayReason('not a url')).toMatch(/not a valid URL/);
  });
});

describe('permissions', () => {
  it('grants notifications and clipboard writes to app://parley only', () => {
    expect(allowPermission('clipboard-sanitized-write', 'app://parley/index.html')).toBe(true);
    expect(allowPermission('clipboard-sanitized-write', 'app://parley')).toBe(true);
    expect(allowPermission('notifications', 'app://parley/')).toBe(true);
    expect(allowPermission('clipboard-sanitized-write', 'https://evil.test')).toBe(false);
    expect(allowPermission('clipboard-read', 'app://parley/')).toBe(false);
    expect(allowPermission('media', 'app://parley/')).toBe(false);
    expect(allowPermission('geolocation', 'app://parley/')).toBe(false);
  });
});

describe('atomic files', () => {
  it('replaces the whole file and reads damaged files as absent', () => {
    const file = join(dir(), 'sub', 'settings.json');
    writeFileAtomic(file, '{"a":1}');
    expect(readJsonFile(file, (v) => v as { a: number })).toEqual({ ok: true, value: { a: 1 } });
    expect(readdirSync(join(file, '..'))).toEqual(['settings.json']); // no temp file left
    writeFileSync(file, '{"a":');
    expect(readJsonFile(file, (v) => v)).toMatchObject({ ok: false, missing: false });
    expect(readJsonFile(join(file, '..', 'absent.json'), (v) => v)).toMatchObject({ ok: false, missing: true });
    expect(existsSync(file)).toBe(true);
  });
});

describe('menus', () => {
  it('Help has Export Diagnostics, the log folder and the update entry', async () => {
    const { menuTemplate } = await import('./menu');
    const noop = () => undefined;
    const help = (t: ReturnType<typeof menuTemplate>) => (t.find((m) => m.role === 'help')?.submenu as { label?: string }[]).map((i) => i.label).filter(Boolean);
    expect(help(menuTemplate({ docsUrl: 'https://x', exportDiagnostics: noop, openLogFolder: noop, checkForUpdates: noop }, 'linux', true))).toEqual(['Parley help', 'Export Diagnostics…', 'Open Log Folder', 'Check for Updates…']);
    expect(help(menuTemplate({ docsUrl: 'https://x', exportDiagnostics: noop, openLogFolder: noop, checkForUpdates: noop, restartToUpdate: { version: '1.2.0', run: noop } }, 'linux', true))).toContain('Restart to Update (1.2.0)');
  });
  it('the context menu offers spelling suggestions and edit roles as the context allows', async () => {
    const { contextMenuTemplate } = await import('./contextMenu');
    const replaced: string[] = [];
    const win = { webContents: { replaceMisspelling: (w: string) => replaced.push(w), session: { addWordToSpellCheckerDictionary: () => true } } } as never;
    const base = { misspelledWord: '', dictionarySuggestions: [] as string[], isEditable: false, selectionText: '', linkURL: '', editFlags: { canCut: true, canCopy: true, canPaste: true, canSelectAll: true } };
    const t = contextMenuTemplate({ ...base, misspelledWord: 'teh', dictionarySuggestions: ['the', 'tech'], isEditable: true } as never, win);
    expect(t.map((i) => i.label ?? i.role ?? i.type)).toEqual(['the', 'tech', 'Add to dictionary', 'separator', 'cut', 'copy', 'paste', 'separator', 'selectAll']);
    (t[0]!.click as () => void)();
    expect(replaced).toEqual(['the']);
    expect(contextMenuTemplate({ ...base, selectionText: 'hello' } as never, win).map((i) => i.role)).toEqual(['copy']);
    expect(contextMenuTemplate({ ...base, linkURL: 'javascript:alert(1)' } as never, win)).toEqual([]);
  });
});
