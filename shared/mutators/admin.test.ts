import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHarness, standardOrg, type Harness } from '../test/harness';
import { issuesSentence } from '../refusals';
import type { BusinessHours } from '../domain/sla';
import { args, mutators, systemMutations } from './index';

let h: Harness;
beforeEach(() => {
  h = createHarness();
  standardOrg(h);
});
afterEach(() => h.close());

describe('registry', () => {
  it('has a mutator for every mutation, flagged system exactly when listed', () => {
    expect(Object.keys(mutators).sort()).toEqual(Object.keys(args).sort());
    for (const [name, def] of Object.entries(mutators)) expect(def.system === true, name).toBe(systemMutations.has(name as keyof typeof args));
  });
});

describe('administration', () => {
  it.each(['alice', 'dave'])('is refused to %s', (who) => {
    expect(h.refused('createGroup', who, { id: 'g', name: 'G' }).code).toBe('forbidden');
    expect(h.refused('updateGroup', who, { id: 'sales', name: 'G' }).code).toBe('forbidden');
    expect(h.refused('addMember', who, { groupId: 'support', userId: 'alice' }).code).toBe('forbidden');
    expect(h.refused('removeMember', who, { groupId: 'sales', userId: 'bob' }).code).toBe('forbidden');
    expect(h.refused('setUserActive', who, { userId: 'bob', active: false }).code).toBe('forbidden');
    expect(h.refused('setUserRole', who, { userId: 'bob', role: 'admin' }).code).toBe('forbidden');
  });
  it('creates and updates groups', () => {
    h.run('createGroup', 'admin', { id: 'g', name: 'Billing', smsNumber: '+447700900999' });
    h.run('updateGroup', 'admin', { id: 'g', name: 'Accounts', smsNumber: null });
    expect(h.tx.get('groups', 'g')).toMatchObject({ name: 'Accounts', smsNumber: null, templates: [] });
    expect(h.refused('createGroup', 'admin', { id: 'g', name: 'Again' }).code).toBe('conflict');
  });
  it('sets a group\'s first-response target and business hours, refusing bad ones in sentences', () => {
    const hours = { tz: 'Europe/London', days: { mon: ['09:00', '17:30'] as [string, string], sat: ['22:00', '06:00'] as [string, string] } };
    expect(h.refused('setGroupSla', 'alice', { groupId: 'sales', minutes: 60, businessHours: null }).code).toBe('forbidden');
    h.run('setGroupSla', 'admin', { groupId: 'sales', minutes: 60, businessHours: hours });
    expect(h.tx.get('groups', 'sales')).toMatchObject({ slaFirstResponseMinutes: 60, businessHours: hours });
    const bad = (minutes: number | null, businessHours: BusinessHours | null) => h.refused('setGroupSla', 'admin', { groupId: 'sales', minutes, businessHours });
    expect(bad(0, null)).toMatchObject({ code: 'invalid', message: 'The first-response target must be a whole number of minutes, at least 1.' });
    expect(bad(60, { tz: 'Nowhere/Town', days: { mon: ['09:00', '17:00'] } }).message).toBe('"Nowhere/Town" is not a time zone: use a name like Europe/London or America/New_York.');
    expect(bad(60, { tz: 'UTC', days: { fri: ['25:00', '17:00'] } }).message).toBe('The hours of Friday must be times like 09:00 and 17:30.');
    expect(bad(60, { tz: 'UTC', days: {} }).message).toBe('Business hours need at least one open day.');
    const parsed = args.setGroupSla.safeParse({ groupId: 'sales', minutes: 60, businessHours: { tz: '', days: {} } });
    expect(parsed.success ? null : issuesSentence(parsed.error.issues)).toBe('Choose a time zone for the business hours.');
    expect(h.tx.get('groups', 'sales')).toMatchObject({ slaFirstResponseMinutes: 60, businessHours: hours });
    h.run('setGroupSla', 'admin', { groupId: 'sales', minutes: null, businessHours: null });
    expect(h.tx.get('groups', 'sales')).toMatchObject({ slaFirstResponseMinutes: null, businessHours: null });
  });
  it('keeps the setting a change replaces (until when it applied), not a save that changes nothing, and at most 100', () => {
    const hours: BusinessHours = { tz: 'Europe/London', days: { mon: ['09:00', '17:30'] } };
    const set = (minutes: number | null, businessHours: BusinessHours | null) => h.run('setGroupSla', 'admin', { groupId: 'sales', minutes, businessHours });
    const history = () => h.tx.get('groups', 'sales')?.slaHistory;
    expect(history()).toEqual([]);
    set(60, hours);
    const on = h.now;
    expect(history()).toEqual([{ until: on, minutes: null, hours: null }]); // no target before
    h.tick(60_000);
    set(60, { tz: 'Europe/London', days: { mon: ['09:00', '17:30'] } }); // the same, saved again
    expect(history()).toEqual([{ until: on, minutes: null, hours: null }]);
    h.tick(60_000);
    set(30, hours);
    const tightened = h.now;
    h.tick(60_000);
    set(30, { tz: 'Europe/London', days: { mon: ['09:00', '17:30'], tue: ['09:00', '17:30'] } }); // the hours alone change
    const hoursChanged = h.now;
    h.tick(60_000);
    set(null, null); // turned off
    expect(history()).toEqual([
      { until: on, minutes: null, hours: null },
      { until: tightened, minutes: 60, hours },
      { until: hoursChanged, minutes: 30, hours },
      { until: h.now, minutes: 30, hours: { tz: 'Europe/London', days: { mon: ['09:00', '17:30'], tue: ['09:00', '17:30'] } } },
    ]);
    expect(h.tx.get('groups', 'sales')).toMatchObject({ slaFirstResponseMinutes: null, businessHours: null });
    // capped: the oldest settings go first
    for (let i = 1; i <= 110; i++) {
      h.tick(1_000);
      set(i, null);
    }
    const kept = history() ?? [];
    expect(kept).toHaveLength(100);
    expect(kept.at(-1)).toEqual({ until: h.now, minutes: 109, hours: null });
    expect(kept[0]).toEqual({ until: kept[1]!.until - 1_000, minutes: 10, hours: null });
    expect(kept.every((p, i) => i === 0 || p.until > kept[i - 1]!.until)).toBe(true);
  });
  it('adds and removes members; removal drops them as assignees', () => {
    h.run('addMember', 'admin', { groupId: 'support', userId: 'alice' });
    expect(h.tx.get('memberships', 'support:alice')).toBeDefined();
    h.run('sendMessage', 'alice', { id: 'm1', contactId: 'pat', groupId: 'sales', channel: 'sms', body: 'x', newConversationId: 'c1' });
    h.run('manageConversation', 'alice', { conversationId: 'c1', visibleTo: null, assignees: ['alice', 'bob'], baseVisibilityVersion: 0 });
    h.run('removeMember', 'admin', { groupId: 'sales', userId: 'bob' });
    expect(h.tx.get('memberships', 'sales:bob')).toBeUndefined();
    expect(h.conv('c1').assignees).toEqual(['alice']);
  });
  it('deactivates others (effect), never yourself', () => {
    expect(h.run('setUserActive', 'admin', { userId: 'bob', active: false })).toEqual([{ kind: 'userDeactivated', userId: 'bob' }]);
    expect(h.tx.get('users', 'bob')?.active).toBe(false);
    expect(h.run('setUserActive', 'admin', { userId: 'bob', active: true })).toEqual([]);
    expect(h.refused('setUserActive', 'admin', { userId: 'admin', active: false }).code).toBe('invalid');
  });
  it('changes roles of others, never your own', () => {
    h.run('setUserRole', 'admin', { userId: 'carol', role: 'admin' });
    expect(h.tx.get('users', 'carol')?.role).toBe('admin');
    expect(h.refused('setUserRole', 'admin', { userId: 'admin', role: 'agent' }).code).toBe('invalid');
  });
});
