// Deferred secondary indexes (see Replica.deferIndexes) are built off the main thread: a worker
// with its own connection runs each stored CREATE INDEX, and removes its row, in one write
// transaction, so sorting a million keys does not stall the event loop that serves the UI.
// The caller writes nothing meanwhile (the worker holds the write lock while it builds).
import { Worker } from 'node:worker_threads';
import { sqliteModulePath } from './checkpointer';

const workerSource = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.sqlite);
const db = new Database(workerData.path, { fileMustExist: true, timeout: 10000 });
try {
  // the sorter's memory follows the cache size (better-sqlite3's default is 16 MB): 2 MB, it spills
  // sorted runs to a temporary file past that and merges them, so the replica's RSS stays put
  db.pragma('cache_size = -2000');
  const tables = workerData.tables;
  const rows = db.prepare('SELECT name, sql FROM deferred_indexes ORDER BY rowid').all()
    .filter((r) => !tables || tables.some((t) => r.name.startsWith(t + ':')));
  const drop = db.prepare('DELETE FROM deferred_indexes WHERE name = ?');
  for (const r of rows) db.transaction(() => { db.exec(r.sql); drop.run(r.name); }).immediate();
  parentPort.postMessage({ ok: true });
} catch (e) {
  parentPort.postMessage({ ok: false, error: String(e && e.message) });
} finally {
  db.close();
}
`;

/**
 * Builds every index in deferred_indexes of the database at `path` (those of `tables` only, when
 * given: entries are named `<table>:<name>`) in a worker thread, with the other statements
 * deferred with them (triggers, text index rebuilds). Resolves true when they are built, false
 * when the worker could not run here or failed (the caller then builds what is left on its own
 * connection).
 */
export function buildDeferredIndexes(path: string, tables?: readonly string[]): Promise<boolean> {
  const sqlite = sqliteModulePath();
  if (!sqlite || process.env.PARLEY_NO_INDEX_WORKER) return Promise.resolve(false);
  return new Promise((resolve) => {
    let worker: Worker;
    try {
      worker = new Worker(workerSource, { eval: true, workerData: { sqlite, path, tables: tables ? [...tables] : null } });
    } catch {
      resolve(false);
      return;
    }
    let ok = false;
    worker.once('message', (m: { ok: boolean }) => (ok = m.ok));
    worker.once('error', () => undefined);
    worker.once('exit', () => resolve(ok));
  });
}
