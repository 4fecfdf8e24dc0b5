// An acknowledged mutation survives the relay being killed (SIGKILL) and restarted.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, describe, expect, it } from 'vitest';
import { uuidv7 } from 'uuidv7';
import { login, TEST_PASSWORD } from '../testing';
import { WsTestClient } from './wsClient';

const dataDir = mkdtempSync(join(tmpdir(), 'parley-durable-'));
const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true, maxRetries: 5 });
});

function spawnRelay(): Promise<{ child: ChildProcess; httpUrl: string; wsUrl: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'fixtures', 'childRelay.ts'), dataDir], { stdio: ['ignore', 'pipe', 'inherit'] });
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
