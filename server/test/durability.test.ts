// An acknowledged mutation survives the relay being killed (SIGKILL) and restarted.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, describe, expect, it } from 'vitest';
import { uuidv7 } from 'uuidv7';
import { dropTestDatabase, login, TEST_PASSWORD, testDatabaseUrl } from '../testing';
import { WsTestClient } from './wsClient';

const dataDir = mkdtempSync(join(tmpdir(), 'parley-durable-'));
const children: ChildProcess[] = [];
afterAll(async () => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  const running = children.filter((c) => c.exitCode === null && c.signalCode === null);
  await Promise.all(running.map((c) => new Promise((res) => c.once('exit', res))));
  await dropTestDatabase(dataDir);
  rmSync(dataDir, { recursive: true, force: true, maxRetries: 5 });
});

async function spawnRelay(): Promise<{ child: ChildProcess; httpUrl: string; wsUrl: string }> {
  // on PostgreSQL both children use the one database of this data dir (made here, in the test)
  const databaseUrl = await testDatabaseUrl(dataDir);
  // the child is a plain process, not a vitest worker (testing.ts registers hooks in workers only)
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('VITEST')));
  const args = ['--import', 'tsx', join(import.meta.dirname, 'fixtures', 'childRelay.ts'), dataDir, ...(databaseUrl ? [databaseUrl] : [])];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'], env });
  children.push(child);
  return new Promise((resolve, reject) => {
    const rl = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    rl.once('line', (line) => resolve({ child, ...(JSON.parse(line) as { httpUrl: string; wsUrl: string }) }));
    child.once('exit', (code) => reject(new Error(`relay exited ${code}`)));
  });
}

describe('durability', () => {
  it('keeps an acknowledged mutation across SIGKILL', async () => {
    const first = await spawnRelay();
    const s = await login(first.httpUrl, 'admin@test.parley', TEST_PASSWORD);
    const c = await WsTestClient.synced(first.wsUrl, s.accessToken);
    const id = uuidv7();
    const r = await c.mutate('createContact', { id, name: 'Durable', phone: '+447700900777' });
    expect(r.status).toBe('ok');
    first.child.kill('SIGKILL');
    await new Promise((res) => first.child.once('exit', res));

    const second = await spawnRelay();
    const s2 = await login(second.httpUrl, 'admin@test.parley', TEST_PASSWORD);
    const again = await WsTestClient.synced(second.wsUrl, s2.accessToken, { clientId: c.clientId, lastMutationId: 1 });
    expect(again.row('contacts', id)?.name).toBe('Durable');
    expect(again.all('welcome')[0]?.lastMutationId).toBe(1);
    await again.close();
    second.child.kill('SIGKILL');
  });
});
