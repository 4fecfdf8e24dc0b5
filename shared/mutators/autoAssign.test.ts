// Automatic assignment (issue 13 part 2): the setting, "not accepting", and the relay's decision
// (round robin with capacity, defaults win, one decision per conversation).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHarness, standardOrg, SYSTEM, type Harness } from '../test/harness';

let h: Harness;
beforeEach(() => {
  h = createHarness();
  standardOrg(h);
  h.user('ben', { groups: ['sales'], name: 'Ben' });
});
afterEach(() => h.close());

let phone = 100;
/** a new contact writes to sales: returns the conversation it created */
const inbound = (): string => {
  const from = `+4477009${String(++phone).padStart(5, '0')}`;
  h.run('receiveInbound', SYSTEM, { groupId: 'sales', channel: 'sms', from, body: 'hello' });
  h.tick();
  const contact = h.tx.find('contacts', { phone: from })[0];
  return h.tx.find('conversations', { contactId: contact?.id ?? '' })[0]?.id ?? '';
};
const assign = (conversationId: string, candidates = ['admin', 'alice', 'bob', 'ben']) => h.run('autoAssign', SYSTEM, { conversationId, candidates });

describe('setAutoAssign and setAccepting', () => {
  it('only admins turn automatic assignment on, with a capacity in range', () => {
    expect(h.refused('setAutoAssign', 'alice', { groupId: 'sales', mode: 'online', capacity: 3 }).code).toBe('forbidden');
    h.run('setAutoAssign', 'admin', { groupId: 'sales', mode: 'online_away', capacity: 3 });
    expect(h.tx.get('groups', 'sales')).toMatchObject({ autoAssign: 'online_away', autoAssignCapacity: 3 });
    expect(() => h.run('setAutoAssign', 'admin', { groupId: 'sales', mode: 'online', capacity: 0 })).toThrow('at least 1');
  });

  it('each user sets their own "not accepting new conversations"', () => {
    h.run('setAccepting', 'alice', { accepting: false });
    expect(h.tx.get('users', 'alice')?.accepting).toBe(false);
    expect(h.tx.get('users', 'bob')?.accepting).toBe(true);
    expect(h.refused('setAccepting', 'dave', { accepting: false }).code).toBe('forbidden');
  });

  it('clients may not push the decision itself', async () => {
    const { systemMutations } = await import('./args');
    expect(systemMutations.has('autoAssign')).toBe(true);
  });
});

describe('autoAssign', () => {
  beforeEach(() => h.run('setAutoAssign', 'admin', { groupId: 'sales', mode: 'online', capacity: 2 }));

  it('a new inbound conversation waits; an existing one or a group with it off does not', () => {
    const c = inbound();
    expect(h.conv(c)).toMatchObject({ autoAssignWaiting: true, assignees: [] });
    h.run('setAutoAssign', 'admin', { groupId: 'support', mode: 'off', capacity: 2 });
    h.run('receiveInbound', SYSTEM, { groupId: 'support', channel: 'sms', from: '+447700900555', body: 'hi' });
    const other = h.tx.find('conversations', { groupId: 'support' })[0];
    expect(other?.autoAssignWaiting).toBe(false);
  });

  it('round robin among the candidates in a stable ring, with capacity, then waiting', () => {
    const convs = Array.from({ length: 7 }, inbound);
    for (const c of convs) assign(c);
    // ring (by id) of the offered members: admin, alice, ben, bob — capacity 2 each = 8 > 7
    expect(convs.map((c) => h.conv(c).assignees[0])).toEqual(['admin', 'alice', 'ben', 'bob', 'admin', 'alice', 'ben']);
    expect(h.conv(convs[6] as string)).toMatchObject({ autoAssignWaiting: false, autoAssignedTo: 'ben', autoAssignedAt: expect.any(Number) as unknown });
    expect(h.tx.get('groups', 'sales')?.autoAssignLast).toBe('ben');
    // its timeline line: assigned to ben, by a rule, with no actor
    expect(h.tx.find('activities', { conversationId: convs[6] })).toEqual([expect.objectContaining({ kind: 'assigned', actorId: null, details: { userIds: ['ben'], auto: true } })]);
    const eighth = inbound();
    const ninth = inbound();
    assign(eighth);
    assign(ninth);
    expect(h.conv(eighth).assignees).toEqual(['bob']);
    // everyone holds 2: the ninth waits
    expect(h.conv(ninth)).toMatchObject({ assignees: [], autoAssignWaiting: true });
    // alice archives one: the ninth goes to her on the next turn
    h.run('archiveConversation', 'alice', { conversationId: convs[1] as string });
    assign(ninth);
    expect(h.conv(ninth)).toMatchObject({ assignees: ['alice'], autoAssignedTo: 'alice' });
  });

  it('only candidates (present), active, accepting members of the group', () => {
    h.run('setAccepting', 'alice', { accepting: false });
    const a = inbound();
    assign(a, ['alice', 'carol', 'dave', 'bob']); // carol: support only; dave: deactivated
    expect(h.conv(a).assignees).toEqual(['bob']);
    const b = inbound();
    assign(b, ['alice', 'carol', 'dave']);
    expect(h.conv(b)).toMatchObject({ assignees: [], autoAssignWaiting: true });
  });

  it('contact defaults win: default assignees mean no waiting; a default "Visible to" limits who gets it', () => {
    h.contact('kim', '+447700900777', { defaultAssignees: ['bob'], defaultVisibleTo: null });
    h.run('receiveInbound', SYSTEM, { groupId: 'sales', channel: 'sms', from: '+447700900777', body: 'hi' });
    const kimConv = h.tx.find('conversations', { contactId: 'kim' })[0];
    expect(kimConv).toMatchObject({ assignees: ['bob'], autoAssignWaiting: false });

    h.contact('lee', '+447700900778', { defaultVisibleTo: ['bob', 'ben'] });
    h.run('receiveInbound', SYSTEM, { groupId: 'sales', channel: 'sms', from: '+447700900778', body: 'hi' });
    const lee = h.tx.find('conversations', { contactId: 'lee' })[0]?.id ?? '';
    assign(lee, ['admin', 'alice', 'bob']);
    expect(h.conv(lee).assignees).toEqual(['bob']);
  });

  it('one decision per conversation: a second run, a manual assignment or an archive ends the wait', () => {
    const a = inbound();
    assign(a);
    assign(a);
    expect(h.conv(a).assignees).toEqual(['admin']);
    expect(h.tx.get('groups', 'sales')?.autoAssignLast).toBe('admin');

    const b = inbound();
    h.run('manageConversation', 'bob', { conversationId: b, visibleTo: null, assignees: ['bob'], baseVisibilityVersion: h.conv(b).visibilityVersion });
    expect(h.conv(b).autoAssignWaiting).toBe(false);
    assign(b);
    expect(h.conv(b)).toMatchObject({ assignees: ['bob'], autoAssignedTo: null });

    const c = inbound();
    h.run('archiveConversation', 'admin', { conversationId: c });
    assign(c);
    expect(h.conv(c)).toMatchObject({ assignees: [], autoAssignWaiting: false });
  });
});
