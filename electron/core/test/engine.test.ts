import { afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Replica } from '../db/replica';
import { MutationEngine } from '../engine/engine';
import { ChangeSet } from '../engine/changeSet';
import { contactRow, tempDir, tinyRegistry } from './helpers';
import { checkLocalIndexes } from './visibleSet';

let replica: Replica | null = null;
afterEach(() => replica?.close());

function setup() {
  replica = Replica.open(join(tempDir(), 'r.sqlite'));
  replica.initMeta({ clientId: 'c1', userId: 'u1', relayUrl: 'http://x', role: 'admin' });
  const r = replica;
  const engine = new MutationEngine(r, tinyRegistry, () => ({ userId: 'u1', role: 'admin' }));
  return { r, engine };
}
const poke = (over: Partial<Parameters<MutationEngine['applyPoke']>[0]> = {}) => ({
  type: 'poke' as const, baseCookie: null, cookie: 1, puts: [], dels: [], lastMutationId: 0, ...over,
});

/** the replica's whole schema: every table, index and trigger with its exact statement */
const schemaOf = (db: Replica['db']) => db.prepare('SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name').all();

describe('secondary indexes deferred by a full fetch', () => {
  const msg = (i: number) => ({ t: 'messages' as const, r: { id: `m${i}`, conversationId: `cv${i % 7}`, direction: i % 2 ? 'inbound' : 'outbound', channel: 'sms', body: `body ${i}`, authorId: null, status: 'delivered', failureReason: null, segments: 1, attachments: [], location: null, templateName: null, providerMessageId: `p${i}`, broadcastId: null, paymentRef: null, createdAt: i, version: i } });
  const messageIndexes = (db: Replica['db']) => db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'messages' AND sql IS NOT NULL ORDER BY name").all();
  const fresh = () => {
    const f = Replica.open(join(tempDir(), 'fresh.sqlite'));
    const schema = schemaOf(f.db);
    f.close();
    return schema;
  };

  it('are dropped with their statements kept, and built again by a worker to exactly the same schema', async () => {
    const { r, engine } = setup();
    const expected = schemaOf(r.db);
    expect(expected).toEqual(fresh());
    expect(messageIndexes(r.db).length).toBeGreaterThanOrEqual(4);
    engine.deferIndexing();
    expect(messageIndexes(r.db)).toEqual([]);
    expect(r.indexesPending).toBe(true);
    engine.deferIndexing(); // every part of the fetch says so again: nothing more to drop
    engine.applyPoke(poke({ puts: Array.from({ length: 300 }, (_, i) => msg(i)) }), { trackNew: false, setCookie: true });
    await r.restoreIndexes();
    expect(r.indexRestores).toBe(1);
    expect(r.indexesPending).toBe(false);
    expect(schemaOf(r.db)).toEqual(expected);
    expect(r.db.prepare('SELECT count(*) AS n FROM deferred_indexes').get()).toEqual({ n: 0 });
    expect(r.db.pragma('integrity_check', { simple: true })).toBe('ok');
    const plan = r.db.prepare("EXPLAIN QUERY PLAN SELECT id FROM messages WHERE conversation_id = 'cv3' ORDER BY created_at").all() as { detail: string }[];
    expect(plan.map((p) => p.detail).join(' ')).toMatch(/messages_conversation/);
  });

  it('a local mutation while the worker builds them waits for its lock and succeeds (CI: "database is locked")', async () => {
    const { r, engine } = setup();
    engine.deferIndexing();
    // enough rows that building the message indexes holds the worker's write lock for a while
    for (let k = 0; k < 40; k++) engine.applyPoke(poke({ puts: Array.from({ length: 2000 }, (_, i) => msg(k * 2000 + i)), cookie: k + 1 }), { trackNew: false, setCookie: true });
    const building = r.restoreIndexes();
    // wait until the worker holds the write lock: another connection cannot take it then
    const probe = new Database(r.path, { timeout: 0 });
    const locked = () => {
      try {
        probe.exec('BEGIN IMMEDIATE; ROLLBACK');
        return false;
      } catch {
        return true;
      }
    };
    let sawLock = false;
    while (!sawLock && r.indexesPending) {
      sawLock = locked();
      if (!sawLock) await new Promise((res) => setImmediate(res));
    }
    probe.close();
    expect(sawLock).toBe(true);
    const res = engine.mutate('createContact', { id: 'k-during-build', name: 'Ann', phone: '+447700900111' }, new ChangeSet());
    expect(res).toMatchObject({ ok: true });
    await building;
    expect(r.indexesPending).toBe(false);
    expect(r.store.get('contacts', 'k-during-build')?.name).toBe('Ann');
  });

  it('left dropped by an interrupted fetch are built again when the replica is opened (before any migration)', () => {
    const { r, engine } = setup();
    const expected = schemaOf(r.db);
    engine.deferIndexing();
    engine.applyPoke(poke({ more: true, puts: Array.from({ length: 50 }, (_, i) => msg(i)) }), { trackNew: false, setCookie: false });
    r.close(); // the process died mid-fetch
    replica = Replica.open(r.path);
    expect(replica.indexesPending).toBe(false);
    expect(schemaOf(replica.db)).toEqual(expected);
  });

  it('the engine\'s backfill builds them first when nothing else did', () => {
    const { r, engine } = setup();
    const expected = schemaOf(r.db);
    engine.deferIndexing();
    expect(engine.indexBackfillPending()).toBe(true);
    let guard = 0;
    while (!engine.backfillIndexes(10) && guard++ < 100);
    expect(schemaOf(r.db)).toEqual(expected);
  });
});

