// Crash-safe local files: every file the core writes is replaced atomically, and whatever a
// crash or a bad disk leaves behind reads as "signed out, here is why" — never a crash, never
// a half signed-in state. The replica opens before a session counts as signed in.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, readdirSync, truncateSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { z } from 'zod';
import { startTestRelay, type TestOrg } from '../../../server/testing';
import { readJsonFile, writeFileAtomic } from '../fs/atomicFile';
import { newCore, settled, type TestCore } from './harness';
import { tempDir } from './helpers';

let org: TestOrg;
beforeAll(async () => {
  org = await startTestRelay();
});
afterAll(async () => {
  await org.relay.close();
});

const signIn = (c: TestCore) => c.command('signIn', { relayUrl: org.relay.httpUrl, email: 'alice@test.parley', password: org.password });

/** A core signed in once and closed: its data dir holds session.json, secrets.json and a replica. */
async function signedInDir(): Promise<string> {
  const c = newCore();
  await signIn(c);
  await settled(c);
  await c.close();
  return c.dataDir;
}

/** Deterministic "random" cut points: 0, 1, a few inside, one short of the end. */
function cutPoints(size: number, seed: number): number[] {
  const pts = new Set([0, 1, size - 1, Math.floor(size / 2)]);
  let x = seed;
  for (let i = 0; i < 4; i++) {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    pts.add(x % size);
  }
  return [...pts].filter((p) => p >= 0 && p < size).sort((a, b) => a - b);
}

describe('atomic writes', () => {
  it('replaces the file whole and leaves no temporary file', () => {
    const dir = tempDir();
    const path = join(dir, 'settings.json');
    writeFileAtomic(path, JSON.stringify({ a: 1 }));
    writeFileAtomic(path, JSON.stringify({ a: 2, b: 'x'.repeat(10_000) }));
    expect(readJsonFile(path, z.object({ a: z.number() }))).toMatchObject({ kind: 'ok', value: { a: 2 } });
    expect(readdirSync(dir)).toEqual(['settings.json']);
  });

  it('tells a missing file from a damaged one', () => {
    const dir = tempDir();
    const schema = z.object({ a: z.number() });
    expect(readJsonFile(join(dir, 'none.json'), schema)).toEqual({ kind: 'missing' });
    writeFileSync(join(dir, 'empty.json'), '');
    expect(readJsonFile(join(dir, 'empty.json'), schema)).toEqual({ kind: 'corrupt', reason: 'is empty' });
    writeFileSync(join(dir, 'half.json'), '{"a": 1');
    expect(readJsonFile(join(dir, 'half.json'), schema)).toEqual({ kind: 'corrupt', reason: 'is damaged (not valid JSON)' });
    writeFileSync(join(dir, 'odd.json'), '{"a": "one"}');
    expect(readJsonFile(join(dir, 'odd.json'), schema)).toEqual({ kind: 'corrupt', reason: 'has unexpected contents' });
  });
});

describe('a damaged local file means signed out, with the reason', () => {
  for (const file of ['session.json', 'secrets.json']) {
    it(`${file} truncated at any point: the app starts signed out (or resumes) and can sign in again`, async () => {
      const dir = await signedInDir();
      const original = readFileSync(join(dir, file));
      const saved = ['session.json', 'secrets.json'].map((f) => [f, readFileSync(join(dir, f))] as const);
      let signedOutCount = 0;
      for (const cut of cutPoints(original.length, original.length)) {
        for (const [f, bytes] of saved) writeFileSync(join(dir, f), bytes);
        truncateSync(join(dir, file), cut);
        const c = newCore(dir);
        await c.start();
        try {
          const session = await c.query('session', {});
          const status = await c.query('syncStatus', {});
          // never half signed in: a session means its replica answers queries
          expect(session).toBeNull();
          expect(status.state).toBe('signedOut');
          expect(status.error).toMatch(/^You were signed out because .+\. Sign in again/);
          await expect(c.query('inbox', { view: 'team' })).rejects.toMatchObject({ code: 'signed_out' });
          signedOutCount++;
        } finally {
          await c.close();
        }
      }
      expect(signedOutCount).toBeGreaterThan(3);
      // and the user simply signs in again: the replica (with its outbox) is still there
      const again = newCore(dir);
      await signIn(again);
      await settled(again);
      expect((await again.query('syncStatus', {})).error).toBeNull();
      await again.close();
      // which writes both files back whole
      const c = newCore(dir);
      await c.start();
      expect(await c.query('session', {})).toMatchObject({ email: 'alice@test.parley' });
      await c.close();
    });
  }

  it('a damaged replica is set aside (never deleted) and fetched again', async () => {
    const dir = await signedInDir();
    const replicas = join(dir, 'replicas');
    const [file] = readdirSync(replicas).filter((f) => f.endsWith('.sqlite'));
    writeFileSync(join(replicas, file!), Buffer.alloc(8192, 7)); // not a database any more
    const c = newCore(dir);
    await c.start();
    try {
      expect(await c.query('session', {})).toMatchObject({ email: 'alice@test.parley' });
      await settled(c);
      expect((await c.query('syncStatus', {})).error).toMatch(/was damaged\. It was set aside/);
      expect(readdirSync(replicas).some((f) => f.includes('.damaged-'))).toBe(true);
      expect(c.impl.current?.replica.store.get('users', org.alice.id)).toMatchObject({ email: 'alice@test.parley' }); // fetched again
    } finally {
      await c.close();
    }
  });

  it('a replica upgraded by a newer Parley keeps the user signed out, saying why, and refuses sign-in', async () => {
    const dir = await signedInDir();
    const replicas = join(dir, 'replicas');
    const [file] = readdirSync(replicas).filter((f) => f.endsWith('.sqlite'));
    const db = new Database(join(replicas, file!));
    db.prepare('INSERT INTO __drizzle_migrations (hash, created_at) VALUES (?, ?)').run('0'.repeat(64), Date.now() + 60_000);
    db.close();
    const c = newCore(dir);
    await c.start();
    try {
      expect(await c.query('session', {})).toBeNull();
      expect((await c.query('syncStatus', {})).error).toMatch(/upgraded by a newer Parley/);
      await expect(signIn(c)).rejects.toMatchObject({ code: 'replica_unavailable', message: expect.stringMatching(/newer Parley/) as unknown });
      expect(await c.query('session', {})).toBeNull();
      expect(existsSync(join(replicas, file!))).toBe(true); // nothing deleted
    } finally {
      await c.close();
    }
  });
});
