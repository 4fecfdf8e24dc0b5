// Browser host: the core in a Node process, the built renderer on http://127.0.0.1,
// and the bridge over a local WebSocket. Used by `npm start` where no Electron binary
// is installed and by the end-to-end tests (one host per simulated user).
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createCore, FileSecretStore } from '../core';
import { attachBridgeSocket } from './bridgeSocket';
import { securityHeaders, serveStatic } from './static';
import type { QueryArgs, QueryName } from '../../shared/bridge';
import { checkQueryResult } from '../../shared/bridgeResults';

export interface BrowserHostOptions {
  /** the core's data directory (replica, secrets) */
  dataDir: string;
  /** 0 or omitted: a free port */
  port?: number;
  /**
   * The page's secret; omitted: a new one per launch. `npm start` keeps one per data dir (with
   * its port), so a tab left open reconnects to the restarted host.
   */
  secret?: string;
  /** the built renderer, usually dist/renderer */
  staticDir: string;
  /** relay URL the sign-in form should offer (passed in the page URL's fragment) */
  relayUrl?: string;
  /** tests: check every query result against the contract's result schemas (shared/bridgeResults.ts); a result outside it fails the query */
  checkQueryResults?: boolean;
}

export interface BrowserHost {
  /** open this in a browser: it carries the per-launch secret in its fragment */
  url: string;
  port: number;
  close(): Promise<void>;
}

export async function startBrowserHost(opts: BrowserHostOptions): Promise<BrowserHost> {
  mkdirSync(opts.dataDir, { recursive: true, mode: 0o700 });
  const core = createCore({ dataDir: opts.dataDir, secretStore: new FileSecretStore(join(opts.dataDir, 'secrets.json')), clientName: 'browser-host' });
  if (opts.checkQueryResults) {
    const query = core.query.bind(core);
    core.query = async <K extends QueryName>(name: K, args: QueryArgs<K>) => checkQueryResult(name, await query(name, args));
  }
  await core.start();

  const secret = opts.secret ?? randomBytes(32).toString('base64url');
  let port = 0;
  const allowedHosts = (): string[] => [`127.0.0.1:${port}`, `localhost:${port}`];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    // A Host check stops DNS-rebinding pages from reading our files.
    if (!allowedHosts().includes(req.headers.host ?? '')) {
      res.writeHead(421, { ...securityHeaders(port), 'Content-Type': 'text/plain' });
      return void res.end('Misdirected request');
    }
    serveStatic(opts.staticDir, port, req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  const socket = attachBridgeSocket(server, {
    bridge: core,
    secret,
    allowedOrigins: () => allowedHosts().map((h) => `http://${h}`),
  });
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(opts.port ?? 0, '127.0.0.1', () => ok());
  });
  port = (server.address() as AddressInfo).port;

  const fragment = new URLSearchParams({ secret });
  if (opts.relayUrl) fragment.set('relay', opts.relayUrl);
  let closed: Promise<void> | null = null;
  return {
    url: `http://127.0.0.1:${port}/#${fragment.toString()}`,
    port,
    close: () =>
      (closed ??= (async () => {
        await socket.close();
        server.closeAllConnections();
        await new Promise<void>((ok) => server.close(() => ok()));
        await core.close();
      })()),
  };
}
