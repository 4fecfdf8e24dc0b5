// Upgrading a relay database to the jobs table (SQLite migration 0010, PostgreSQL 0004): a
// database as the release before left it — no jobs table, a payment link's retry schedule in
// `meta`, an outbound message still queued — migrates in place at start, and the unfinished work
// is adopted as jobs once: the message is sent, the link retried on its schedule, nothing twice.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { uuidv7 } from 'uuidv7';
import { appliedMigrations, shippedMigrations } from '../../drizzle/migrations';
import { SqliteStore } from '../store/sqlite';
import { appliedPgMigrations, pgMigrationsFolder } from '../store/pgMigrate';
import { SYSTEM_ACTOR } from '../sync/engine';
import type { ChannelProvider, OutboundMessage, ProviderRegistry } from '../providers/types';
import { dropTestDatabase, startTestRelay, testDatabaseUrl, testStore } from '../testing';
import { afterCommits } from './helpers';

const dataDir = mkdtempSync(join(tmpdir(), 'parley-jobs-upgrade-'));
const previousDelays = process.env.PARLEY_LINK_RETRY_MS;
afterAll(async () => {
  if (previousDelays === undefined) delete process.env.PARLEY_LINK_RETRY_MS;
  else process.env.PARLEY_LINK_RETRY_MS = previousDelays;
  await dropTestDatabase(dataDir);
  rmSync(dataDir, { recursive: true, force: true, maxRetries: 5 });
});

function registry(channel: ChannelProvider, linkFails: boolean, links: string[]): ProviderRegistry {
  return {
    channelFor: () => channel,
    payments: () => ({
      kind: 'manual',
      async createLink(req) {
        links.push(req.id);
        if (linkFails) throw new Error('Stripe is unavailable (HTTP 503)');
        return { url: `https://pay.example/${req.id}`, providerRef: req.id };
      },
    }),
    sendRatePerSecond: () => 100,
    webhook: () => undefined,
  };
}

/** The migrations shipped after `jobs.attempted_at` (SQLite 0011, PostgreSQL 0005), and how each is undone. */
const AFTER_ATTEMPTED_AT: [tag: RegExp, undo: string][] = [[/_sla_history$/, 'ALTER TABLE groups DROP COLUMN sla_history']];

/** The jobs migration and those after it (0011/0005 add `jobs.attempted_at`, dropped with the table; the later ones undone by AFTER_ATTEMPTED_AT). */
function fromJobs<M extends { tag: string }>(shipped: M[], jobs: RegExp): M[] {
  const i = shipped.findIndex((m) => jobs.test(m.tag));
  expect(i).toBeGreaterThanOrEqual(0);
  const later = shipped.slice(i + 1).map((m) => m.tag);
  expect(later).toHaveLength(1 + AFTER_ATTEMPTED_AT.length);
  expect(later[0]).toMatch(/_job_attempted_at$/);
  AFTER_ATTEMPTED_AT.forEach(([tag], k) => expect(later[k + 1]).toMatch(tag));
  return shipped.slice(i);
}

/** Undoes the jobs migration (and the later ones on `jobs`), as if the database had been left by the release before it. */
async function asTheReleaseBefore(invoiceId: string): Promise<void> {
  const legacy = [`linkRetry:invoice:${invoiceId}`, JSON.stringify({ attempts: 1, nextAt: 0, lastError: 'Stripe is unavailable (HTTP 503)' })];
  const undo = [
    'DROP TABLE jobs',
    'DROP INDEX timers_lease',
    'DROP TABLE send_pace',
    'ALTER TABLE timers DROP COLUMN owner',
    'ALTER TABLE timers DROP COLUMN lease_until',
    "DELETE FROM meta WHERE key = 'jobsAdopted'",
    ...AFTER_ATTEMPTED_AT.map(([, undo]) => undo),
  ];
  if (testStore === 'sqlite') {
    const store = SqliteStore.open(dataDir);
    const db = store.sqlite;
    const later = fromJobs(shippedMigrations('drizzle/server'), /^0010_jobs/);
    for (const s of undo) db.exec(s);
    for (const m of later) db.prepare('DELETE FROM __drizzle_migrations WHERE hash = ?').run(m.sha256);
    db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)').run(...legacy);
    await store.close();
    return;
  }
  const c = new pg.Client({ connectionString: await testDatabaseUrl(dataDir) });
  await c.connect();
  try {
    const later = fromJobs(shippedMigrations(pgMigrationsFolder), /^0004_jobs/);
    for (const s of undo) await c.query(s);
    for (const m of later) await c.query('DELETE FROM drizzle.__drizzle_migrations WHERE hash = $1', [m.sha256]);
    await c.query('INSERT INTO meta (key, value) VALUES ($1, $2)', legacy);
  } finally {
    await c.end();
  }
}

