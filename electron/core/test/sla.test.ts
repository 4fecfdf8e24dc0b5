// First-response SLA over a real replica (migrated SQLite, triggers on): which conversations wait
// (sla_waiting, kept by triggers on every write), their deadline on the inbox items, the
// "SLA: most urgent first" order across groups with different hours and pages, and the report's
// "answered within target" share.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryArgs, type ConversationListItem } from '../../../shared/bridge';
import { dueAt, type BusinessHours } from '../../../shared/domain/sla';
import type { Conversation, Group, Message } from '../../../shared/schema';
import { mutators } from '../../../shared/mutators/index';
import { Replica } from '../db/replica';
import { MutationEngine } from '../engine/engine';
import { inbox } from '../bridge/inboxQueries';
import { reportSla } from '../bridge/reportQueries';
import { slaWarnings } from '../bridge/slaNotifications';
import { tempDir } from './helpers';

const MIN = 60_000;
const H = 60 * MIN;
/** Monday 8 June 2026, 00:00 UTC (London is UTC+1) */
const T0 = Date.UTC(2026, 5, 8);
const london: BusinessHours = { tz: 'Europe/London', days: { mon: ['09:00', '17:30'], tue: ['09:00', '17:30'], wed: ['09:00', '17:30'], thu: ['09:00', '17:30'], fri: ['09:00', '17:30'] } };

let replica: Replica;

const group = (id: string, minutes: number | null, hours: BusinessHours | null): Group => ({
  id, name: id, smsNumber: null, whatsappNumber: null, templates: [], paymentInstructions: '', channelProviders: { sms: 'simulator', whatsapp: 'simulator' },
  slaFirstResponseMinutes: minutes, businessHours: hours, slaHistory: [], autoAssign: 'off', autoAssignCapacity: 5, autoAssignLast: null, createdAt: 0, version: 1,
});
const conv = (id: string, groupId: string, lastActivityAt: number, over: Partial<Conversation> = {}): Conversation => ({
  id, contactId: 'k1', groupId, channel: 'sms', status: 'open', visibleTo: null, assignees: [], createdAt: T0, openedAt: T0, archivedAt: null,
  lastActivityAt, lastPreview: '', lastInboundAt: null, snoozedBy: null, snoozedUntil: null, wokenAt: null, labels: [], visibilityVersion: 1, visibilityChangedBy: null, autoAssignWaiting: false, autoAssignedTo: null, autoAssignedAt: null, metaOnly: null, version: 1, ...over,
});
let n = 0;
const msg = (conversationId: string, direction: Message['direction'], at: number, over: Partial<Message> = {}): Message => ({
  id: `m${++n}`, conversationId, direction, channel: 'sms', body: 'text', authorId: null, status: 'delivered', failureReason: null, segments: 1, attachments: [],
  location: null, templateName: null, providerMessageId: null, broadcastId: null, paymentRef: null, scheduledAt: null, createdAt: at, version: 1, ...over,
});

const page = (a: Record<string, unknown>) => inbox(replica.db, 'u1', queryArgs.inbox.parse({ view: 'team', ...a }), 'admin');
const convItems = (a: Record<string, unknown>) => page(a).items as ConversationListItem[];
const waitingOf = () => Object.fromEntries((replica.db.prepare('SELECT conversation_id AS c, since FROM sla_waiting').all() as { c: string; since: number }[]).map((r) => [r.c, r.since]));

