// Once a provider said yes, the relay never calls it again for that job (both stores,
// PARLEY_TEST_STORE=postgres): a result the database cannot take yet (a real write failure, here a
// trigger on `jobs`, not a refusal by the mutator) is recorded once the failure clears, the
// provider called once; a job claimed again after its relay died mid-send fails its message with
// a sentence instead of sending it a second time.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { uuidv7 } from 'uuidv7';
import { dropTestDatabase, startTestRelay, testStore, type TestOrg } from '../testing';
import type { ChannelProvider, OutboundMessage } from '../providers/types';
import type { RelayStore } from '../store/types';
import { SqliteStore } from '../store/sqlite';
import { SYSTEM_ACTOR } from '../sync/engine';
import { MAY_HAVE_BEEN_SENT } from '../effects/runner';
import { afterCommits, registryOf } from './helpers';

/** A queued outbound SMS to a contact who wrote first; resolves to its id. */
async function queueSend(o: TestOrg, body: string): Promise<string> {
  const engine = o.relay.services.engine;
  await engine.runAs(SYSTEM_ACTOR, 'receiveInbound', { groupId: o.groups.sales.id, channel: 'sms', from: '+447700900777', body: 'hello' });
  const conv = (await engine.store.rows.find('conversations', {}))[0];
  if (!conv) throw new Error('no conversation');
  const id = uuidv7();
  await engine.runAs({ userId: o.alice.id, role: 'agent' }, 'sendMessage', { id, conversationId: conv.id, contactId: conv.contactId, groupId: conv.groupId, channel: 'sms', body });
  return id;
}

/**
 * While `fail_finish` holds a row, the database refuses to delete a job (so neither the result's
 * transaction, which finishes the job, nor finishing the job alone can commit). Real SQL on the
 * relay's own database, not a stand-in for one of our components.
 */
async function failFinishingJobs(store: RelayStore): Promise<void> {
  await store.run('CREATE TABLE fail_finish (id integer PRIMARY KEY)');
  if (store instanceof SqliteStore) {
    store.sqlite.exec("CREATE TRIGGER fail_finish BEFORE DELETE ON jobs WHEN EXISTS (SELECT 1 FROM fail_finish) BEGIN SELECT RAISE(ABORT, 'injected: the database cannot take this write'); END");
  } else {
    await store.run(
      "CREATE FUNCTION fail_finish() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF EXISTS (SELECT 1 FROM fail_finish) THEN RAISE EXCEPTION 'injected: the database cannot take this write'; END IF; RETURN OLD; END $$",
    );
    await store.run('CREATE TRIGGER fail_finish BEFORE DELETE ON jobs FOR EACH ROW EXECUTE FUNCTION fail_finish()');
  }
  await store.run('INSERT INTO fail_finish (id) VALUES (1)');
}

describe(`a provider's answer that cannot be recorded at once (${testStore})`, () => {
  it('is recorded once the database takes writes again; the provider is called once', async () => {
    const calls: OutboundMessage[] = [];
    const provider: ChannelProvider = { kind: 'twilio', send: async (m) => (calls.push(m), { ok: true, providerMessageId: `SM-${m.messageId}` }) };
    const leaseMs = 300;
    // the failure lasts over two lease lengths: a job left to its lease would be claimed and sent again
    let firstFailure = 0;
    let failing: () => void = () => undefined;
    const failedLongEnough = new Promise<void>((r) => (failing = r));
    const log = (msg: string): void => {
      if (!msg.includes('updateDeliveryStatus')) return;
      firstFailure ||= Date.now();
      if (Date.now() - firstFailure > 2 * leaseMs) failing();
    };
    const o = await startTestRelay({ providers: registryOf(provider), effects: { leaseMs, pollMs: 50, recordRetryMs: [50] }, log });
    try {
      const store = o.relay.services.store;
      await failFinishingJobs(store);
      const id = await queueSend(o, 'sent once');
      await failedLongEnough;
      expect((await store.rows.get('messages', id))?.status).toBe('queued');
      await store.run('DELETE FROM fail_finish');
      // the message recorded, or its job gone without it (the result lost)
      const settled = async () => (await store.rows.get('messages', id))?.status !== 'queued' || (await store.get<{ n: number }>('SELECT count(*) AS n FROM jobs'))?.n === 0;
      await new Promise<void>((resolve, reject) => {
        const look = () => void settled().then((ok) => ok && resolve(), reject);
        o.relay.services.engine.onCommit(look);
        o.relay.services.effects.onJobEnd(look);
        look();
      });
      await o.relay.services.effects.idle();
      expect(calls.map((m) => m.messageId)).toEqual([id]);
      expect(await store.rows.get('messages', id)).toMatchObject({ status: 'sent', providerMessageId: `SM-${id}` });
      expect(await store.get<{ n: number }>('SELECT count(*) AS n FROM jobs')).toEqual({ n: 0 });
      expect(o.relay.services.effects.stats.recordRetries).toBeGreaterThan(0);
    } finally {
      await o.relay.close();
    }
  });
});

describe(`a send whose relay died before its answer was recorded (${testStore})`, () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'parley-effects-recording-'));
  afterAll(async () => {
    await dropTestDatabase(dataDir);
    rmSync(dataDir, { recursive: true, force: true, maxRetries: 5 });
  });

  it('is not sent again: the message fails with a sentence for the agent', async () => {
    let called: () => void = () => undefined;
    const inFlight = new Promise<void>((r) => (called = r));
    // the first relay's provider takes the message and never answers: the relay dies mid-call
    const stuck: ChannelProvider = { kind: 'twilio', send: () => (called(), new Promise(() => undefined)) };
    const leaseMs = 300;
    const a = await startTestRelay({ dataDir, providers: registryOf(stuck), effects: { leaseMs }, log: () => undefined });
    const id = await queueSend(a, 'maybe sent');
    await inFlight;
    await a.relay.close();

    const calls: OutboundMessage[] = [];
    const working: ChannelProvider = { kind: 'twilio', send: async (m) => (calls.push(m), { ok: true, providerMessageId: `SM-${m.messageId}` }) };
    // SQLite frees the dead relay's leases at start; PostgreSQL waits for the lease to end
    const b = await startTestRelay({ dataDir, providers: registryOf(working), effects: { leaseMs, pollMs: 50 }, log: () => undefined });
    try {
      const store = b.relay.services.store;
      await afterCommits(b.relay.services.engine, async () => (await store.rows.get('messages', id))?.status !== 'queued');
      await b.relay.services.effects.idle();
      expect(calls).toEqual([]);
      expect(await store.rows.get('messages', id)).toMatchObject({ status: 'failed', failureReason: MAY_HAVE_BEEN_SENT });
      expect(await store.get<{ n: number }>('SELECT count(*) AS n FROM jobs')).toEqual({ n: 0 });
    } finally {
      await b.relay.close();
    }
  });
});
