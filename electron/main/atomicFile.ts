// Small files of the main process (window state, secrets, settings) written so that a
// crash or a power cut leaves either the old file or the new one, never half of one; read
// defensively: a file that does not parse is reported with the reason, never thrown at
// start-up.
import { readFileSync } from 'node:fs';

// The core's crash-safe writer (temp file, fsync, rename, folder fsync): one implementation.
export { writeFileAtomic } from '../core/fs/atomicFile';

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
