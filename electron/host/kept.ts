// A browser host that keeps its port and page secret in its data dir (host.json, 0600), as
// `npm start` runs it: a tab left open reconnects to the restarted host (same address, same
// secret), and a second start on the same data dir finds the running one instead of opening
// a second core on the same replica.
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startBrowserHost, type BrowserHost, type BrowserHostOptions } from './index';

interface HostFile {
  pid: number | null;
  port: number;
  secret: string;
  url: string | null;
}

function readHostFile(dataDir: string): HostFile | null {
  try {
    const f = JSON.parse(readFileSync(join(dataDir, 'host.json'), 'utf8')) as Partial<HostFile>;
    if (typeof f.port !== 'number' || typeof f.secret !== 'string') return null;
    return { pid: typeof f.pid === 'number' ? f.pid : null, port: f.port, secret: f.secret, url: typeof f.url === 'string' ? f.url : null };
  } catch {
    return null;
  }
}

const alive = (pid: number | null): boolean => {
  if (pid === null || pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/** The address of the host another process runs on this data dir, if any. */
export function runningHost(dataDir: string): { pid: number; url: string } | null {
  const f = readHostFile(dataDir);
  return f && f.url && f.pid !== null && alive(f.pid) ? { pid: f.pid, url: f.url } : null;
}

/**
 * Starts the host on the port and with the secret of its last run (a new secret, and
 * `fallbackPort`, the first time; a free port when that one is taken).
 */
export async function startKeptHost(opts: Omit<BrowserHostOptions, 'port' | 'secret'> & { fallbackPort: number }): Promise<BrowserHost> {
  mkdirSync(opts.dataDir, { recursive: true, mode: 0o700 });
  const file = join(opts.dataDir, 'host.json');
  const before = readHostFile(opts.dataDir);
  const secret = before?.secret ?? randomBytes(32).toString('base64url');
  const { fallbackPort, ...hostOpts } = opts;
  let host: BrowserHost;
  try {
    host = await startBrowserHost({ ...hostOpts, secret, port: before?.port ?? fallbackPort });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw e;
    host = await startBrowserHost({ ...hostOpts, secret, port: 0 });
  }
  const saved: HostFile = { pid: process.pid, port: host.port, secret, url: host.url };
  writeFileSync(file, JSON.stringify(saved), { mode: 0o600 });
  return {
    ...host,
    close: async () => {
      await host.close();
      // port and secret stay for the next start; nobody runs it now
      writeFileSync(file, JSON.stringify({ ...saved, pid: null }), { mode: 0o600 });
    },
  };
}