describe(`upgrading to the jobs table (${testStore})`, () => {
  it('migrates in place and runs the work the release before left unfinished, once', async () => {
    process.env.PARLEY_LINK_RETRY_MS = '600000';
    const links: string[] = [];
    // before: a send that never returns and payment links that fail
    const stuck: ChannelProvider = { kind: 'twilio', send: () => new Promise(() => undefined) };
    const before = await startTestRelay({ dataDir, providers: registry(stuck, true, links), log: () => undefined });
    const engine = before.relay.services.engine;
    await engine.runAs(SYSTEM_ACTOR, 'receiveInbound', { groupId: before.groups.sales.id, channel: 'sms', from: '+447700900444', body: 'hi' });
    const conv = (await engine.store.rows.find('conversations', {}))[0];
    if (!conv) throw new Error('no conversation');
    const alice = { userId: before.alice.id, role: 'agent' as const };
    const queuedId = uuidv7();
    await engine.runAs(alice, 'sendMessage', { id: queuedId, conversationId: conv.id, contactId: conv.contactId, groupId: conv.groupId, channel: 'sms', body: 'left queued' });
    const invoiceId = uuidv7();
    const invoiceMessage = uuidv7();
    await engine.runAs(alice, 'createInvoice', {
      id: invoiceId, conversationId: conv.id, currency: 'GBP', lineItems: [{ description: 'Repair', quantity: 1, unitAmount: 4200 }], dueDate: '2030-01-31', send: true, messageId: invoiceMessage,
    });
    // the failed link is rescheduled without a commit: wait for the job's end
    await new Promise<void>((resolve) => before.relay.services.effects.onJobEnd(() => links.length === 1 && resolve()));
    expect(await engine.store.get('SELECT attempts FROM jobs WHERE id = ?', [`link:invoice:${invoiceId}`])).toEqual({ attempts: 1 });
    await before.relay.close();
    await asTheReleaseBefore(invoiceId);

    const sent: OutboundMessage[] = [];
    const working: ChannelProvider = { kind: 'twilio', send: async (m) => (sent.push(m), { ok: true, providerMessageId: `SM-${m.messageId}` }) };
    const after = await startTestRelay({ dataDir, providers: registry(working, false, links), log: () => undefined });
    const store = after.relay.services.store;
    if (store instanceof SqliteStore) {
      expect(appliedMigrations(store.sqlite).map((m) => m.hash)).toEqual(shippedMigrations('drizzle/server').map((m) => m.sha256));
    } else {
      const c = new pg.Client({ connectionString: await testDatabaseUrl(dataDir) });
      await c.connect();
      expect((await appliedPgMigrations(c)).map((m) => m.hash)).toEqual(shippedMigrations(pgMigrationsFolder).map((m) => m.sha256));
      await c.end();
    }
    const status = async (id: string) => (await store.rows.get('messages', id))?.status;
    await afterCommits(after.relay.services.engine, async () => (await status(queuedId)) === 'sent' && (await status(invoiceMessage)) === 'sent');
    await after.relay.services.effects.idle();
    expect(sent.map((m) => m.messageId).sort()).toEqual([queuedId, invoiceMessage].sort());
    expect(links).toEqual([invoiceId, invoiceId]); // the failed try before, the due retry after
    expect((await store.rows.get('invoices', invoiceId))?.paymentUrl).toBe(`https://pay.example/${invoiceId}`);
    expect(await store.get("SELECT key FROM meta WHERE key LIKE 'linkRetry:%'")).toBeUndefined();
    expect(await store.get<{ n: number }>('SELECT count(*) AS n FROM jobs')).toEqual({ n: 0 });
    await after.relay.close();

    // adopted once: a later start finds nothing to adopt and sends nothing again
    const again = await startTestRelay({ dataDir, providers: registry(working, false, links), log: () => undefined });
    await again.relay.services.effects.idle();
    expect(sent).toHaveLength(2);
    await again.relay.close();
  });
});

