import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHarness, standardOrg, SYSTEM, type Harness } from '../test/harness';

let h: Harness;
beforeEach(() => {
  h = createHarness();
  standardOrg(h);
});
afterEach(() => h.close());

describe('createContact / updateContact', () => {
  it('lets any active user create a contact, stored as E.164', () => {
    h.run('createContact', 'alice', { id: 'c1', name: 'Sam', phone: '07700 900456', tags: ['vip', 'vip', 'new'] });
    expect(h.tx.get('contacts', 'c1')).toMatchObject({ phone: '+447700900456', tags: ['vip', 'new'], optedOut: false, email: null, version: 0 });
  });
  it('refuses deactivated users', () => {
    expect(h.refused('createContact', 'dave', { id: 'c1', name: 'Sam', phone: '07700 900456' }).code).toBe('forbidden');
  });
  it('refuses an invalid number', () => {
    expect(h.refused('createContact', 'alice', { id: 'c1', name: 'Sam', phone: '12345' }).code).toBe('invalid');
  });
  it('refuses a duplicate number, naming the other contact', () => {
    const r = h.refused('createContact', 'alice', { id: 'c1', name: 'Sam', phone: '+44 7700 900123' });
    expect(r).toMatchObject({ code: 'conflict' });
    expect(r.message).toContain('Pat');
  });
  it('updates fields and renormalises the phone', () => {
    h.run('updateContact', 'bob', { id: 'pat', name: 'Patricia', phone: '00447700900999', email: 'p@example.com' });
    expect(h.tx.get('contacts', 'pat')).toMatchObject({ name: 'Patricia', phone: '+447700900999', email: 'p@example.com' });
  });
  it('refuses an update to a number another contact has', () => {
    h.contact('sam', '+447700900456', { name: 'Sam' });
    expect(h.refused('updateContact', 'alice', { id: 'pat', phone: '07700900456' }).code).toBe('conflict');
    expect(h.refused('updateContact', 'alice', { id: 'nope', name: 'X' }).code).toBe('not_found');
  });
});

