// "Answered within target" over a real replica (migrated SQLite, triggers on) when targets changed:
// each conversation is judged by the target and business hours in force when its customer first
// wrote (groups.sla_history, as setGroupSla keeps it), not by today's. A tightened target does not
// rewrite the weeks before it; a group whose target was turned off still reports the periods it
// had one; a conversation from before a group had any target is not judged.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkQueryResult } from '../../../shared/bridgeResults';
import type { BusinessHours, SlaPeriod } from '../../../shared/domain/sla';
import type { Conversation, Group, Message } from '../../../shared/schema';
import { Replica } from '../db/replica';
import { reportSla } from '../bridge/reportQueries';
import { tempDir } from './helpers';

const MIN = 60_000;
const H = 60 * MIN;
const D = 24 * H;
/** Monday 8 June 2026, 00:00 UTC (London is UTC+1) */
const T0 = Date.UTC(2026, 5, 8);
const london: BusinessHours = { tz: 'Europe/London', days: { mon: ['09:00', '17:30'], tue: ['09:00', '17:30'], wed: ['09:00', '17:30'], thu: ['09:00', '17:30'], fri: ['09:00', '17:30'] } };
/** Support: 1 h in London office hours until Monday 10:00 London, then 30 min around the clock */
const TIGHTENED = T0 + 9 * H;
/** Sales: 1 h around the clock until Monday 13:00 London, then no target */
const TURNED_OFF = T0 + 12 * H;
/** Late: no target until Monday 15:00 London, then 15 min */
const TURNED_ON = T0 + 14 * H;
const NOW = T0 + 20 * H;

let replica: Replica;

const group = (id: string, minutes: number | null, hours: BusinessHours | null, slaHistory: SlaPeriod[]): Group => ({
  id, name: id, smsNumber: null, whatsappNumber: null, templates: [], paymentInstructions: '', channelProviders: { sms: 'simulator', whatsapp: 'simulator' },
  slaFirstResponseMinutes: minutes, businessHours: hours, slaHistory, autoAssign: 'off', autoAssignCapacity: 5, autoAssignLast: null, createdAt: 0, version: 1,
});
const conv = (id: string, groupId: string, at: number): Conversation => ({
  id, contactId: 'k1', groupId, channel: 'sms', status: 'open', visibleTo: null, assignees: [], createdAt: at, openedAt: at, archivedAt: null,
  lastActivityAt: at, lastPreview: '', lastInboundAt: null, snoozedBy: null, snoozedUntil: null, wokenAt: null, labels: [], visibilityVersion: 1, visibilityChangedBy: null, autoAssignWaiting: false, autoAssignedTo: null, autoAssignedAt: null, metaOnly: null, version: 1,
});
let n = 0;
const msg = (conversationId: string, direction: Message['direction'], at: number, authorId: string | null = null): Message => ({
  id: `m${++n}`, conversationId, direction, channel: 'sms', body: 'text', authorId, status: 'delivered', failureReason: null, segments: 1, attachments: [],
  location: null, templateName: null, providerMessageId: null, broadcastId: null, paymentRef: null, scheduledAt: null, createdAt: at, version: 1,
});

beforeAll(() => {
  replica = Replica.open(join(tempDir('parley-sla-history-'), 'replica.sqlite'));
  const { store, db } = replica;
  db.transaction(() => {
    store.put('users', { id: 'u1', name: 'Amira', email: 'a@x', role: 'agent', active: true, createdAt: 0, accepting: true, version: 1 });
    store.put('groups', group('support', 30, null, [{ until: TIGHTENED, minutes: 60, hours: london }]));
    store.put('groups', group('sales', null, null, [{ until: TURNED_OFF, minutes: 60, hours: null }]));
    store.put('groups', group('late', 15, null, [{ until: TURNED_ON, minutes: null, hours: null }]));
    store.put('groups', group('never', null, null, []));
    const talk = (id: string, groupId: string, inAt: number, outAt: number | null) => {
      store.put('conversations', conv(id, groupId, inAt));
      store.put('messages', msg(id, 'inbound', inAt));
      if (outAt !== null) store.put('messages', msg(id, 'outbound', outAt, 'u1'));
    };
    // p: Support, Friday 17:00 London, answered Monday 09:20 London: 50 business minutes of the old
    // 1 h in office hours → met (by today's 30 min around the clock it would be missed)
    talk('p', 'support', T0 - 3 * D + 16 * H, T0 + 8 * H + 20 * MIN);
    // q: Support, Monday 11:00 London, answered after 45 min: the new 30 min → missed (met by the old)
    talk('q', 'support', T0 + 10 * H, T0 + 10 * H + 45 * MIN);
    // r: Sales while it had 1 h, answered after 20 min → met; s: after its target was turned off
    talk('r', 'sales', T0 + 11 * H, T0 + 11 * H + 20 * MIN);
    talk('s', 'sales', T0 + 13 * H, null);
    // t: Late before it had a target, never answered → not judged; u: after, answered in 10 min → met
    talk('t', 'late', T0 + 13 * H, null);
    talk('u', 'late', T0 + 15 * H, T0 + 15 * H + 10 * MIN);
    talk('v', 'never', T0 + 2 * H, null);
  })();
});
afterAll(async () => {
  replica.close();
  await replica.whenClosed();
});

const report = (from: number, to: number) => checkQueryResult('reportSla', reportSla(replica.db, { from, to, tzOffsetMinutes: 0 }, NOW));
const rows = (r: ReturnType<typeof report>) => r.byGroup.map((g) => [g.id, g.targets, g.met, g.missed, g.pending]);

describe('answered within target, by the target in force when each conversation started', () => {
  it('judges a conversation before a change by the old target and hours, one after by the new', () => {
    const r = report(T0 - 7 * D, T0 + D);
    expect(rows(r)).toEqual([
      ['support', [60, 30], 1, 1, 0],
      ['late', [15], 1, 0, 0],
      ['sales', [60], 1, 0, 0],
    ]);
    expect(r.overall).toEqual({ met: 3, missed: 1, pending: 0, share: 3 / 4 });
    expect(r.byAgent).toEqual([{ id: 'u1', name: 'Amira', met: 3, missed: 1, pending: 0, share: 3 / 4 }]);
  });

  it('a period before a change shows only the target of then; a group turned off since still reports it', () => {
    const before = report(T0 - 7 * D, TIGHTENED);
    // Late had no target yet: not listed; Sales had its 1 h (nothing measured in this period)
    expect(rows(before)).toEqual([
      ['support', [60], 1, 0, 0],
      ['sales', [60], 0, 0, 0],
    ]);
    expect(report(T0 + 10 * H, TURNED_OFF).byGroup.find((g) => g.id === 'sales')).toMatchObject({ targets: [60], met: 1, missed: 0, share: 1 });
  });

  it('a period after a group turned its target off leaves it out; one after a target was set judges only what came after', () => {
    const after = report(TURNED_OFF, T0 + D);
    expect(rows(after)).toEqual([
      ['late', [15], 1, 0, 0],
      ['support', [30], 0, 0, 0],
    ]);
    expect(after.overall).toEqual({ met: 1, missed: 0, pending: 0, share: 1 });
  });
});
