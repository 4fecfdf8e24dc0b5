// Reports over a real replica (migrated SQLite, triggers on): exact figures for a small known
// history, metadata-only rows never counted, every period read through an index, bad ranges
// refused with a sentence.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryArgs } from '../../../shared/bridge';
import { issuesSentence } from '../../../shared/refusals';
import type { Conversation, Message } from '../../../shared/schema';
import { mutators } from '../../../shared/mutators/index';
import { Replica } from '../db/replica';
import { MutationEngine } from '../engine/engine';
import { durationStats, reportBacklog, reportChannels, reportHours, reportTimes, reportVolume } from '../bridge/reportQueries';
import { tempDir } from './helpers';

const MIN = 60_000;
const H = 60 * MIN;
const D = 24 * H;
/** Monday 5 January 2026, 00:00 UTC */
const T0 = Date.UTC(2026, 0, 5);
const range = { from: T0, to: T0 + 3 * D, tzOffsetMinutes: 0 };

let replica: Replica;

const conv = (id: string, over: Partial<Conversation>): Conversation =>
  ({
    id, contactId: 'k1', groupId: 'g1', channel: 'sms', status: 'open', visibleTo: null, assignees: [], createdAt: T0, openedAt: T0, archivedAt: null,
    lastActivityAt: T0, lastPreview: '', lastInboundAt: null, snoozedBy: null, snoozedUntil: null, wokenAt: null, labels: [], visibilityVersion: 1, visibilityChangedBy: null, autoAssignWaiting: false, autoAssignedTo: null, autoAssignedAt: null, metaOnly: null, version: 1, ...over,
  });
let n = 0;
const msg = (conversationId: string, direction: Message['direction'], at: number, over: Partial<Message> = {}): Message => ({
  id: `m${++n}`, conversationId, direction, channel: 'sms', body: 'text', authorId: null, status: 'delivered', failureReason: null, segments: 1, attachments: [],
  location: null, templateName: null, providerMessageId: null, broadcastId: null, paymentRef: null, scheduledAt: null, createdAt: at, version: 1, ...over,
});

beforeAll(() => {
  replica = Replica.open(join(tempDir('parley-reports-'), 'replica.sqlite'));
  const { store, db } = replica;
  db.transaction(() => {
    store.put('users', { id: 'u1', name: 'Amira', email: 'a@x', role: 'agent', active: true, createdAt: 0, accepting: true, version: 1 });
    store.put('users', { id: 'u2', name: 'Ben', email: 'b@x', role: 'agent', active: true, createdAt: 0, accepting: true, version: 1 });
    store.put('groups', { id: 'g1', name: 'Sales', smsNumber: null, whatsappNumber: null, templates: [], paymentInstructions: '', channelProviders: { sms: 'simulator', whatsapp: 'simulator' }, slaFirstResponseMinutes: null, businessHours: null, slaHistory: [], autoAssign: 'off', autoAssignCapacity: 5, autoAssignLast: null, createdAt: 0, version: 1 });
    store.put('groups', { id: 'g2', name: 'Support', smsNumber: null, whatsappNumber: null, templates: [], paymentInstructions: '', channelProviders: { sms: 'simulator', whatsapp: 'simulator' }, slaFirstResponseMinutes: null, businessHours: null, slaHistory: [], autoAssign: 'off', autoAssignCapacity: 5, autoAssignLast: null, createdAt: 0, version: 1 });
    // c1: answered by Amira in 10 minutes, archived 4 h after it opened
    store.put('conversations', conv('c1', { createdAt: T0 + H, openedAt: T0 + H, status: 'archived', archivedAt: T0 + 5 * H, assignees: ['u1'], lastActivityAt: T0 + 2 * H, lastInboundAt: T0 + 2 * H }));
    store.put('messages', msg('c1', 'inbound', T0 + H));
    store.put('messages', msg('c1', 'outbound', T0 + H + 10 * MIN, { authorId: 'u1' }));
    store.put('messages', msg('c1', 'inbound', T0 + 2 * H, { channel: 'whatsapp' }));
    // c2: a broadcast goes out first (not a response), Ben answers after 30 minutes
    store.put('conversations', conv('c2', { createdAt: T0 + D + 2 * H, openedAt: T0 + D + 2 * H, lastActivityAt: T0 + D + 2 * H + 30 * MIN, lastInboundAt: T0 + D + 2 * H }));
    store.put('messages', msg('c2', 'inbound', T0 + D + 2 * H));
    store.put('messages', msg('c2', 'outbound', T0 + D + 2 * H + 5 * MIN, { authorId: 'u2', broadcastId: 'b1' }));
    store.put('messages', msg('c2', 'outbound', T0 + D + 2 * H + 30 * MIN, { authorId: 'u2' }));
    // c3: unanswered, waiting on us
    store.put('conversations', conv('c3', { groupId: 'g2', createdAt: T0 + 2 * D + 3 * H, openedAt: T0 + 2 * D + 3 * H, assignees: ['u2'], lastActivityAt: T0 + 2 * D + 3 * H, lastInboundAt: T0 + 2 * D + 3 * H }));
    store.put('messages', msg('c3', 'inbound', T0 + 2 * D + 3 * H, { channel: 'whatsapp' }));
    // c4: opened before the period by us, archived inside it
    store.put('conversations', conv('c4', { groupId: 'g2', createdAt: T0 - D, openedAt: T0 - D, status: 'archived', archivedAt: T0 + 2 * D + H, assignees: ['u1', 'u2'], lastActivityAt: T0 - D }));
    store.put('messages', msg('c4', 'outbound', T0 - D, { authorId: 'u1' }));
    // c5: a metadata-only row (an admin outside "Visible to"): open, waiting, created in the period
    store.put('conversations', conv('c5', { createdAt: T0 + 3 * H, openedAt: T0 + 3 * H, lastActivityAt: T0 + 3 * H, lastInboundAt: T0 + 3 * H }));
    // c6: archived earlier and reopened: counts as open, not as archived in the period
    store.put('conversations', conv('c6', { groupId: 'g2', createdAt: T0 - 9 * D, openedAt: T0 + 4 * D, assignees: ['u1'], archivedAt: null, lastActivityAt: T0 - 9 * D }));
  })();
  markMetaOnly(db, 'c5');
});

