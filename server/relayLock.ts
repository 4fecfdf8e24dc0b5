// One relay per data dir: a second relay on the same SQLite database would race the first's
// version counter. `relay.lock` is created exclusively at start (it names the process) and
// removed at close; a lock whose process is gone is stale and taken over. `relay.json` (the
// serving relay's pid and URL, written once it listens) lets the CLI and `npm start` find it.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
};

function readJson(file: string): Record<string, unknown> | null {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch {
    return null;
  }
}

/** The relay serving this data dir from another process, if one is running. */
export function runningRelay(dataDir: string): { pid: number; httpUrl: string } | null {
  const f = readJson(join(dataDir, 'relay.json'));
  if (!f || typeof f.pid !== 'number' || typeof f.httpUrl !== 'string') return null;
  return f.pid !== process.pid && alive(f.pid) ? { pid: f.pid, httpUrl: f.httpUrl } : null;
}

export class RelayRunningError extends Error {
  readonly code = 'ERELAYRUNNING';
  constructor(
    readonly dataDir: string,
    readonly pid: number,
    readonly httpUrl: string | null,
  ) {
    super(`another Parley relay (process ${pid}) is already serving ${dataDir}${httpUrl ? ` at ${httpUrl}` : ''}: use it, or stop it first`);
  }
}

/** Takes the data dir's lock or throws RelayRunningError; returns its release. */
export function lockDataDir(dataDir: string): () => void {
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, 'relay.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(file, JSON.stringify({ pid: process.pid }), { flag: 'wx' });
      return () => {
        if (readJson(file)?.pid === process.pid) rmSync(file, { force: true });
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const holder = readJson(file)?.pid;
      // the same process may reopen a dir it did not close (tests of a crash); another live one holds it
      if (typeof holder === 'number' && holder !== process.pid && alive(holder)) throw new RelayRunningError(dataDir, holder, runningRelay(dataDir)?.httpUrl ?? null);
      rmSync(file, { force: true }); // stale: its process is gone
    }
  }
  throw new Error(`cannot lock ${dataDir}`);
}