beforeAll(() => {
  replica = Replica.open(join(tempDir('parley-sla-'), 'replica.sqlite'));
  const { store, db } = replica;
  db.transaction(() => {
    store.put('users', { id: 'u1', name: 'Amira', email: 'a@x', role: 'admin', active: true, createdAt: 0, accepting: true, version: 1 });
    store.put('users', { id: 'u2', name: 'Ben', email: 'b@x', role: 'agent', active: true, createdAt: 0, accepting: true, version: 1 });
    store.put('groups', group('fast', 30, null)); // 30 min around the clock
    store.put('groups', group('office', 60, london)); // 1 h in London office hours
    store.put('groups', group('none', null, null)); // no target
    // a: office, wrote Mon 08:40 UTC (09:40 London): due 09:40 UTC
    store.put('conversations', conv('a', 'office', T0 + 8 * H + 40 * MIN));
    store.put('messages', msg('a', 'inbound', T0 + 8 * H + 40 * MIN));
    // b: fast, wrote 09:00, then again 09:10 (the clock runs from the first unanswered): due 09:30
    store.put('conversations', conv('b', 'fast', T0 + 9 * H + 10 * MIN));
    store.put('messages', msg('b', 'inbound', T0 + 9 * H));
    store.put('messages', msg('b', 'inbound', T0 + 9 * H + 10 * MIN));
    // c: fast, answered by Ben 10 min after, then wrote again at 11:00: waiting since 11:00, due 11:30
    store.put('conversations', conv('c', 'fast', T0 + 11 * H));
    store.put('messages', msg('c', 'inbound', T0 + 7 * H));
    store.put('messages', msg('c', 'outbound', T0 + 7 * H + 10 * MIN, { authorId: 'u2' }));
    store.put('messages', msg('c', 'inbound', T0 + 11 * H));
    // d: fast, answered: not waiting
    store.put('conversations', conv('d', 'fast', T0 + 12 * H));
    store.put('messages', msg('d', 'inbound', T0 + 6 * H));
    store.put('messages', msg('d', 'outbound', T0 + 6 * H + 45 * MIN, { authorId: 'u1' }));
    // e: fast, only a broadcast went out after it: still waiting since 05:00, due 05:30 (the most urgent)
    store.put('conversations', conv('e', 'fast', T0 + 5 * H + 10 * MIN));
    store.put('messages', msg('e', 'inbound', T0 + 5 * H));
    store.put('messages', msg('e', 'outbound', T0 + 5 * H + 10 * MIN, { authorId: 'u1', broadcastId: 'b1' }));
    // f: no target: waiting, but without a deadline
    store.put('conversations', conv('f', 'none', T0 + 13 * H));
    store.put('messages', msg('f', 'inbound', T0 + 4 * H));
    // g: office, wrote Friday evening before (Fri 5 June 19:00 UTC = 20:00 London): due Monday 10:00 London = 09:00 UTC
    store.put('conversations', conv('g', 'office', T0 - 2 * 24 * H - 5 * H));
    store.put('messages', msg('g', 'inbound', T0 - 2 * 24 * H - 5 * H));
    // h: archived while waiting: no deadline on an archived conversation, not in the SLA order
    store.put('conversations', conv('h', 'fast', T0 + 14 * H, { status: 'archived', archivedAt: T0 + 14 * H }));
    store.put('messages', msg('h', 'inbound', T0 + 3 * H));
  })();
});
afterAll(() => replica.db.close());

describe('waiting conversations (sla_waiting, kept by triggers)', () => {
  it('starts the clock at the first unanswered inbound message; a broadcast does not answer', () => {
    expect(waitingOf()).toEqual({ a: T0 + 8 * H + 40 * MIN, b: T0 + 9 * H, c: T0 + 11 * H, e: T0 + 5 * H, f: T0 + 4 * H, g: T0 - 2 * 24 * H - 5 * H, h: T0 + 3 * H });
  });
  it('follows a reply, its removal (an undo) and a later message', () => {
    const { store } = replica;
    const reply = msg('b', 'outbound', T0 + 9 * H + 20 * MIN, { authorId: 'u1' });
    store.put('messages', reply);
    expect(waitingOf().b).toBeUndefined();
    store.del('messages', reply.id);
    expect(waitingOf().b).toBe(T0 + 9 * H);
    // an automatic message (no author) does not answer either
    store.put('messages', msg('b', 'outbound', T0 + 9 * H + 25 * MIN));
    expect(waitingOf().b).toBe(T0 + 9 * H);
  });
});

describe('an initial sync', () => {
  it('defers sla_waiting with the other side tables and the backfill fills it the same', () => {
    const other = Replica.open(join(tempDir('parley-sla-'), 'replica.sqlite'));
    try {
      const engine = new MutationEngine(other, mutators, () => ({ userId: 'u1', role: 'admin' }));
      engine.deferIndexing();
      other.db.transaction(() => {
        for (const t of ['users', 'groups', 'messages', 'conversations'] as const)
          for (const row of replica.db.prepare(`SELECT * FROM ${t}`).all() as Record<string, unknown>[]) other.store.put(t, replica.store.decode(t, row));
      })();
      const count = () => (other.db.prepare('SELECT count(*) AS n FROM sla_waiting').get() as { n: number }).n;
      expect(count()).toBe(0); // deferred
      while (!engine.backfillIndexes(2));
      expect(other.db.prepare('SELECT * FROM sla_waiting ORDER BY conversation_id').all()).toEqual(replica.db.prepare('SELECT * FROM sla_waiting ORDER BY conversation_id').all());
      expect(count()).toBeGreaterThan(0);
    } finally {
      other.db.close();
    }
  });
});