describe('triggers deferred by a full fetch into empty tables', () => {
  const contact = (i: number) => ({ t: 'contacts' as const, r: contactRow(`k${i}`, `Person ${i} ${i % 2 ? 'quokka' : 'wombat'}`) });
  const conv = (i: number) => ({ t: 'conversations' as const, r: { id: `cv${i}`, contactId: `k${i}`, groupId: i % 2 ? 'g1' : 'g0', channel: 'sms', status: i % 5 ? 'open' : 'archived', visibleTo: null, assignees: i % 3 ? [] : ['u1'], createdAt: i, openedAt: i, archivedAt: null, lastActivityAt: i, lastPreview: '', lastInboundAt: i % 4 ? i : null, labels: i % 2 ? ['l1'] : [], visibilityVersion: 1, version: 1 } });
  const msg = (i: number) => ({ t: 'messages' as const, r: { id: `m${i}`, conversationId: `cv${i % 20}`, direction: i % 3 ? 'inbound' : 'outbound', channel: 'sms', body: `${i % 2 ? 'apple' : 'pear'} ${i}`, authorId: i % 3 ? null : 'u1', status: 'delivered', failureReason: null, segments: 1, attachments: [], location: null, templateName: null, providerMessageId: null, broadcastId: null, paymentRef: null, createdAt: 1000 + i, version: 1 } });
  const rows = [...Array.from({ length: 30 }, (_, i) => contact(i)), ...Array.from({ length: 20 }, (_, i) => conv(i)), ...Array.from({ length: 200 }, (_, i) => msg(i))];
  const triggers = (db: Replica['db']) => (db.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger' ORDER BY name").all() as { name: string }[]).map((t) => t.name);
  /** every side table and text index the triggers keep, as a query sees them */
  const sideTables = (db: Replica['db']) => ({
    buckets: db.prepare('SELECT * FROM report_message_buckets WHERE n <> 0 ORDER BY bucket, channel, direction').all(),
    firstResponse: db.prepare('SELECT * FROM report_first_response ORDER BY conversation_id').all(),
    slaWaiting: db.prepare('SELECT * FROM sla_waiting ORDER BY conversation_id').all(),
    counts: db.prepare('SELECT * FROM conversation_counts WHERE n <> 0 ORDER BY group_id, status').all(),
    unread: db.prepare('SELECT * FROM unread_conversations ORDER BY conversation_id').all(),
    labels: db.prepare('SELECT * FROM conversation_labels ORDER BY label_id, conversation_id').all(),
    assignees: db.prepare('SELECT * FROM conversation_assignees ORDER BY user_id, conversation_id').all(),
    apple: db.prepare("SELECT rowid FROM messages_fts WHERE messages_fts MATCH 'apple' ORDER BY rowid").all(),
    quokka: db.prepare("SELECT rowid FROM contacts_fts WHERE contacts_fts MATCH 'quokka' ORDER BY rowid").all(),
  });

  it('are dropped while they would skip every row (or a text index is rebuilt whole), and the replica ends as one synced without deferring', async () => {
    // the same rows applied row by row with every trigger: what the deferred replica must equal
    const plain = setup();
    plain.engine.applyPoke(poke({ puts: rows }), { trackNew: false, setCookie: true });
    const expected = sideTables(plain.r.db);
    const schema = schemaOf(plain.r.db);
    plain.r.close();

    const { r, engine } = setup();
    const all = triggers(r.db);
    engine.deferIndexing();
    const dropped = all.filter((t) => !triggers(r.db).includes(t));
    expect(dropped.sort()).toEqual([
      'contacts_fts_ad', 'contacts_fts_ai', 'contacts_fts_au', 'conversation_assignees_ai', 'conversation_counts_ai', 'conversation_labels_ai',
      'messages_fts_ai', 'report_first_response_ai', 'report_message_buckets_ai', 'sla_waiting_ai', 'unread_conversations_ai',
    ]);
    engine.applyPoke(poke({ puts: rows.slice(0, 40), more: true }), { trackNew: false, setCookie: false });
    // the fetch moved past contacts: their text index is rebuilt and kept by its triggers again
    await r.restoreIndexes(['contacts']);
    expect(triggers(r.db).filter((t) => t.startsWith('contacts_fts'))).toHaveLength(3);
    expect(sideTables(r.db).quokka).toEqual(expected.quokka);
    expect(r.indexesPending).toBe(true);
    engine.applyPoke(poke({ puts: rows.slice(40) }), { trackNew: false, setCookie: true });
    await r.restoreIndexes();
    expect(schemaOf(r.db)).toEqual(schema);
    let guard = 0;
    while (!engine.backfillIndexes(50) && guard++ < 100);
    expect(sideTables(r.db)).toEqual(expected);
    expect(checkLocalIndexes(r.db)).toEqual([]);
  });

  it('keeps the gated insert triggers when the table already had rows (their mark is above 0)', () => {
    const { r, engine } = setup();
    engine.applyPoke(poke({ puts: [conv(100), msg(1000)] }), { trackNew: false, setCookie: true });
    engine.deferIndexing();
    expect(triggers(r.db)).toEqual(expect.arrayContaining(['messages_fts_ai', 'sla_waiting_ai', 'unread_conversations_ai', 'conversation_counts_ai']));
    expect(triggers(r.db)).not.toContain('contacts_fts_ai'); // rebuilt whole: dropped whatever the table held
  });
});

describe('replica and outbox', () => {
  it('WAL checkpoints run in a worker: the writer never checkpoints, yet the WAL is reset', async () => {
    const { r } = setup();
    await r.startCheckpointer();
    expect(r.db.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
    for (let p = 0; p < 20; p++) r.db.transaction(() => { for (let i = 0; i < 200; i++) r.store.put('contacts', contactRow(`w${p}-${i}`, 'x'.repeat(200))); })();
    await r.nextCompleteCheckpoint(); // the worker copied the whole WAL (it checkpoints once a second)
    r.store.put('contacts', contactRow('after', 'After')); // a write after a full checkpoint restarts the WAL
    const [stats] = r.db.pragma('wal_checkpoint(PASSIVE)') as { log: number }[];
    expect(stats!.log).toBeLessThan(20);
  });

  it('optimistic write is visible at once and queued; a local refusal queues nothing', () => {
    const { r, engine } = setup();
    const res = engine.mutate('createContact', { id: 'k1', name: 'Ann', phone: '+14155550101' }, new ChangeSet());
    expect(res).toEqual({ ok: true, mutationId: 1 });
    expect(r.store.get('contacts', 'k1')?.name).toBe('Ann');
    expect(engine.pendingCount()).toBe(1);
    const bad = engine.mutate('createContact', { id: 'k2', name: 'refuse', phone: '+14155550101' }, new ChangeSet());
    expect(bad).toEqual({ ok: false, code: 'invalid', message: 'refused locally' });
    expect(r.store.get('contacts', 'k2')).toBeUndefined();
    expect(engine.pendingCount()).toBe(1);
    expect(engine.mutate('receiveInbound', {}, new ChangeSet())).toMatchObject({ ok: false, code: 'forbidden' });
    expect(engine.mutate('createContact', { id: 'k3' }, new ChangeSet())).toMatchObject({ ok: false, code: 'invalid' });
  });

  it('rebases pending effects over server rows and drops acknowledged ones', () => {
    const { r, engine } = setup();
    engine.applyPoke(poke({ puts: [{ t: 'contacts', r: contactRow('k1', 'Server') }] }), { trackNew: false, setCookie: true });
    engine.mutate('updateContact', { id: 'k1', notes: 'mine' }, new ChangeSet());
    // another client renamed it: the relay's row arrives, my pending note is re-applied on top
    engine.applyPoke(poke({ cookie: 2, puts: [{ t: 'contacts', r: contactRow('k1', 'Renamed', { version: 2 }) }] }), { trackNew: false, setCookie: true });
    expect(r.store.get('contacts', 'k1')).toMatchObject({ name: 'Renamed', notes: 'mine' });
    expect(engine.pendingCount()).toBe(1);
    // acknowledged: the server row now carries my note, outbox empties
    engine.applyPoke(poke({ cookie: 3, lastMutationId: 1, puts: [{ t: 'contacts', r: contactRow('k1', 'Renamed', { notes: 'mine', version: 3 }) }] }), { trackNew: false, setCookie: true });
    expect(engine.pendingCount()).toBe(0);
    expect(r.db.prepare('SELECT count(*) AS n FROM undo_log').get()).toEqual({ n: 0 });
    expect(r.meta()?.cookie).toBe(3);
  });

  it('ids made by ctx.newId() are stable across rebases', () => {
    const { r, engine } = setup();
    expect(engine.mutate('createChat', { id: 'ch1', members: ['u1'] }, new ChangeSet())).toMatchObject({ ok: true });
    const before = r.store.find('contacts', { name: 'made by newId' }).map((c) => c.id);
    engine.applyPoke(poke({ puts: [{ t: 'contacts', r: contactRow('other', 'Other') }] }), { trackNew: false, setCookie: true });
    expect(r.store.find('contacts', { name: 'made by newId' }).map((c) => c.id)).toEqual(before);
    expect(before).toHaveLength(1);
  });

  it('a rejected mutation disappears once acknowledged without its row', () => {
    const { r, engine } = setup();
    engine.mutate('createContact', { id: 'k9', name: 'Temp', phone: '+14155550101' }, new ChangeSet());
    expect(r.store.get('contacts', 'k9')).toBeDefined();
    engine.applyPoke(poke({ lastMutationId: 1 }), { trackNew: false, setCookie: true });
    expect(r.store.get('contacts', 'k9')).toBeUndefined();
  });

  it('scope deletes remove the conversation and everything under it, FTS included', () => {
    const { r, engine } = setup();
    const conv = { id: 'cv1', contactId: 'k1', groupId: 'g1', channel: 'sms' as const, status: 'open' as const, visibleTo: null, assignees: ['u1'], createdAt: 1, openedAt: 1, archivedAt: null, lastActivityAt: 1, lastPreview: '', lastInboundAt: null, visibilityVersion: 0, version: 1 };
    const msg = { id: 'm1', conversationId: 'cv1', direction: 'inbound' as const, channel: 'sms' as const, body: 'hello zebra', authorId: null, status: 'delivered' as const, failureReason: null, segments: 1, attachments: [], location: null, templateName: null, providerMessageId: null, broadcastId: null, paymentRef: null, createdAt: 1, version: 1 };
    engine.applyPoke(poke({ puts: [{ t: 'conversations', r: conv }, { t: 'messages', r: msg }] }), { trackNew: false, setCookie: true });
    const fts = () => r.db.prepare("SELECT count(*) AS n FROM messages_fts WHERE messages_fts MATCH 'zebra'").get();
    expect(fts()).toEqual({ n: 1 });
    expect(r.db.prepare('SELECT count(*) AS n FROM conversation_assignees').get()).toEqual({ n: 1 });
    engine.applyPoke(poke({ cookie: 2, dels: [{ scope: 'conv:cv1' }] }), { trackNew: false, setCookie: true });
    expect(r.store.get('messages', 'm1')).toBeUndefined();
    expect(fts()).toEqual({ n: 0 });
    expect(r.db.prepare('SELECT count(*) AS n FROM conversation_assignees').get()).toEqual({ n: 0 });
  });

  it('deferred search indexing backfills correctly, with deletes and edits during the backfill', () => {
    const { r, engine } = setup();
    const msg = (i: number, body: string) => ({ t: 'messages' as const, r: { id: `m${i}`, conversationId: 'cv1', direction: 'inbound', channel: 'sms', body, authorId: null, status: 'delivered', failureReason: null, segments: 1, attachments: [], location: null, templateName: null, providerMessageId: null, broadcastId: null, paymentRef: null, createdAt: i, version: 1 } });
    engine.deferIndexing();
    engine.applyPoke(poke({ puts: Array.from({ length: 50 }, (_, i) => msg(i, i % 2 ? 'apple pie' : 'banana split')) }), { trackNew: false, setCookie: true });
    const count = (q: string) => (r.db.prepare('SELECT count(*) AS n FROM messages_fts WHERE messages_fts MATCH ?').get(q) as { n: number }).n;
    expect(count('apple')).toBe(0);
    expect(engine.indexBackfillPending()).toBe(true);
    expect(engine.backfillIndexes(10)).toBe(false);
    // while half-indexed: delete an indexed and an unindexed row, edit another, add new ones
    engine.applyPoke(poke({ cookie: 2, dels: [{ t: 'messages', id: 'm1' }, { t: 'messages', id: 'm41' }], puts: [msg(3, 'cherry'), msg(45, 'cherry'), msg(60, 'apple tart')] }), { trackNew: false, setCookie: true });
    while (!engine.backfillIndexes(10));
    expect(engine.indexBackfillPending()).toBe(false);
    expect(count('apple')).toBe(25 - 4 + 1);
    expect(count('cherry')).toBe(2);
    expect(() => r.db.prepare("INSERT INTO messages_fts(messages_fts, rank) VALUES ('integrity-check', 1)").run()).not.toThrow();
    // back to indexing on write
    engine.applyPoke(poke({ cookie: 3, puts: [msg(70, 'apple crumble')] }), { trackNew: false, setCookie: true });
    expect(count('crumble')).toBe(1);
  });

  it('deferred conversation side tables (assignees, counts, unread) backfill correctly under concurrent writes', () => {
    const { r, engine } = setup();
    const conv = (i: number, over: Record<string, unknown> = {}) => ({ t: 'conversations' as const, r: { id: `cv${i}`, contactId: `k${i}`, groupId: i % 2 ? 'g1' : 'g0', channel: 'sms', status: i % 5 ? 'open' : 'archived', visibleTo: null, assignees: i % 3 ? [] : ['u1'], createdAt: i, openedAt: i, archivedAt: null, lastActivityAt: i, lastPreview: '', lastInboundAt: i % 4 ? i : null, visibilityVersion: 1, version: 1, ...over } });
    const read = (i: number, at: number) => ({ t: 'readStates' as const, r: { id: `u1:cv${i}`, userId: 'u1', targetId: `cv${i}`, lastReadAt: at, version: 1 } });
    engine.applyPoke(poke({ puts: [conv(100), read(100, 1)] }), { trackNew: false, setCookie: true }); // indexed before the deferral
    engine.deferIndexing();
    engine.applyPoke(poke({ puts: [...Array.from({ length: 60 }, (_, i) => conv(i)), read(1, 5), read(2, 0)] }), { trackNew: false, setCookie: true });
    expect(engine.indexBackfillPending()).toBe(true);
    expect(checkLocalIndexes(r.db)).not.toEqual([]); // not yet: the backfill has work to do
    expect(engine.backfillIndexes(20)).toBe(false);
    // during the backfill: updates, deletes, read marks, new rows, on both sides of the watermark
    engine.applyPoke(poke({ cookie: 2, dels: [{ scope: 'conv:cv3' }, { scope: 'conv:cv50' }, { t: 'readStates', id: 'u1:cv1' }], puts: [conv(5, { status: 'open', assignees: ['u2'] }), conv(45, { status: 'archived', assignees: ['u1', 'u2'] }), conv(100, { lastInboundAt: 500 }), read(45, 10_000), conv(70)] }), { trackNew: false, setCookie: true });
    engine.mutate('createContact', { id: 'kx', name: 'X', phone: '+447700900999' }, new ChangeSet());
    let guard = 0;
    while (!engine.backfillIndexes(20) && guard++ < 100);
    expect(engine.indexBackfillPending()).toBe(false);
    expect(checkLocalIndexes(r.db)).toEqual([]);
    // and triggers keep them after the backfill
    engine.applyPoke(poke({ cookie: 3, puts: [conv(71, { assignees: ['u1'] })], dels: [{ scope: 'conv:cv10' }] }), { trackNew: false, setCookie: true });
    expect(checkLocalIndexes(r.db)).toEqual([]);
    expect(r.db.prepare("SELECT count(*) AS n FROM conversation_assignees WHERE user_id = 'u1'").get()).toEqual({ n: (r.db.prepare("SELECT count(*) AS n FROM conversations, json_each(assignees) j WHERE j.value = 'u1'").get() as { n: number }).n });
  });
});
