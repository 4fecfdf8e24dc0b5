// The activity timeline (issue 13): every state change of a conversation writes its line, by whom
// and when, through recordActivity in the mutation's transaction; a refused mutation writes none.
// And the audit log entries the mutators record through ctx.audit.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Activity } from '../schema';
import { createHarness, standardOrg, SYSTEM, type Harness } from '../test/harness';

let h: Harness;
const conv = 'c1';
beforeEach(() => {
  h = createHarness();
  standardOrg(h);
  h.run('sendMessage', 'alice', { id: 'm1', contactId: 'pat', groupId: 'sales', channel: 'sms', body: 'Hi', newConversationId: conv });
});
afterEach(() => h.close());

const lines = (conversationId = conv): Omit<Activity, 'id' | 'version' | 'conversationId'>[] =>
  h.tx
    .find('activities', { conversationId })
    .sort((a, b) => a.at - b.at || (a.id < b.id ? -1 : 1))
    .map(({ kind, actorId, at, details }) => ({ kind, actorId, at, details }));
const manage = (as: string, visibleTo: string[] | null, assignees: string[]) =>
  h.run('manageConversation', as, { conversationId: conv, visibleTo, assignees, baseVisibilityVersion: h.conv(conv).visibilityVersion });
const sendInvoice = (id = 'i1') =>
  h.run('createInvoice', 'alice', { id, conversationId: conv, currency: 'GBP', lineItems: [{ description: 'Fix', quantity: 1, unitAmount: 4500 }], dueDate: '2026-12-03', send: true, messageId: `m-${id}` });

describe('activity lines', () => {
  it('a new conversation has none (sending a message is not a state change)', () => {
    expect(lines()).toEqual([]);
  });

  it('assigned / unassigned and visibility, with who was added and removed', () => {
    const t1 = h.tick();
    manage('alice', null, ['alice', 'bob']);
    const t2 = h.tick();
    manage('alice', ['alice', 'admin'], ['alice']);
    const t3 = h.tick();
    manage('admin', null, ['alice']);
    expect(lines()).toEqual([
      { kind: 'assigned', actorId: 'alice', at: t1, details: { userIds: ['alice', 'bob'] } },
      { kind: 'visibility', actorId: 'alice', at: t2, details: { visibleTo: ['alice', 'admin'], added: ['alice', 'admin'], removed: [] } },
      { kind: 'unassigned', actorId: 'alice', at: t2, details: { userIds: ['bob'] } },
      { kind: 'visibility', actorId: 'admin', at: t3, details: { visibleTo: null, added: [], removed: [] } },
    ]);
  });

  it('archived, unarchived, snoozed, unsnoozed and woken (the relay: no actor)', () => {
    manage('alice', null, ['alice']);
    const t1 = h.tick();
    h.run('snoozeConversation', 'alice', { conversationId: conv, until: t1 + 60_000 });
    const t2 = h.tick(120_000);
    h.run('wakeConversation', SYSTEM, { conversationId: conv });
    const t3 = h.tick();
    h.run('snoozeConversation', 'admin', { conversationId: conv, until: null });
    const t4 = h.tick();
    h.run('unsnoozeConversation', 'admin', { conversationId: conv });
    const t5 = h.tick();
    h.run('archiveConversation', 'admin', { conversationId: conv });
    const t6 = h.tick();
    h.run('unarchiveConversation', 'bob', { conversationId: conv });
    expect(lines().slice(1)).toEqual([
      { kind: 'snoozed', actorId: 'alice', at: t1, details: { until: t1 + 60_000 } },
      { kind: 'woke', actorId: null, at: t2, details: {} },
      { kind: 'snoozed', actorId: 'admin', at: t3, details: { until: null } },
      { kind: 'unsnoozed', actorId: 'admin', at: t4, details: {} },
      { kind: 'archived', actorId: 'admin', at: t5, details: {} },
      { kind: 'unarchived', actorId: 'bob', at: t6, details: {} },
    ]);
  });

  it('labelled and unlabelled', () => {
    h.run('createLabel', 'admin', { id: 'vip', name: 'VIP', color: 'red' });
    h.run('labelConversation', 'bob', { conversationId: conv, labelId: 'vip', applied: true });
    h.run('labelConversation', 'bob', { conversationId: conv, labelId: 'vip', applied: true }); // no change: no line
    h.run('labelConversation', 'alice', { conversationId: conv, labelId: 'vip', applied: false });
    expect(lines().map((l) => [l.kind, l.actorId, l.details])).toEqual([
      ['labelled', 'bob', { labelId: 'vip' }],
      ['unlabelled', 'alice', { labelId: 'vip' }],
    ]);
  });

  it('invoice sent, paid by an admin or by the provider, voided (by hand or by a full refund)', () => {
    sendInvoice('i1');
    h.run('markInvoicePaid', 'admin', { invoiceId: 'i1' });
    sendInvoice('i2');
    h.run('setPaymentStatus', SYSTEM, { invoiceId: 'i2', status: 'paid' });
    h.run('setPaymentStatus', SYSTEM, { invoiceId: 'i2', status: 'refunded' });
    sendInvoice('i3');
    h.run('voidInvoice', 'alice', { invoiceId: 'i3' });
    expect(lines().map((l) => [l.kind, l.actorId, l.details])).toEqual([
      ['invoiceSent', 'alice', { invoiceId: 'i1' }],
      ['invoicePaid', 'admin', { invoiceId: 'i1' }],
      ['invoiceSent', 'alice', { invoiceId: 'i2' }],
      ['invoicePaid', null, { invoiceId: 'i2', auto: true }],
      ['invoiceVoided', null, { invoiceId: 'i2', auto: true }],
      ['invoiceSent', 'alice', { invoiceId: 'i3' }],
      ['invoiceVoided', 'alice', { invoiceId: 'i3' }],
    ]);
  });

  it('merged: the kept conversation gets the line and the other one’s timeline', () => {
    h.contact('pat2', '+447700900999', { name: 'Pat (old number)' });
    h.run('sendMessage', 'alice', { id: 'm2', contactId: 'pat2', groupId: 'sales', channel: 'sms', body: 'Hello', newConversationId: 'c2' });
    h.tick();
    h.run('archiveConversation', 'admin', { conversationId: conv });
    h.tick();
    h.run('unarchiveConversation', 'admin', { conversationId: conv }); // c1 is now the most recently opened
    h.run('mergeContacts', 'admin', { intoId: 'pat', fromId: 'pat2' });
    expect(h.tx.get('conversations', 'c2')).toBeUndefined();
    expect(lines().map((l) => [l.kind, l.actorId, l.details])).toEqual([
      ['archived', 'admin', {}],
      ['unarchived', 'admin', {}],
      ['merged', 'admin', { mergedId: 'c2' }],
    ]);
  });

  it('a refused mutation writes no line', () => {
    sendInvoice('i1');
    const before = lines();
    expect(h.refused('archiveConversation', 'admin', { conversationId: conv }).code).toBe('unpaid_invoice');
    expect(h.refused('manageConversation', 'bob', { conversationId: conv, visibleTo: ['bob'], assignees: [], baseVisibilityVersion: 0 }).code).toBe('forbidden');
    expect(h.refused('snoozeConversation', 'bob', { conversationId: conv, until: null }).code).toBe('forbidden');
    expect(h.refused('voidInvoice', 'bob', { invoiceId: 'i1' }).code).toBe('forbidden');
    expect(lines()).toEqual(before);
  });

  it('deleting the conversation deletes its timeline', () => {
    h.run('archiveConversation', 'admin', { conversationId: conv });
    h.run('deleteConversation', 'admin', { conversationId: conv });
    expect(h.tx.find('activities', { conversationId: conv })).toEqual([]);
  });
});