describe('admin-only contact operations', () => {
  it.each(['alice', 'dave'])('refuses %s', (who) => {
    expect(h.refused('deleteContact', who, { id: 'pat' }).code).toBe('forbidden');
    expect(h.refused('setContactOptOut', who, { id: 'pat', optedOut: false }).code).toBe('forbidden');
    expect(h.refused('setContactDefaults', who, { id: 'pat', visibleTo: null, assignees: [] }).code).toBe('forbidden');
    expect(h.refused('importContacts', who, { contacts: [{ id: 'x', name: 'X', phone: '07700900111' }] }).code).toBe('forbidden');
    h.contact('sam', '+447700900456');
    expect(h.refused('mergeContacts', who, { intoId: 'pat', fromId: 'sam' }).code).toBe('forbidden');
  });

  it('deletes a contact with its conversations and everything under them', () => {
    h.run('receiveInbound', SYSTEM, { groupId: 'sales', channel: 'sms', from: '+447700900123', body: 'hi' });
    const conv = h.tx.find('conversations', { contactId: 'pat' })[0];
    expect(conv).toBeDefined();
    h.run('addNote', 'alice', { id: 'n1', conversationId: conv?.id ?? '', body: 'note' });
    h.run('createInvoice', 'alice', { id: 'i1', conversationId: conv?.id ?? '', currency: 'GBP', lineItems: [{ description: 'x', quantity: 1, unitAmount: 100 }], dueDate: '2026-12-01' });
    h.run('deleteContact', 'admin', { id: 'pat' });
    expect(h.tx.get('contacts', 'pat')).toBeUndefined();
    expect(h.tx.find('conversations', {})).toHaveLength(0);
    expect(h.tx.find('messages', {})).toHaveLength(0);
    expect(h.tx.find('notes', {})).toHaveLength(0);
    expect(h.tx.find('invoices', {})).toHaveLength(0);
  });

  it('refuses to delete a contact with a sent invoice', () => {
    h.run('receiveInbound', SYSTEM, { groupId: 'sales', channel: 'sms', from: '+447700900123', body: 'hi' });
    const convId = h.tx.find('conversations', { contactId: 'pat' })[0]?.id ?? '';
    h.run('createInvoice', 'alice', { id: 'i1', conversationId: convId, currency: 'GBP', lineItems: [{ description: 'x', quantity: 1, unitAmount: 100 }], dueDate: '2026-12-01', send: true, messageId: 'm1' });
    expect(h.refused('deleteContact', 'admin', { id: 'pat' }).code).toBe('outstanding_invoice');
    expect(h.tx.get('contacts', 'pat')).toBeDefined();
  });

  it('merges: conversations move, tags union, notes append, email kept, opt-out either', () => {
    h.contact('pat', '+447700900123', { name: 'Pat', tags: ['a'], notes: 'first', email: null });
    h.contact('sam', '+447700900456', { name: 'Sam', tags: ['a', 'b'], notes: 'second', email: 's@example.com', optedOut: true });
    h.run('receiveInbound', SYSTEM, { groupId: 'support', channel: 'sms', from: '+447700900456', body: 'hi' });
    h.run('mergeContacts', 'admin', { intoId: 'pat', fromId: 'sam' });
    expect(h.tx.get('contacts', 'sam')).toBeUndefined();
    expect(h.tx.get('contacts', 'pat')).toMatchObject({ tags: ['a', 'b'], notes: 'first\n\nsecond', email: 's@example.com', optedOut: true });
    expect(h.tx.find('conversations', { contactId: 'pat' })).toHaveLength(1);
    expect(h.refused('mergeContacts', 'admin', { intoId: 'pat', fromId: 'pat' }).code).toBe('invalid');
  });

  it('imports: new rows created; a matching phone is never overwritten unless the row says update (issue 10 item 14)', () => {
    h.contact('sam', '+447700900456', { name: 'Sam', tags: ['old'] });
    h.contact('kim', '+447700900457', { name: 'Kim' });
    h.run('importContacts', 'admin', {
      contacts: [
        { id: 'x0', name: 'Dup Of Pat', phone: '07700 900123', email: 'dup@example.com', tags: ['imported'] },
        { id: 'x1', name: 'Sam Updated', phone: '07700 900456', email: 'sam@example.com', tags: ['imported'], onMatch: 'update' },
        { id: 'x3', name: 'Kim Skipped', phone: '07700 900457', tags: ['imported'], onMatch: 'skip' },
        { id: 'x2', name: 'New Person', phone: '+447700900777' },
      ],
    });
    // default "keep": the name stays, tags are added, an empty email is filled in
    expect(h.tx.get('contacts', 'pat')).toMatchObject({ name: 'Pat', email: 'dup@example.com', tags: ['imported'] });
    expect(h.tx.get('contacts', 'sam')).toMatchObject({ name: 'Sam Updated', email: 'sam@example.com', tags: ['old', 'imported'] });
    expect(h.tx.get('contacts', 'kim')).toMatchObject({ name: 'Kim', tags: [] });
    expect(h.tx.get('contacts', 'x1')).toBeUndefined();
    expect(h.tx.get('contacts', 'x2')).toMatchObject({ phone: '+447700900777' });
  });

  it('refuses the whole import when a row is invalid, naming the row', () => {
    const r = h.refused('importContacts', 'admin', {
      contacts: [
        { id: 'x1', name: 'Good', phone: '+447700900777' },
        { id: 'x2', name: 'Bad', phone: '999' },
      ],
    });
    expect(r.code).toBe('invalid');
    expect(r.message).toContain('Row 2');
    expect(h.tx.get('contacts', 'x1')).toBeUndefined();
  });

  it('sets defaults: assignees must be visible and must be users', () => {
    h.run('setContactDefaults', 'admin', { id: 'pat', visibleTo: ['alice', 'bob'], assignees: ['alice'] });
    expect(h.tx.get('contacts', 'pat')).toMatchObject({ defaultVisibleTo: ['alice', 'bob'], defaultAssignees: ['alice'] });
    expect(h.refused('setContactDefaults', 'admin', { id: 'pat', visibleTo: ['alice'], assignees: ['bob'] }).code).toBe('assignee_not_visible');
    expect(h.refused('setContactDefaults', 'admin', { id: 'pat', visibleTo: null, assignees: ['ghost'] }).code).toBe('invalid');
  });

  it('sets SMS opt-out', () => {
    h.run('setContactOptOut', 'admin', { id: 'pat', optedOut: true });
    expect(h.tx.get('contacts', 'pat')?.optedOut).toBe(true);
  });
});
