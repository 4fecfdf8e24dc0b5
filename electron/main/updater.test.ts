// The updater's logic against a local HTTP feed: electron-updater's real NsisUpdater
// (check, download, sha512 check, publisher-signature hook) driven by UpdateController,
// with an app adapter and a Node HTTP executor in place of Electron's. What this cannot
// show: Squirrel.Mac's code-signature check and the installers themselves.
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request, type ClientRequest, type IncomingMessage, type RequestOptions, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { configureRequestOptions, configureRequestUrl, HttpExecutor, type DownloadOptions } from 'builder-util-runtime';
import { NsisUpdater } from 'electron-updater';
import type { AppAdapter } from 'electron-updater/out/AppAdapter';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Logger } from './log';
import { readPolicy, type Policy } from './policy';
import { UpdateController, type UpdateState } from './updater';

/** Electron's executor goes through net.request; this one through Node's http (the feed is on loopback). */
class NodeExecutor extends HttpExecutor<ClientRequest> {
  createRequest(options: RequestOptions, callback: (response: IncomingMessage) => void): ClientRequest {
    return request(options, callback);
  }

  download(url: URL, destination: string, options: DownloadOptions): Promise<string> {
    return options.cancellationToken.createPromise<string>((resolve, reject, onCancel) => {
      const ro: RequestOptions = { headers: options.headers ?? undefined };
      configureRequestUrl(url, ro);
      configureRequestOptions(ro);
      this.doDownload(ro, { destination, options, onCancel, callback: (e) => (e ? reject(e) : resolve(destination)), responseHandler: null }, 0);
    });
  }
}

const tmp = mkdtempSync(join(tmpdir(), 'parley-updater-'));
const installer = Buffer.from('MZ pretend installer of Parley 1.1.0 '.repeat(500));
const sha512 = (b: Buffer): string => createHash('sha512').update(b).digest('base64');
let feed: Record<string, Buffer | string> = {};
const requested: string[] = [];
let server: Server;
let base = '';

function latestYml(version: string, file: string, hash: string, size: number): string {
  // what electron-builder publishes beside the installers
  return [`version: ${version}`, 'files:', `  - url: ${file}`, `    sha512: ${hash}`, `    size: ${size}`, `path: ${file}`, `sha512: ${hash}`, "releaseDate: '2026-11-29T10:00:00.000Z'", ''].join('\n');
}