// SQLite 0011, PostgreSQL 0005: `jobs.attempted_at`. A database of the release with jobs but
// without it, holding the job of a send whose relay died mid-call, migrates in place; that job
// carries no mark (the release before could not set one), so it runs as that release promised.
describe(`upgrading to jobs.attempted_at (${testStore})`, () => {
  const dir = mkdtempSync(join(tmpdir(), 'parley-attempted-upgrade-'));
  afterAll(async () => {
    await dropTestDatabase(dir);
    rmSync(dir, { recursive: true, force: true, maxRetries: 5 });
  });

  async function asTheReleaseBeforeAttemptedAt(): Promise<void> {
    const undo = ['ALTER TABLE jobs DROP COLUMN attempted_at', ...AFTER_ATTEMPTED_AT.map(([, u]) => u)];
    if (testStore === 'sqlite') {
      const store = SqliteStore.open(dir);
      const later = fromJobs(shippedMigrations('drizzle/server'), /^0010_jobs/).slice(1);
      expect(later[0]?.tag).toBe('0011_job_attempted_at');
      for (const s of undo) store.sqlite.exec(s);
      for (const m of later) store.sqlite.prepare('DELETE FROM __drizzle_migrations WHERE hash = ?').run(m.sha256);
      await store.close();
      return;
    }
    const c = new pg.Client({ connectionString: await testDatabaseUrl(dir) });
    await c.connect();
    try {
      const later = fromJobs(shippedMigrations(pgMigrationsFolder), /^0004_jobs/).slice(1);
      expect(later[0]?.tag).toBe('0005_job_attempted_at');
      for (const s of undo) await c.query(s);
      for (const m of later) await c.query('DELETE FROM drizzle.__drizzle_migrations WHERE hash = $1', [m.sha256]);
    } finally {
      await c.end();
    }
  }

  it('adds the column to the jobs left unfinished, empty, and runs them', async () => {
    let called: () => void = () => undefined;
    const inFlight = new Promise<void>((r) => (called = r));
    const stuck: ChannelProvider = { kind: 'twilio', send: () => (called(), new Promise(() => undefined)) };
    const before = await startTestRelay({ dataDir: dir, providers: registry(stuck, false, []), effects: { leaseMs: 300 }, log: () => undefined });
    const engine = before.relay.services.engine;
    await engine.runAs(SYSTEM_ACTOR, 'receiveInbound', { groupId: before.groups.sales.id, channel: 'sms', from: '+447700900445', body: 'hi' });
    const conv = (await engine.store.rows.find('conversations', {}))[0];
    if (!conv) throw new Error('no conversation');
    const id = uuidv7();
    await engine.runAs({ userId: before.alice.id, role: 'agent' }, 'sendMessage', { id, conversationId: conv.id, contactId: conv.contactId, groupId: conv.groupId, channel: 'sms', body: 'left mid-send' });
    await inFlight;
    await before.relay.close();
    await asTheReleaseBeforeAttemptedAt();

    const sent: OutboundMessage[] = [];
    const working: ChannelProvider = { kind: 'twilio', send: async (m) => (sent.push(m), { ok: true, providerMessageId: `SM-${m.messageId}` }) };
    const after = await startTestRelay({ dataDir: dir, providers: registry(working, false, []), effects: { leaseMs: 300, pollMs: 50 }, log: () => undefined });
    try {
      const store = after.relay.services.store;
      await afterCommits(after.relay.services.engine, async () => (await store.rows.get('messages', id))?.status !== 'queued');
      await after.relay.services.effects.idle();
      expect(sent.map((m) => m.messageId)).toEqual([id]);
      expect(await store.rows.get('messages', id)).toMatchObject({ status: 'sent', providerMessageId: `SM-${id}` });
      expect(await store.get<{ n: number }>('SELECT count(*) AS n FROM jobs')).toEqual({ n: 0 });
      // the column is there for the next send's mark
      expect(await store.all('SELECT attempted_at FROM jobs')).toEqual([]);
    } finally {
      await after.relay.close();
    }
  });
});
