// "Help → Export diagnostics": one zip for a support ticket with the logs, versions, the
// effective policy and the local settings, secrets redacted. Never the replica (message
// content), secrets.json or session tokens. Plain Node; tested under Node.
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { strToU8, zipSync, type Zippable } from 'fflate';
import { redactFields, redactText } from './log';

export interface DiagnosticsInput {
  logDir: string;
  /** app, electron, chrome, node, os… */
  versions: Record<string, string>;
  /** JSON-able facts: policy, settings files, sync status, update state, paths */
  facts: Record<string, unknown>;
  /** settings files to include (redacted), by name in the zip */
  files?: Record<string, string>;
  /** recent crash dumps' names and sizes (the dumps themselves stay on disk unless IT asks) */
  crashDumpsDir?: string;
}

const MAX_LOG_BYTES = 20 * 1024 * 1024;

function listDumps(dir: string | undefined): { name: string; bytes: number; at: string }[] {
  if (!dir) return [];
  const out: { name: string; bytes: number; at: string }[] = [];
  const walk = (d: string, depth: number): void => {
    let names: string[];
    try {
      names = readdirSync(d);
    } catch {
      return;
    }
    for (const n of names) {
      const p = join(d, n);
      const st = statSync(p, { throwIfNoEntry: false });
      if (!st) continue;
      if (st.isDirectory() && depth < 3) walk(p, depth + 1);
      else if (n.endsWith('.dmp')) out.push({ name: p.slice(dir.length + 1), bytes: st.size, at: st.mtime.toISOString() });
    }
  };
  walk(dir, 0);
  return out;
}

export function buildDiagnosticsZip(input: DiagnosticsInput): Uint8Array {
  const entries: Zippable = {};
  let logBytes = 0;
  let names: string[] = [];
  try {
    names = readdirSync(input.logDir).filter((n) => /\.log(\.\d+)?$/.test(n)).sort();
  } catch {
    /* no logs yet */
  }
  for (const n of names) {
    const p = join(input.logDir, n);
    const size = statSync(p, { throwIfNoEntry: false })?.size ?? 0;
    if (logBytes + size > MAX_LOG_BYTES) continue;
    logBytes += size;
    // logs are written redacted; scrub once more for anything an older version let through
    entries[`logs/${n}`] = strToU8(redactText(readFileSync(p, 'utf8')));
  }
  for (const [name, content] of Object.entries(input.files ?? {})) {
    let text: string;
    try {
      text = JSON.stringify(redactFields(JSON.parse(content) as Record<string, unknown>), null, 2);
    } catch {
      text = `(${name} is not valid JSON: ${content.length} bytes, not included)`;
    }
    entries[`settings/${name}`] = strToU8(text);
  }
  const summary = { exportedAt: new Date().toISOString(), versions: input.versions, ...redactFields(input.facts), crashDumps: listDumps(input.crashDumpsDir) };
  entries['diagnostics.json'] = strToU8(JSON.stringify(summary, null, 2));
  entries['README.txt'] = strToU8(
    'Parley diagnostics for a support ticket.\n' +
      'Contains: logs (no message content, no tokens), versions, the effective IT policy, settings with secrets redacted,\n' +
      'and the names of local crash dumps. It does not contain the local database or the sign-in token.\n',
  );
  return zipSync(entries, { level: 6 });
}

export function writeDiagnosticsZip(file: string, input: DiagnosticsInput): void {
  writeFileSync(file, buildDiagnosticsZip(input), { mode: 0o600 });
}
