// A chat created and written to right at sign-in reaches the relay: before the welcome, while a
// multi-part catch-up (3,000 seeded rows) is being applied in chunks, and just after online.
// Hunts a suspected stall of the first push (e2e 'an admin reads a chat they are not in').
import type { SqliteStore } from '../../../server/store/sqlite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { uuidv7 } from 'uuidv7';
import { startTestRelay, type TestOrg } from '../../../server/testing';
import { newCore, waitFor, type TestCore } from './harness';

let org: TestOrg;
beforeAll(async () => {
  org = await startTestRelay();
  const admin = { userId: org.admin.id, role: 'admin' as const };
  for (let i = 0; i < 3000; i++) {
    const n = String(i).padStart(4, '0');
    await org.relay.services.engine.runAs(admin, 'createContact', { id: uuidv7(), name: `Seeded ${n}`, phone: `+447911${100000 + i}` });
  }
}, 60_000);
afterAll(async () => {
  await org.relay.close();
});

type When = 'atSignIn' | 'midCatchUp' | 'online';

async function writeChat(alice: TestCore): Promise<string> {
  const chatId = uuidv7();
  const messageId = uuidv7();
  const made = await alice.mutate('createChat', { id: chatId, members: [org.alice.id, org.bob.id, org.admin.id] });
  expect(made).toMatchObject({ ok: true });
  expect((await alice.mutate('sendChatMessage', { id: messageId, chatId, body: 'Lunch at one?' })).ok).toBe(true);
  return messageId;
}

async function oneRound(when: When): Promise<void> {
  const alice = newCore();
  try {
    await alice.command('signIn', { relayUrl: org.relay.httpUrl, email: 'alice@test.parley', password: org.password });
    const written: string[] = [];
    if (when === 'atSignIn') {
      // at once, before the catch-up has brought the user's own row: the core waits for it
      // instead of refusing ("account not found")
      written.push(await writeChat(alice));
    }
    if (when === 'midCatchUp') {
      // as soon as the replica knows its user (a local write can run), usually well before the
      // 3,000-row catch-up has been applied: the mutation lands between chunks
      await waitFor(() => alice.impl.current?.replica.store.get('users', org.alice.id) !== undefined, 'own user row', 30_000);
      written.push(await writeChat(alice));
    }
    await waitFor(async () => (await alice.query('syncStatus', {})).state === 'online', 'online', 30_000);
    written.push(await writeChat(alice)); // and once more right after online
    const store = org.relay.services.engine.store.rows;
    await waitFor(async () => (await Promise.all(written.map((id) => store.get('chatMessages', id)))).every((r) => r !== undefined), `chat messages at the relay (${when})`, 30_000);
    await waitFor(async () => (await alice.query('syncStatus', {})).pending === 0, `pending drops to 0 (${when})`, 30_000);
  } finally {
    await alice.close();
    rmSync(alice.dataDir, { recursive: true, force: true, maxRetries: 5 });
  }
}

describe('the first pushes after sign-in', () => {
  for (const when of ['atSignIn', 'midCatchUp', 'online'] as const) {
    it(`reach the relay when written ${when}, with fresh cores`, async () => {
      for (let i = 0; i < 6; i++) await oneRound(when);
    }, 60_000);
  }
});

describe('a push the relay could not answer', () => {
  it('is pushed again once the relay can write, instead of staying in flight for good', async () => {
    const alice = newCore();
    const relayDb = (org.relay.services.store as SqliteStore).sqlite;
    relayDb.pragma('busy_timeout = 50');
    // another process (a backup, the sqlite shell) holds the relay database's write lock
    const other = new Database(join(org.relay.services.dataDir, 'relay.sqlite'));
    try {
      await alice.command('signIn', { relayUrl: org.relay.httpUrl, email: 'alice@test.parley', password: org.password });
      await waitFor(async () => (await alice.query('syncStatus', {})).state === 'online', 'online', 30_000);
      other.exec('BEGIN IMMEDIATE');
      const first = await writeChat(alice);
      // the relay failed the push (an internal error frame, no pushResult)
      await waitFor(() => alice.impl.current?.sync.lastError?.includes('internal') === true || alice.impl.current?.sync.state !== 'online', 'the relay to fail the push', 30_000);
      other.exec('COMMIT');
      const second = await writeChat(alice);
      const store = org.relay.services.engine.store.rows;
      await waitFor(async () => (await Promise.all([first, second].map((id) => store.get('chatMessages', id)))).every((r) => r !== undefined), 'chat messages at the relay', 30_000);
      await waitFor(async () => (await alice.query('syncStatus', {})).pending === 0, 'pending drops to 0', 30_000);
    } finally {
      if (other.inTransaction) other.exec('ROLLBACK');
      other.close();
      relayDb.pragma('busy_timeout = 5000');
      await alice.close();
      rmSync(alice.dataDir, { recursive: true, force: true, maxRetries: 5 });
    }
  }, 30_000);
});
