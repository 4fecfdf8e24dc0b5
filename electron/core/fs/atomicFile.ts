// Local files that survive a crash or power loss mid-write: written to a temporary file
// beside the target, fsynced, renamed over it (atomic on every platform Node supports), and
// the folder fsynced so the rename itself is durable. Readers never see half a file.
// Read defensively: a missing file and a damaged one are different answers, never a throw.
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';
import type { z } from 'zod';

export function writeFileAtomic(path: string, data: string | Uint8Array, mode = 0o600): void {
  const dir = dirname(path);
  mkdirSync(dir, { recursive: true });
  const tmp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const fd = openSync(tmp, 'w', mode);
  try {
    const buf = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    let off = 0;
    while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off);
    fsyncSync(fd);
  } catch (e) {
    closeSync(fd);
    rmSync(tmp, { force: true });
    throw e;
  }
  closeSync(fd);
  try {
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
  syncDir(dir);
}

/** fsync a folder so a rename in it is on disk (a no-op where folders cannot be opened: Windows). */
function syncDir(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    /* Windows: directories cannot be fsynced; NTFS journals the rename */
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

export type JsonRead<T> = { kind: 'ok'; value: T } | { kind: 'missing' } | { kind: 'corrupt'; reason: string };

/** Reads a JSON file: a damaged one is `corrupt` with the reason, never an exception. */
export function readJson(path: string): JsonRead<unknown> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'missing' };
    return { kind: 'corrupt', reason: `could not be read (${(e as NodeJS.ErrnoException).code ?? 'error'})` };
  }
  try {
    return { kind: 'ok', value: JSON.parse(text) as unknown };
  } catch {
    return { kind: 'corrupt', reason: text.length === 0 ? 'is empty' : 'is damaged (not valid JSON)' };
  }
}

/** Reads and validates a JSON file: a damaged or unexpected file is `corrupt`, never an exception. */
export function readJsonFile<T>(path: string, schema: z.ZodType<T>): JsonRead<T> {
  const r = readJson(path);
  if (r.kind !== 'ok') return r;
  const parsed = schema.safeParse(r.value);
  if (!parsed.success) return { kind: 'corrupt', reason: 'has unexpected contents' };
  return { kind: 'ok', value: parsed.data };
}
