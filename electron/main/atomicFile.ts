// Small files of the main process (window state, secrets, settings) written so that a
// crash or a power cut leaves either the old file or the new one, never half of one; read
// defensively: a file that does not parse is reported with the reason, never thrown at
// start-up.
import { readJson } from '../core/fs/atomicFile';

// The core's crash-safe writer (temp file, fsync, rename, folder fsync) and reader: one implementation.
export { writeFileAtomic } from '../core/fs/atomicFile';

export type JsonRead<T> = { ok: true; value: T } | { ok: false; missing: boolean; reason: string };

/** Parses a JSON file with `parse` (a schema's safeParse, say); never throws. */
export function readJsonFile<T>(file: string, parse: (v: unknown) => T | null): JsonRead<T> {
  const r = readJson(file);
  if (r.kind === 'missing') return { ok: false, missing: true, reason: 'absent' };
  if (r.kind === 'corrupt') return { ok: false, missing: false, reason: r.reason };
  try {
    const value = parse(r.value);
    return value === null ? { ok: false, missing: false, reason: 'unexpected content' } : { ok: true, value };
  } catch (e) {
    return { ok: false, missing: false, reason: `unexpected content (${(e as Error).message})` };
  }
}
