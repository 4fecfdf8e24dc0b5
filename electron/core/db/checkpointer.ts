// WAL checkpoints off the main thread: a worker with its own connection runs PASSIVE
// checkpoints (which never block the writer), so the copy and fsync of a checkpoint do
// not stall the event loop that serves the UI. Falls back to SQLite's automatic
// checkpoints when a worker cannot load better-sqlite3 (the caller keeps them on).
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

const workerSource = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.sqlite);
const db = new Database(workerData.path, { fileMustExist: true });
let failures = 0;
const checkpoint = () => {
  try {
    const [r] = db.pragma('wal_checkpoint(PASSIVE)');
    failures = 0;
    const complete = !!r && r.log > 0 && r.log === r.checkpointed;
    if (complete) parentPort.postMessage('complete');
    return complete;
  }
  catch { if (++failures === 3) parentPort.postMessage('failing'); return false; }
};
const timer = setInterval(checkpoint, workerData.everyMs);
parentPort.postMessage('ready');
parentPort.on('message', (m) => {
  if (m === 'now') return parentPort.postMessage(checkpoint() ? 'now:complete' : 'now:partial');
  if (m !== 'close') return;
  clearInterval(timer);
  checkpoint();
  db.close();
  parentPort.close();
});
`;

export function sqliteModulePath(): string | null {
  try {
    // CommonJS bundles (Electron main) have __filename; ES modules (tsx, vitest) have import.meta.url
    const from = typeof __filename === 'string' ? __filename : import.meta.url;
    return createRequire(from).resolve('better-sqlite3');
  } catch {
    return null;
  }
}

export class Checkpointer {
  private constructor(private readonly worker: Worker) {}

  /** Called when checkpoints keep failing in the worker: the owner turns automatic ones back on. */
  onFailing(fn: () => void): void {
    this.worker.on('message', (m) => {
      if (m === 'failing') fn();
    });
  }

  /** Called after each checkpoint that copied the whole WAL into the database (tests wait on it). */
  onComplete(fn: () => void): () => void {
    const l = (m: unknown) => {
      if (m === 'complete') fn();
    };
    this.worker.on('message', l);
    return () => this.worker.off('message', l);
  }

  /** Starts the worker; null when it cannot run here (then keep automatic checkpoints). */
  static async start(path: string, everyMs = 1000): Promise<Checkpointer | null> {
    if (process.env.PARLEY_NO_CHECKPOINT_WORKER) return null;
    const sqlite = sqliteModulePath();
    if (!sqlite) return null;
    try {
      const worker = new Worker(workerSource, { eval: true, workerData: { sqlite, path, everyMs } });
      const ok = await new Promise<boolean>((resolve) => {
        worker.once('message', () => resolve(true));
        worker.once('error', () => resolve(false));
        worker.once('exit', () => resolve(false));
      });
      if (!ok) {
        void worker.terminate();
        return null;
      }
      worker.on('error', () => undefined);
      worker.unref();
      return new Checkpointer(worker);
    } catch {
      return null;
    }
  }

  /** One checkpoint now (off this thread); true when it copied the whole WAL. */
  checkpointNow(): Promise<boolean> {
    return new Promise((resolve) => {
      const l = (m: unknown) => {
        if (m !== 'now:complete' && m !== 'now:partial') return;
        this.worker.off('message', l);
        this.worker.off('exit', gone);
        resolve(m === 'now:complete');
      };
      const gone = () => {
        this.worker.off('message', l);
        resolve(false);
      };
      this.worker.on('message', l);
      this.worker.once('exit', gone);
      this.worker.postMessage('now');
    });
  }

  /** Asks the worker to checkpoint once more and close its connection; resolves when it has exited. */
  close(): Promise<void> {
    const exited = new Promise<void>((resolve) => this.worker.once('exit', () => resolve()));
    this.worker.ref(); // the worker is unref'd while it runs: keep the process alive until it has closed its connection
    this.worker.postMessage('close');
    return exited;
  }
}
