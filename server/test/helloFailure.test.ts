// A hello the relay could not handle (its SQLite database held by another process past the busy
// timeout) closes the socket with 1011, so the client reconnects with backoff rather than waiting
// for a welcome that never comes; the next hello, once the database is free, is welcomed.
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqliteStore } from '../store/sqlite';
import { startTestRelay, type TestOrg } from '../testing';
import { WsTestClient } from './wsClient';

let org: TestOrg;
beforeAll(async () => {
  org = await startTestRelay();
});
afterAll(async () => {
  await org.relay.close();
});

describe('a hello the relay could not handle', () => {
  it('closes the socket (1011) and the next hello is welcomed', async (ctx) => {
    const store = org.relay.services.store;
    if (!(store instanceof SqliteStore)) return ctx.skip(); // the lock is SQLite's own
    const token = (await org.login(org.alice.email)).accessToken;
    store.sqlite.pragma('busy_timeout = 50');
    const other = new Database(join(org.relay.services.dataDir, 'relay.sqlite'));
    try {
      other.exec('BEGIN IMMEDIATE');
      // a new client: its hello registers it, a write the held lock refuses
      const c = await WsTestClient.connect(org.relay.wsUrl, token);
      const closed = await c.waitForClose();
      expect(closed.code).toBe(1011);
      expect(c.all('welcome')).toHaveLength(0);
      expect(c.all('error').map((f) => f.code)).toEqual(['internal']);
      other.exec('COMMIT');
      const again = await WsTestClient.synced(org.relay.wsUrl, token, { clientId: c.clientId });
      expect(again.all('welcome')).toHaveLength(1);
      await again.close();
    } finally {
      if (other.inTransaction) other.exec('ROLLBACK');
      other.close();
      store.sqlite.pragma('busy_timeout = 5000');
    }
  });
});
