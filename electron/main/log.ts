// Rotating log files for IT, in the platform's log folder (app.getPath('logs')):
// parley.log (main, core, sync, update events) and errors.log (errors only), each
// rotated at `maxBytes` into .1 … .N. Lines are JSON-free plain text with a scope tag.
// Never logged: message content, tokens, passwords. Callers log events and counts; the
// redaction below is the safety net for what slips into an error message.
import { appendFileSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';

export type Level = 'info' | 'warn' | 'error';
export type Scope = 'main' | 'core' | 'sync' | 'update' | 'network' | 'startup';

export interface Logger {
  info(scope: Scope, message: string, fields?: Record<string, unknown>): void;
  warn(scope: Scope, message: string, fields?: Record<string, unknown>): void;
  error(scope: Scope, message: string, fields?: Record<string, unknown>): void;
  readonly dir: string;
}

const SECRET_KEY = /token|password|secret|authorization|cookie|body|text|content|preview/i;
const JWT = /eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g;
const BEARER = /(bearer\s+)[A-Za-z0-9._~+/=-]+/gi;
const URL_CREDENTIALS = /(\w+:\/\/)[^/@\s:]+:[^/@\s]+@/g;
const QUERY_SECRET = /([?&](?:token|access_token|refresh_token|key|sig|signature)=)[^&\s]+/gi;

/** Strips what looks like a credential out of free text (error messages, URLs). */
export function redactText(s: string): string {
  return s.replace(JWT, '[redacted-jwt]').replace(BEARER, '$1[redacted]').replace(URL_CREDENTIALS, '$1[redacted]@').replace(QUERY_SECRET, '$1[redacted]');
}

/** Fields with secret-sounding names are dropped to "[redacted]"; strings are scrubbed. */
export function redactFields(fields: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(fields)) {
    if (SECRET_KEY.test(k)) out[k] = '[redacted]';
    else if (typeof v === 'string') out[k] = redactText(v);
    else if (v instanceof Error) out[k] = redactText(v.stack ?? v.message);
    else if (v && typeof v === 'object' && !Array.isArray(v)) out[k] = redactFields(v as Record<string, unknown>);
    else out[k] = v;
  }
  return out;
}

export class RotatingFile {
  private size = -1;
  constructor(readonly path: string, private readonly maxBytes: number, private readonly keep: number) {}

  append(line: string): void {
    if (this.size < 0) {
      try {
        this.size = statSync(this.path).size;
      } catch {
        this.size = 0;
      }
    }
    if (this.size + line.length > this.maxBytes && this.size > 0) this.rotate();
    appendFileSync(this.path, line, { mode: 0o600 });
    this.size += Buffer.byteLength(line);
  }

  private rotate(): void {
    rmSync(`${this.path}.${this.keep}`, { force: true });
    for (let i = this.keep - 1; i >= 1; i--) {
      try {
        renameSync(`${this.path}.${i}`, `${this.path}.${i + 1}`);
      } catch {
        /* that generation does not exist yet */
      }
    }
    try {
      renameSync(this.path, `${this.path}.1`);
    } catch {
      /* nothing to rotate */
    }
    this.size = 0;
  }
}

export function createLogger(dir: string, opts: { maxBytes?: number; keep?: number; echo?: boolean } = {}): Logger {
  mkdirSync(dir, { recursive: true });
  const maxBytes = opts.maxBytes ?? 2 * 1024 * 1024;
  const keep = opts.keep ?? 5;
  const all = new RotatingFile(join(dir, 'parley.log'), maxBytes, keep);
  const errors = new RotatingFile(join(dir, 'errors.log'), maxBytes, keep);
  const write = (level: Level, scope: Scope, message: string, fields?: Record<string, unknown>): void => {
    const extra = fields && Object.keys(fields).length ? ' ' + JSON.stringify(redactFields(fields)) : '';
    const line = `${new Date().toISOString()} ${level.toUpperCase().padEnd(5)} [${scope}] ${redactText(message)}${extra}\n`;
    try {
      all.append(line);
      if (level === 'error') errors.append(line);
    } catch {
      /* a full or read-only disk must not take the app down with it */
    }
    if (opts.echo) (level === 'error' ? process.stderr : process.stdout).write(line);
  };
  return {
    dir,
    info: (s, m, f) => write('info', s, m, f),
    warn: (s, m, f) => write('warn', s, m, f),
    error: (s, m, f) => write('error', s, m, f),
  };
}

/** Until the log folder is known (the first milliseconds of start-up): stderr only. */
export const consoleLogger: Logger = {
  dir: '',
  info: (s, m) => process.stdout.write(`[${s}] ${redactText(m)}\n`),
  warn: (s, m) => process.stderr.write(`[${s}] ${redactText(m)}\n`),
  error: (s, m) => process.stderr.write(`[${s}] ${redactText(m)}\n`),
};
