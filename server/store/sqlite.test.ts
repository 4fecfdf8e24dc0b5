// The SQLite implementation of the relay's storage seam: serialized writes, savepoints inside
// `sync`, readers that never see a write in progress (the contract shared with PostgreSQL,
// storeContract.ts).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { SqliteStore } from './sqlite';
import { storeContract } from './storeContract';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await (cleanups.pop() as () => Promise<void>)();
});

storeContract('SqliteStore', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'parley-store-'));
  const store = SqliteStore.open(dir);
  cleanups.push(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return store;
});