beforeAll(async () => {
  server = createServer((req, res) => {
    const path = (req.url ?? '').replace(/\?.*/, '');
    requested.push(path);
    const body = feed[path];
    if (body === undefined) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-length': Buffer.byteLength(body) }).end(body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.close();
  rmSync(tmp, { recursive: true, force: true });
});

const silent: Logger = { dir: '', info: () => undefined, warn: () => undefined, error: () => undefined };

function setup(opts: { version?: string; policy?: Partial<Policy>; signature?: string | null; idle?: number[] } = {}) {
  const dir = mkdtempSync(join(tmp, 'app-'));
  const config = join(dir, 'app-update.yml');
  // electron-builder writes this file into the app's resources from `publish` and the signing publisher
  writeFileSync(config, `provider: generic\nurl: ${base}/feed\nupdaterCacheDirName: parley-updater\npublisherName:\n  - Parley\n`);
  const app: AppAdapter = {
    version: opts.version ?? '1.0.0',
    name: 'Parley',
    isPackaged: true,
    appUpdateConfigPath: config,
    userDataPath: dir,
    baseCachePath: join(dir, 'cache'),
    whenReady: () => Promise.resolve(),
    relaunch: () => undefined,
    quit: () => undefined,
    onQuit: () => undefined,
  };
  const u = new NsisUpdater(null, app);
  (u as unknown as { httpExecutor: HttpExecutor<ClientRequest> }).httpExecutor = new NodeExecutor();
  u.disableDifferentialDownload = true;
  u.disableWebInstaller = true;
  const verified: string[][] = [];
  u.verifyUpdateCodeSignature = (publishers: string[]) => {
    verified.push(publishers);
    return Promise.resolve(opts.signature ?? null);
  };
  const idle = [...(opts.idle ?? [60])];
  const prompts: string[] = [];
  const states: UpdateState['kind'][] = [];
  const policy: Policy = { ...readPolicy({ PARLEY_POLICY_FILE: join(dir, 'none.json') }), ...opts.policy };
  const c = new UpdateController(u, {
    policy,
    log: silent,
    idleSeconds: () => (idle.length > 1 ? idle.shift()! : idle[0]!),
    promptRestart: (v) => prompts.push(v),
    onState: (s) => states.push(s.kind),
    quietSeconds: 20,
    promptPollMs: 10,
  });
  const prompted = () =>
    new Promise<string>((resolve) => {
      const t = setInterval(() => {
        if (prompts.length) {
          clearInterval(t);
          resolve(prompts[0]!);
        }
      }, 5);
    });
  return { c, u, verified, prompts, states, prompted };
}

describe('updates (electron-updater against a local feed)', () => {
  it('checks, downloads quietly, checks sha512 and the publisher, and prompts only once the user stops typing', async () => {
    feed = { '/feed/latest-linux.yml': latestYml('1.1.0', 'Parley-Setup-1.1.0.exe', sha512(installer), installer.length), '/feed/Parley-Setup-1.1.0.exe': installer };
    // typing (idle 0 s, 3 s), then quiet (25 s)
    const t = setup({ idle: [0, 3, 25] });
    const s = await t.c.check('start');
    expect(s).toEqual({ kind: 'ready', version: '1.1.0' });
    expect(t.states).toEqual(expect.arrayContaining(['checking', 'downloading', 'ready']));
    expect(t.verified).toEqual([['Parley']]);
    expect(await t.prompted()).toBe('1.1.0');
    expect(t.prompts).toEqual(['1.1.0']); // once
    t.c.stop();
  });

  it('refuses a download whose sha512 does not match the feed', async () => {
    feed = { '/feed/latest-linux.yml': latestYml('1.1.0', 'Parley-Setup-1.1.0.exe', sha512(Buffer.from('something else')), installer.length), '/feed/Parley-Setup-1.1.0.exe': installer };
    const t = setup();
    const s = await t.c.check('start');
    expect(s.kind).toBe('error');
    expect(s.kind === 'error' && s.message).toMatch(/sha512 checksum mismatch/);
    expect(t.prompts).toEqual([]);
  });

  it('refuses an installer not signed by the publisher built into the app', async () => {
    feed = { '/feed/latest-linux.yml': latestYml('1.1.0', 'Parley-Setup-1.1.0.exe', sha512(installer), installer.length), '/feed/Parley-Setup-1.1.0.exe': installer };
    const t = setup({ signature: 'publisher names do not match: Mallory Ltd' });
    const s = await t.c.check('start');
    expect(s.kind === 'error' && s.message).toMatch(/not signed by the application owner/);
    expect(t.prompts).toEqual([]);
  });

  it('says up to date when the feed has this version', async () => {
    feed = { '/feed/latest-linux.yml': latestYml('1.1.0', 'Parley-Setup-1.1.0.exe', sha512(installer), installer.length) };
    const t = setup({ version: '1.1.0' });
    expect((await t.c.check('start')).kind).toBe('idle');
  });

  it('follows the beta channel when IT chooses it', async () => {
    const beta = Buffer.from('beta installer');
    feed = {
      '/feed/latest-linux.yml': latestYml('1.1.0', 'Parley-Setup-1.1.0.exe', sha512(installer), installer.length),
      '/feed/beta-linux.yml': latestYml('1.2.0-beta.1', 'Parley-Setup-1.2.0-beta.1.exe', sha512(beta), beta.length),
      '/feed/Parley-Setup-1.2.0-beta.1.exe': beta,
    };
    const t = setup({ policy: { updateChannel: 'beta' } });
    expect(await t.c.check('start')).toEqual({ kind: 'ready', version: '1.2.0-beta.1' });
  });

  it('never asks the feed anything when IT turned updates off', async () => {
    requested.length = 0;
    const t = setup({ policy: { updates: false, updatesOffReason: 'turned off by PARLEY_DISABLE_UPDATES' } });
    t.c.start();
    expect(await t.c.check('menu')).toEqual({ kind: 'disabled', reason: 'turned off by PARLEY_DISABLE_UPDATES' });
    expect(await t.c.clientTooOld()).toMatchObject({ kind: 'disabled' });
    expect(requested).toEqual([]);
    t.c.stop();
  });

  it("checks at once when the relay answers client_too_old", async () => {
    feed = { '/feed/latest-linux.yml': latestYml('1.1.0', 'Parley-Setup-1.1.0.exe', sha512(installer), installer.length), '/feed/Parley-Setup-1.1.0.exe': installer };
    requested.length = 0;
    const t = setup();
    expect(await t.c.clientTooOld()).toEqual({ kind: 'ready', version: '1.1.0' });
    expect(requested[0]).toBe('/feed/latest-linux.yml');
  });
});
