// Two relays, one organisation (issue 15): both on one PostgreSQL database, talking over NATS.
// A push on A reaches a client of B; a client that moves to the other relay with its cookie gets
// exactly what it missed; a mutation retried on the other relay is acknowledged and not run
// again; presence crosses relays. Runs on both suites (it makes its own database).
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuidv7 } from 'uuidv7';
import { releaseAttachments } from '../attachmentsGc';
import { startTestRelay, type TestOrg } from '../testing';
import { createTestDatabase, type TestDatabase } from '../store/testDatabase';
import { WsTestClient } from './wsClient';
import { RelayProcess } from '../cluster/test/relayProcess';

const NATS = process.env.PARLEY_TEST_NATS_URL ?? 'nats://127.0.0.1:4222';

describe('two relays on one database', () => {
  let db: TestDatabase;
  let a: TestOrg;
  let b: TestOrg;
  const orgKey = `test-${randomUUID()}`;

  beforeAll(async () => {
    db = await createTestDatabase();
    const on = { databaseUrl: db.url, natsUrl: NATS, orgKey, cluster: { gapMs: 100, pollMs: 500 } };
    a = await startTestRelay(on);
    b = await startTestRelay(on); // finds the organisation A populated
  });
  afterAll(async () => {
    await b?.relay.close();
    await a?.relay.close();
    await db?.drop();
  });

  const as = async (org: TestOrg, name: string, opts = {}) => WsTestClient.synced(org.relay.wsUrl, (await org.login(`${name}@test.parley`)).accessToken, opts);

  it('pokes a client of B with a mutation pushed on A', async () => {
    const onA = await as(a, 'admin');
    const onB = await as(b, 'alice');
    const id = uuidv7();
    const t0 = performance.now();
    const r = await onA.mutate('createContact', { id, name: 'Across', phone: '+447700900901' });
    expect(r.status).toBe('ok');
    await onB.waitFor('poke', () => onB.row('contacts', id) !== undefined);
    console.log(`cluster: a push on relay A reached a client of relay B in ${(performance.now() - t0).toFixed(1)} ms`);
    expect(onB.cookie).toBe(onA.cookie);
    await Promise.all([onA.close(), onB.close()]);
  });

  it('gives a client moving to the other relay exactly what it missed', async () => {
    const alice = await as(a, 'alice');
    const admin = await as(a, 'admin');
    const { cookie, clientId } = alice;
    const rows = new Map(alice.rows);
    await alice.close();
    const missed = uuidv7();
    expect((await admin.mutate('createContact', { id: missed, name: 'Missed', phone: '+447700900902' })).status).toBe('ok');
    const back = await as(b, 'alice', { clientId, cookie, lastMutationId: alice.lastMutationId, rows });
    expect(back.all('reset')).toHaveLength(0);
    const puts = back.all('poke').flatMap((p) => p.puts);
    expect(puts.filter((p) => p.t === 'contacts')).toHaveLength(1);
    expect(back.row('contacts', missed)?.name).toBe('Missed');
    expect(back.cookie).toBe(admin.cookie);
    await Promise.all([back.close(), admin.close()]);
  });

  it('acknowledges a mutation retried on the other relay without running it again', async () => {
    const first = await as(a, 'alice');
    const id = uuidv7();
    const mutation = { id: 1, name: 'createContact', args: { id, name: 'Once', phone: '+447700900903' } };
    first.sendRaw(JSON.stringify({ type: 'push', mutations: [mutation] }));
    await first.waitFor('pushResult', (f) => f.results.some((x) => x.id === 1 && x.status === 'ok'));
    await first.close(); // as if its pushResult had been lost with the connection
    const applied = b.relay.services.engine.stats.applied;
    const duplicates = b.relay.services.engine.stats.duplicates;
    const retry = await as(b, 'alice', { clientId: first.clientId, cookie: null, lastMutationId: 0 });
    retry.sendRaw(JSON.stringify({ type: 'push', mutations: [mutation] }));
    const r = await retry.waitFor('pushResult', (f) => f.results.some((x) => x.id === 1));
    expect(r.results).toEqual([{ id: 1, status: 'ok' }]);
    expect(b.relay.services.engine.stats.applied).toBe(applied);
    expect(b.relay.services.engine.stats.duplicates).toBe(duplicates + 1);
    await retry.close();
  });

  it('serves through B an attachment uploaded through A, and forgets it on both once released', async () => {
    const adminA = await a.login('admin@test.parley');
    const adminB = await b.login('admin@test.parley');
    const aliceB = await b.login('alice@test.parley');
    const bytes = Buffer.from(`\x89PNG across relays ${uuidv7()}`);
    const up = await fetch(`${a.relay.httpUrl}/attachments`, {
      method: 'POST',
      headers: { authorization: `Bearer ${adminA.accessToken}`, 'content-type': 'image/png', 'x-filename': 'across.png' },
      body: bytes,
    });
    expect(up.status).toBe(201);
    const ref = (await up.json()) as { id: string; name: string; mime: string; size: number };
    const get = (relay: TestOrg, token: string) => fetch(`${relay.relay.httpUrl}/attachments/${ref.id}`, { headers: { authorization: `Bearer ${token}` } });
    // the bytes are in the database, not in A's data dir: B serves them
    const fromB = await get(b, adminB.accessToken);
    expect(fromB.status).toBe(200);
    expect(fromB.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await fromB.arrayBuffer()).equals(bytes)).toBe(true);
    expect((await get(b, aliceB.accessToken)).status).toBe(404); // not hers to see yet

    const admin = await as(a, 'admin');
    const chatId = uuidv7();
    expect((await admin.mutate('createChat', { id: chatId, members: [a.admin.id, a.alice.id] })).status).toBe('ok');
    expect((await admin.mutate('sendChatMessage', { id: uuidv7(), chatId, body: 'see this', attachments: [ref] })).status).toBe('ok');
    const seen = await get(b, aliceB.accessToken);
    expect(seen.status).toBe(200);
    expect(Buffer.from(await seen.arrayBuffer()).equals(bytes)).toBe(true);

    expect((await admin.mutate('deleteChat', { chatId })).status).toBe('ok');
    await a.relay.services.effects.idle();
    expect((await get(b, adminB.accessToken)).status).toBe(404);
    expect((await get(a, adminA.accessToken)).status).toBe(404);
    await admin.close();
  });

  it('keeps what B uploads and refuses what B sends while A releases the same file', async () => {
    const adminB = await b.login('admin@test.parley');
    const aliceA = await a.login('alice@test.parley');
    const bytes = Buffer.from(`%PDF-1.4 released on A, used on B ${uuidv7()}`);
    const uploadB = async () => {
      const up = await fetch(`${b.relay.httpUrl}/attachments`, {
        method: 'POST',
        headers: { authorization: `Bearer ${adminB.accessToken}`, 'content-type': 'application/pdf', 'x-filename': 'both.pdf' },
        body: bytes,
      });
      expect(up.status).toBe(201);
      return (await up.json()) as { id: string; name: string; mime: string; size: number };
    };
    const ref = await uploadB();
    const admin = await as(b, 'admin');
    const chatId = uuidv7();
    expect((await admin.mutate('createChat', { id: chatId, members: [b.admin.id, b.alice.id] })).status).toBe('ok');
    const { store, dataDir } = a.relay.services;
    // A's GC deleted the row (and, on PostgreSQL, the bytes with it); B sends the file uploaded
    // before, then uploads it again and sends it
    let refused: Awaited<ReturnType<typeof admin.mutate>> | undefined;
    await releaseAttachments(store, dataDir, [ref.id], {
      afterRowDelete: async () => {
        refused = await admin.mutate('sendChatMessage', { id: uuidv7(), chatId, body: 'too late', attachments: [ref] });
        await uploadB();
        expect((await admin.mutate('sendChatMessage', { id: uuidv7(), chatId, body: 'again', attachments: [ref] })).status).toBe('ok');
      },
    });
    expect(refused).toMatchObject({ status: 'rejected', code: 'not_found' });
    const got = await fetch(`${a.relay.httpUrl}/attachments/${ref.id}`, { headers: { authorization: `Bearer ${aliceA.accessToken}` } });
    expect(got.status).toBe(200);
    expect(Buffer.from(await got.arrayBuffer()).equals(bytes)).toBe(true);
    await admin.close();
  });

  it('shows a user online on A to a client of B', async () => {
    const onB = await as(b, 'admin');
    const bob = await as(a, 'bob');
    await onB.waitFor('presence', (f) => f.users.some((u) => u.userId === a.bob.id));
    await Promise.all([bob.close(), onB.close()]);
  });
});

describe('a relay started as one of several (the CLI)', () => {
  it('refuses to start without PARLEY_SECRET_KEY, and says why', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'parley-nokey-'));
    try {
      const start = RelayProcess.start({ dataDir: dir, databaseUrl: 'postgres://postgres@127.0.0.1:5432/none', natsUrl: NATS, orgKey: `test-${randomUUID()}`, env: { PARLEY_SECRET_KEY: '' } });
      await expect(start).rejects.toThrow(/several relays \(NATS_URL\) need the same PARLEY_SECRET_KEY/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
