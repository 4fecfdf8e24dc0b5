// Integration harness: cores against a real relay, and waiting for quiescence.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { QueryArgs, QueryName } from '../../../shared/bridge';
import { checkQueryResult } from '../../../shared/bridgeResults';
import { createCore, FileSecretStore, type Core } from '../index';
import type { CoreImpl } from '../core';
import { tempDir } from './helpers';

export type TestCore = Core & { readonly impl: CoreImpl; dataDir: string };

/** A core whose every query result is checked against the contract's result schemas (shared/bridgeResults.ts). */
export function newCore(dataDir = tempDir()): TestCore {
  const core = createCore({ dataDir, secretStore: new FileSecretStore(join(dataDir, 'secrets.json')), pingIntervalMs: 2000 });
  const query = core.query.bind(core);
  core.query = async <K extends QueryName>(name: K, args: QueryArgs<K>) => checkQueryResult(name, await query(name, args));
  return Object.assign(core, { dataDir });
}

export async function waitFor(cond: () => boolean | Promise<boolean>, what: string, timeoutMs = 15_000): Promise<void> {
  const start = Date.now();
  for (;;) {
    if (await cond()) return;
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Online with an empty outbox and nothing in flight. */
export async function settled(core: TestCore, timeoutMs = 20_000): Promise<void> {
  await waitFor(async () => {
    const s = await core.query('syncStatus', {});
    return s.state === 'online' && s.pending === 0;
  }, 'core to settle', timeoutMs);
}

export async function signIn(core: TestCore, relayUrl: string, email: string, password: string): Promise<void> {
  await core.command('signIn', { relayUrl, email, password });
  await settled(core);
}

/** The replica files (database and WAL) of a core's data dir holding `needle`: scrub checks. */
export function filesHolding(dataDir: string, needle: string): string[] {
  const dir = join(dataDir, 'replicas');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.sqlite') || f.endsWith('.sqlite-wal'))
    .map((f) => join(dir, f))
    .filter((f) => existsSync(f) && readFileSync(f).includes(needle));
}