describe('audit entries recorded by mutators', () => {
  it('a visibility change names the conversation by its contact and says who was added and removed; an admin adding themselves is its own entry', () => {
    manage('alice', null, ['alice']);
    manage('alice', ['alice'], ['alice']);
    manage('admin', ['alice', 'admin'], ['alice']);
    expect(h.audits).toEqual([
      { action: 'visibilityChanged', actorId: 'alice', target: conv, entry: { targetName: 'Pat (+447700900123)', details: { added: ['alice'], removed: [], everyone: false } } },
      { action: 'grantSelfAccess', actorId: 'admin', target: conv, entry: { targetName: 'Pat (+447700900123)' } },
      { action: 'visibilityChanged', actorId: 'admin', target: conv, entry: { targetName: 'Pat (+447700900123)', details: { added: ['admin'], removed: [], everyone: false } } },
    ]);
  });

  it('roles, deactivations, memberships, templates and deletions; refused ones record nothing', () => {
    h.refused('setUserRole', 'alice', { userId: 'bob', role: 'admin' });
    h.run('setUserRole', 'admin', { userId: 'bob', role: 'admin' });
    h.run('setUserActive', 'admin', { userId: 'bob', active: false });
    h.run('removeMember', 'admin', { groupId: 'sales', userId: 'alice' });
    h.run('addMember', 'admin', { groupId: 'support', userId: 'alice' });
    h.run('saveTemplate', 'admin', { groupId: 'sales', template: { name: 'bye', language: 'en', body: 'Goodbye' } });
    h.run('removeTemplate', 'admin', { groupId: 'sales', name: 'bye' });
    h.run('deleteConversation', 'admin', { conversationId: conv });
    expect(h.audits.map((a) => [a.action, a.target, a.entry?.targetName])).toEqual([
      ['roleChanged', 'bob', 'bob'],
      ['userDeactivated', 'bob', 'bob'],
      ['memberRemoved', 'alice', 'alice'],
      ['memberAdded', 'alice', 'alice'],
      ['templateSaved', 'sales', 'sales: bye (en)'],
      ['templateRemoved', 'sales', 'sales: bye (en)'],
      ['conversationDeleted', conv, 'Pat (+447700900123)'],
    ]);
    expect(h.audits[0]?.entry?.details).toEqual({ from: 'agent', to: 'admin' });
  });

  it('an entry never carries message content', () => {
    h.run('sendMessage', 'alice', { id: 'm9', contactId: 'pat', groupId: 'sales', channel: 'sms', body: 'my secret door code is 4711' });
    manage('admin', ['admin'], []);
    h.run('deleteConversation', 'admin', { conversationId: conv });
    expect(JSON.stringify(h.audits)).not.toContain('4711');
  });
});
