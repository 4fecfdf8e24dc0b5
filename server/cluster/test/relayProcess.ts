// A relay as its own process, started with the CLI as an operator starts one
// (`DATABASE_URL=… NATS_URL=… PARLEY_ORG_KEY=… npm run relay -- serve --port P --data DIR`), for
// the process-level cluster test and the cluster bench. Ready when its JSON log says
// "relay started" (its URL is read from that line); `kill()` is SIGKILL: no goodbye, no drain.
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const cli = join(import.meta.dirname, '..', '..', 'cli.ts');

export interface RelayProcessOptions {
  dataDir: string;
  databaseUrl: string;
  natsUrl: string;
  orgKey: string;
  /** 0: any free port */
  port?: number;
  seed?: 'demo';
  /** extra environment (PARLEY_LOG_LEVEL stays info: readiness is its "relay started" line) */
  env?: Record<string, string>;
  /** default 60 s */
  startTimeoutMs?: number;
  /** every stderr line and every log line at warn or above, e.g. for a test's diagnostics */
  onLog?: (line: string) => void;
}

interface LogLine {
  msg?: string;
  httpUrl?: string;
  level?: number;
}

function parseLogLine(line: string): LogLine | null {
  try {
    const v: unknown = JSON.parse(line);
    return typeof v === 'object' && v !== null ? v : null;
  } catch {
    return null;
  }
}

export class RelayProcess {
  private constructor(
    readonly proc: ChildProcess,
    readonly httpUrl: string,
    readonly exited: Promise<number | null>,
  ) {}

  get port(): number {
    return Number(new URL(this.httpUrl).port);
  }

  get pid(): number {
    return this.proc.pid ?? -1;
  }

  get alive(): boolean {
    return this.proc.exitCode === null && this.proc.signalCode === null;
  }

  /** Starts the relay and resolves once it listens; rejects with its output if it exits first. */
  static async start(o: RelayProcessOptions): Promise<RelayProcess> {
    const tsx = createRequire(import.meta.url).resolve('tsx');
    const args = ['--import', tsx, cli, 'serve', '--port', String(o.port ?? 0), '--data', o.dataDir, ...(o.seed ? ['--seed', o.seed] : [])];
    // one process (node with tsx's loader, not the tsx launcher): SIGKILL reaches the relay itself
    const proc = spawn(process.execPath, args, {
      // the relays of one organisation share its credentials key (the CLI refuses a cluster without one)
      env: { ...process.env, DATABASE_URL: o.databaseUrl, NATS_URL: o.natsUrl, PARLEY_ORG_KEY: o.orgKey, PARLEY_SECRET_KEY: createHash('sha256').update(o.orgKey).digest('base64'), ...o.env, PARLEY_LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<number | null>((r) => proc.once('exit', (code) => r(code)));
    const tail: string[] = [];
    const keep = (line: string) => {
      tail.push(line);
      if (tail.length > 40) tail.shift();
    };
    createInterface({ input: proc.stderr }).on('line', (line) => {
      keep(line);
      o.onLog?.(line);
    });
    const lines = createInterface({ input: proc.stdout });
    const startTimeoutMs = o.startTimeoutMs ?? 60_000;
    let timer: NodeJS.Timeout | undefined;
    const url = await new Promise<string>((resolve, reject) => {
      lines.on('line', (line) => {
        keep(line);
        const entry = parseLogLine(line);
        if (!entry) return;
        if ((entry.level ?? 0) >= 40) o.onLog?.(line);
        if (entry.msg === 'relay started' && entry.httpUrl) resolve(entry.httpUrl);
      });
      void exited.then((code) => reject(new Error(`relay process exited (${String(code)}) before it listened:\n${tail.join('\n')}`)));
      // a relay that neither listens nor exits (a hung migration or seed) is killed and reported
      timer = setTimeout(() => {
        proc.kill('SIGKILL');
        reject(new Error(`relay process did not listen within ${startTimeoutMs} ms:\n${tail.join('\n')}`));
      }, startTimeoutMs);
    }).finally(() => clearTimeout(timer));
    return new RelayProcess(proc, url, exited);
  }

  /** SIGKILL (kill -9): the relay dies mid-whatever; resolves once it is gone. */
  async kill(): Promise<void> {
    if (!this.alive) return;
    this.proc.kill('SIGKILL');
    await this.exited;
  }

  /** SIGTERM: the relay drains and stops. */
  async stop(): Promise<void> {
    if (!this.alive) return;
    this.proc.kill('SIGTERM');
    await this.exited;
  }
}
