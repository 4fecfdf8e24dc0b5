// Small files of the main process (window state, settings) written so that a crash or a
// power cut leaves either the old file or the new one, never half of one: write a
// temporary file beside it, flush it to disk, rename over. Read defensively: a file that
// does not parse is reported as missing, never thrown at start-up.
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

export function writeFileAtomic(file: string, data: string, mode = 0o600): void {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  const fd = openSync(tmp, 'w', mode);
  try {
    writeSync(fd, data);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    renameSync(tmp, file);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}

export type JsonRead<T> = { ok: true; value: T } | { ok: false; missing: boolean; reason: string };

/** Parses a JSON file with `parse` (a schema's safeParse, say); never throws. */
export function readJsonFile<T>(file: string, parse: (v: unknown) => T | null): JsonRead<T> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const missing = (e as NodeJS.ErrnoException).code === 'ENOENT';
    return { ok: false, missing, reason: missing ? 'absent' : (e as Error).message };
  }
  try {
    const value = parse(JSON.parse(text));
    return value === null ? { ok: false, missing: false, reason: 'unexpected content' } : { ok: true, value };
  } catch (e) {
    return { ok: false, missing: false, reason: `not valid JSON (${(e as Error).message})` };
  }
}