describe('inbox items and the SLA order', () => {
  it('carries the deadline of waiting conversations in groups with a target', () => {
    const items = new Map(convItems({ limit: 50 }).map((i) => [i.id, i]));
    expect(items.get('a')?.slaDueAt).toBe(T0 + 9 * H + 40 * MIN);
    expect(items.get('b')?.slaDueAt).toBe(T0 + 9 * H + 30 * MIN);
    expect(items.get('c')?.slaDueAt).toBe(T0 + 11 * H + 30 * MIN);
    expect(items.get('e')?.slaDueAt).toBe(T0 + 5 * H + 30 * MIN);
    expect(items.get('g')?.slaDueAt).toBe(T0 + 9 * H);
    expect(items.get('g')?.slaDueAt).toBe(dueAt(T0 - 2 * 24 * H - 5 * H, 60, london));
    expect(items.get('d')).toMatchObject({ slaDueAt: null, waitingSince: null });
    expect(items.get('f')).toMatchObject({ slaDueAt: null, waitingSince: T0 + 4 * H });
  });
  it('"most urgent first": deadlines across groups in order, then the rest by activity', () => {
    expect(convItems({ limit: 50 }).map((i) => i.id)).toEqual(['f', 'd', 'c', 'b', 'a', 'e', 'g']);
    expect(convItems({ sort: 'sla', limit: 50 }).map((i) => i.id)).toEqual(['e', 'g', 'b', 'a', 'c', 'f', 'd']);
  });
  it('pages through the same order, and keeps the total', () => {
    const all: string[] = [];
    for (let offset = 0; offset < 7; offset += 2) {
      const p = page({ sort: 'sla', offset, limit: 2 });
      expect(p.total).toBe(7);
      all.push(...p.items.map((i) => i.id));
    }
    expect(all).toEqual(['e', 'g', 'b', 'a', 'c', 'f', 'd']);
  });
  it('keeps the filters: one group, My inbox', () => {
    expect(convItems({ sort: 'sla', groupId: 'office', limit: 50 }).map((i) => i.id)).toEqual(['g', 'a']);
    replica.db.prepare(`UPDATE conversations SET assignees = '["u1"]' WHERE id IN ('a', 'd')`).run();
    expect(inbox(replica.db, 'u1', queryArgs.inbox.parse({ view: 'mine', sort: 'sla', limit: 50 }), 'admin').items.map((i) => i.id)).toEqual(['a', 'd']);
  });
  it('reads each group\'s waiting rows through the since index', () => {
    const plan = (replica.db.prepare(`EXPLAIN QUERY PLAN SELECT c.id, w.since FROM conversations c JOIN sla_waiting w ON w.conversation_id = c.id WHERE c.status = 'open' AND c.snoozed_by IS NULL AND c.group_id = 'fast' ORDER BY w.since, c.id LIMIT 10`).all() as { detail: string }[]).map((r) => r.detail).join('\n');
    expect(plan).not.toMatch(/SCAN c\b|SCAN conversations/);
  });
});

describe('report: answered within target', () => {
  it('met, missed (late or unanswered past the deadline), pending; by group and by who replied', () => {
    const now = T0 + 11 * H + 5 * MIN;
    const r = reportSla(replica.db, { from: T0 - 3 * 24 * H, to: T0 + 24 * H, tzOffsetMinutes: 0 }, now);
    // first contacts: a (office, unanswered, due 09:40 → missed), b (fast, unanswered, due 09:30 → missed),
    // c (fast, first at 07:00 answered by Ben at 07:10 → met), d (fast, answered at +45 min → missed, by Amira),
    // e (fast, broadcast only → missed), g (office, due 09:00 → missed), h (fast, archived, unanswered → missed); f has no target
    expect(r.overall).toEqual({ met: 1, missed: 6, pending: 0, share: 1 / 7 });
    expect(r.byGroup.map((g) => [g.id, g.met, g.missed, g.targets])).toEqual([['fast', 1, 4, [30]], ['office', 0, 2, [60]]]);
    expect(r.byAgent).toEqual([
      { id: 'u1', name: 'Amira', met: 0, missed: 1, pending: 0, share: 0 },
      { id: 'u2', name: 'Ben', met: 1, missed: 0, pending: 0, share: 1 },
    ]);
    // before a's deadline it is still running
    const early = reportSla(replica.db, { from: T0 + 8 * H + 40 * MIN, to: T0 + 8 * H + 41 * MIN, tzOffsetMinutes: 0 }, T0 + 9 * H);
    expect(early.overall).toEqual({ met: 0, missed: 0, pending: 1, share: null });
  });
});

describe('notification before a breach', () => {
  it('tells the assignee 15 minutes before, once per wait, never after the breach', () => {
    // u1 is assigned a (due 09:40) and d (answered); make u1 assignee of b (due 09:30) too
    replica.db.prepare(`UPDATE conversations SET assignees = '["u1"]' WHERE id = 'b'`).run();
    const warned = new Set<string>();
    expect(slaWarnings(replica.db, 'u1', T0 + 9 * H, warned)).toEqual([]);
    const at = T0 + 9 * H + 20 * MIN;
    const first = slaWarnings(replica.db, 'u1', at, warned);
    expect(first).toEqual([{ type: 'notify', title: 'Reply to a customer soon', body: 'First-response target: 10m left.', target: { kind: 'conversation', id: 'b' } }]);
    expect(slaWarnings(replica.db, 'u1', at + MIN, warned)).toEqual([]);
    // a: due 09:40, warned from 09:25
    expect(slaWarnings(replica.db, 'u1', T0 + 9 * H + 26 * MIN, warned).map((n) => n.type === 'notify' && n.target.id)).toEqual(['a']);
    // Ben is assigned nothing; past the deadline nobody is told
    expect(slaWarnings(replica.db, 'u2', T0 + 9 * H + 26 * MIN, new Set())).toEqual([]);
    expect(slaWarnings(replica.db, 'u1', T0 + 10 * H, new Set())).toEqual([]);
  });
});