/** Makes a conversation a metadata-only row (an admin outside its "Visible to" receives only that): never counted. */
function markMetaOnly(db: Replica['db'], id: string): void {
  db.prepare(`UPDATE conversations SET meta_only = '{"invoiceOutstanding":false}', last_preview = '' WHERE id = ?`).run(id);
}
afterAll(() => replica.db.close());

describe('reports over the replica', () => {
  it('counts conversations opened and archived per local day, every day of the period listed', () => {
    expect(reportVolume(replica.db, range)).toEqual({
      days: [
        { day: '2026-01-05', opened: 1, archived: 1 },
        { day: '2026-01-06', opened: 1, archived: 0 },
        { day: '2026-01-07', opened: 1, archived: 1 },
      ],
      totals: { opened: 2 + 1, archived: 2 },
    });
    // five hours behind UTC: c1 (01:00 UTC) falls on the Sunday before
    const west = reportVolume(replica.db, { ...range, tzOffsetMinutes: -300 });
    expect(west.days[0]).toEqual({ day: '2026-01-04', opened: 1, archived: 0 });
  });

  it('measures first response (people only, after the customer wrote) and resolution, by group and agent', () => {
    const t = reportTimes(replica.db, range);
    expect(t.firstResponse.overall).toEqual({ count: 2, medianMs: 10 * MIN, p90Ms: 30 * MIN });
    expect(t.firstResponse.unanswered).toBe(1);
    expect(t.firstResponse.byGroup).toEqual([{ id: 'g1', name: 'Sales', count: 2, medianMs: 10 * MIN, p90Ms: 30 * MIN }]);
    expect(t.firstResponse.byAgent).toEqual([
      { id: 'u1', name: 'Amira', count: 1, medianMs: 10 * MIN, p90Ms: 10 * MIN },
      { id: 'u2', name: 'Ben', count: 1, medianMs: 30 * MIN, p90Ms: 30 * MIN },
    ]);
    expect(t.resolution.overall).toEqual({ count: 2, medianMs: 4 * H, p90Ms: 3 * D + H });
    expect(t.resolution.byGroup.map((g) => [g.name, g.count])).toEqual([['Sales', 1], ['Support', 1]]);
    expect(t.resolution.byAgent).toEqual([
      { id: 'u1', name: 'Amira', count: 2, medianMs: 4 * H, p90Ms: 3 * D + H },
      { id: 'u2', name: 'Ben', count: 1, medianMs: 3 * D + H, p90Ms: 3 * D + H },
    ]);
  });

  it('counts messages by day and channel, and inbound messages by weekday and hour', () => {
    const c = reportChannels(replica.db, range);
    expect(c.days).toEqual([
      { day: '2026-01-05', sms: 2, whatsapp: 1 },
      { day: '2026-01-06', sms: 3, whatsapp: 0 },
      { day: '2026-01-07', sms: 0, whatsapp: 1 },
    ]);
    expect(c.totals).toEqual([{ channel: 'sms', inbound: 2, outbound: 3 }, { channel: 'whatsapp', inbound: 2, outbound: 0 }]);
    const h = reportHours(replica.db, range);
    const hot = (cells: number[][]) => cells.flatMap((row, w) => row.flatMap((v, hr) => (v ? [[w, hr, v]] : [])));
    // Monday 01:00 and 02:00, Tuesday 02:00, Wednesday 03:00
    expect(hot(h.cells)).toEqual([[0, 1, 1], [0, 2, 1], [1, 2, 1], [2, 3, 1]]);
    expect([h.total, h.max]).toEqual([4, 1]);
    expect(hot(reportHours(replica.db, { ...range, tzOffsetMinutes: 60 }).cells)).toEqual([[0, 2, 1], [0, 3, 1], [1, 3, 1], [2, 4, 1]]);
  });

  it('shows the backlog now: open, unassigned, waiting on us, by group', () => {
    expect(reportBacklog(replica.db)).toEqual({
      open: 3, unassigned: 1, waitingOnUs: 1, oldestWaitingSince: T0 + 2 * D + 3 * H,
      byGroup: [
        { id: 'g2', name: 'Support', open: 2, unassigned: 0, waitingOnUs: 1 },
        { id: 'g1', name: 'Sales', open: 1, unassigned: 1, waitingOnUs: 0 },
      ],
    });
  });

  it('takes median and p90 by nearest rank', () => {
    expect(durationStats([])).toEqual({ count: 0, medianMs: null, p90Ms: null });
    expect(durationStats([5, 1, 3, 2, 4, 6, 7, 8, 9, 10])).toEqual({ count: 10, medianMs: 5, p90Ms: 9 });
  });

  it('reads every period through an index or a side table', () => {
    const plan = (sql: string) => (replica.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all({ from: 0, to: 1, bfrom: 0, bto: 1 }) as { detail: string }[]).map((r) => r.detail).join('\n');
    expect(plan('SELECT count(*) FROM conversations c WHERE c.created_at >= @from AND c.created_at < @to AND c.meta_only IS NULL')).toMatch(/COVERING INDEX conversations_created/);
    expect(plan(`SELECT c.opened_at, c.group_id, c.assignees FROM conversations c INDEXED BY conversations_archived WHERE c.archived_at >= @from AND c.archived_at < @to AND c.status = 'archived' AND c.meta_only IS NULL`)).toMatch(/COVERING INDEX conversations_archived/);
    expect(plan(`SELECT group_id, first_out, responder FROM report_first_response INDEXED BY report_first_response_in WHERE first_in >= @from AND first_in < @to`)).toMatch(/COVERING INDEX report_first_response_in/);
    expect(plan(`SELECT sum(n) FROM report_message_buckets WHERE bucket >= @bfrom AND bucket < @bto`)).toMatch(/SEARCH report_message_buckets USING PRIMARY KEY/);
    expect(plan(`SELECT count(*) FROM conversations c INDEXED BY conversations_open_backlog WHERE c.status = 'open' AND c.meta_only IS NULL GROUP BY c.group_id`)).toMatch(/COVERING INDEX conversations_open_backlog/);
    expect(plan(`SELECT min(m.created_at) FROM messages m WHERE m.conversation_id = 'x' AND m.direction = 'inbound'`)).toMatch(/COVERING INDEX messages_conversation_direction/);
  });

  it('keeps the side tables through an initial sync deferred and backfilled, and through deletes', () => {
    // a second replica fed the same rows with indexing deferred, as the sync client's full fetch does
    const other = Replica.open(join(tempDir('parley-reports-'), 'replica.sqlite'));
    try {
      const engine = new MutationEngine(other, mutators, () => ({ userId: 'u1', role: 'agent' }));
      engine.deferIndexing();
      const tables = ['users', 'groups', 'messages', 'conversations'] as const; // messages before their conversations: the group follows
      other.db.transaction(() => {
        for (const t of tables) for (const row of replica.db.prepare(`SELECT * FROM ${t}`).all() as Record<string, unknown>[]) other.store.put(t, replica.store.decode(t, row));
      })();
      markMetaOnly(other.db, 'c5');
      expect(reportChannels(other.db, range).totals.every((t) => t.inbound + t.outbound === 0)).toBe(true); // deferred
      while (!engine.backfillIndexes(2));
      for (const f of [reportTimes, reportChannels, reportHours, reportVolume] as const) expect(f(other.db, range)).toEqual(f(replica.db, range));
      expect(reportBacklog(other.db)).toEqual(reportBacklog(replica.db));
      // live writes and deletes (a scope lost) keep them right
      other.store.del('messages', 'm2'); // Amira's reply to c1
      expect(reportTimes(other.db, range).firstResponse.byAgent.map((a) => a.name)).toEqual(['Ben']);
      expect(reportTimes(other.db, range).firstResponse.unanswered).toBe(2);
      for (const id of ['m1', 'm3']) other.store.del('messages', id);
      expect(reportTimes(other.db, range).firstResponse.unanswered).toBe(1);
      expect(reportChannels(other.db, range).days[0]).toEqual({ day: '2026-01-05', sms: 0, whatsapp: 0 });
      other.store.put('conversations', { ...other.store.get('conversations', 'c2')!, groupId: 'g2' });
      expect(reportTimes(other.db, range).firstResponse.byGroup.map((g) => g.name)).toEqual(['Support']);
    } finally {
      other.db.close();
    }
  });

  it('refuses a period that ends before it starts, or spans more than 400 days, with a sentence', () => {
    const bad = queryArgs.reportVolume.safeParse({ from: 10, to: 5 });
    expect(bad.success).toBe(false);
    if (!bad.success) expect(issuesSentence(bad.error.issues)).toMatch(/end of the period must come after its start/);
    expect(queryArgs.reportHours.safeParse({ from: 0, to: 401 * D }).success).toBe(false);
  });
});
