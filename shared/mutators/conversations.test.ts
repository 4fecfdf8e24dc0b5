import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHarness, standardOrg, SYSTEM, type Harness } from '../test/harness';

let h: Harness;
let conv: string;
beforeEach(() => {
  h = createHarness();
  standardOrg(h);
  h.run('sendMessage', 'alice', { id: 'm1', contactId: 'pat', groupId: 'sales', channel: 'sms', body: 'Hi', newConversationId: 'c1' });
  conv = 'c1';
});
afterEach(() => h.close());

const manage = (as: string, visibleTo: string[] | null, assignees: string[]) => h.run('manageConversation', as, { conversationId: conv, visibleTo, assignees, baseVisibilityVersion: h.conv(conv).visibilityVersion });
const manageRefused = (as: string, visibleTo: string[] | null, assignees: string[]) => h.refused('manageConversation', as, { conversationId: conv, visibleTo, assignees, baseVisibilityVersion: h.conv(conv).visibilityVersion }).code;
const sendInvoice = () =>
  h.run('createInvoice', 'alice', { id: 'i1', conversationId: conv, currency: 'GBP', lineItems: [{ description: 'Fix', quantity: 1, unitAmount: 4500 }], dueDate: '2026-12-03', send: true, messageId: 'mi' });

describe('manageConversation', () => {
  it('lets anyone who sees it assign members (assignees only)', () => {
    manage('bob', null, ['alice', 'bob']);
    expect(h.conv(conv).assignees).toEqual(['alice', 'bob']);
  });
  it('refuses users who cannot see it', () => {
    expect(manageRefused('carol', null, ['carol'])).toBe('not_found');
    expect(manageRefused('dave', null, [])).toBe('forbidden');
  });
  it('lets only admins and assignees change visibility', () => {
    expect(manageRefused('bob', ['alice', 'bob'], [])).toBe('forbidden');
    manage('bob', null, ['bob']);
    manage('bob', ['alice', 'bob'], ['bob']);
    expect(h.conv(conv).visibleTo).toEqual(['alice', 'bob']);
    manage('admin', ['alice'], []);
    expect(h.conv(conv)).toMatchObject({ visibleTo: ['alice'], assignees: [] });
    expect(manageRefused('bob', null, [])).toBe('not_found'); // bob no longer sees it
  });
  it('requires assignees within visibleTo', () => {
    expect(manageRefused('admin', ['alice'], ['bob'])).toBe('assignee_not_visible');
  });
  it('requires active members (or admins) and refuses an empty visibleTo', () => {
    expect(manageRefused('admin', null, ['carol'])).toBe('invalid');
    expect(manageRefused('admin', null, ['dave'])).toBe('invalid');
    expect(manageRefused('admin', null, ['ghost'])).toBe('invalid');
    expect(manageRefused('admin', [], [])).toBe('invalid');
    manage('admin', ['admin', 'alice'], ['admin']);
    expect(h.conv(conv).assignees).toEqual(['admin']);
  });
});

describe('archive / unarchive / delete', () => {
  it('lets assignees and admins archive, not other members', () => {
    expect(h.refused('archiveConversation', 'bob', { conversationId: conv }).code).toBe('forbidden');
    manage('alice', null, ['bob']);
    h.run('archiveConversation', 'bob', { conversationId: conv });
    expect(h.conv(conv)).toMatchObject({ status: 'archived', archivedAt: h.now });
  });
  it('refuses archive while an invoice is unpaid, allows once paid', () => {
    sendInvoice();
    expect(h.refused('archiveConversation', 'admin', { conversationId: conv }).code).toBe('unpaid_invoice');
    h.run('markInvoicePaid', 'admin', { invoiceId: 'i1' });
    h.run('archiveConversation', 'admin', { conversationId: conv });
    expect(h.conv(conv).status).toBe('archived');
  });
  it('does not let checkouts block archive', () => {
    h.run('createCheckout', 'alice', { id: 'k1', conversationId: conv, description: 'Deposit', amount: 1000, currency: 'GBP', messageId: 'mk' });
    h.run('archiveConversation', 'admin', { conversationId: conv });
  });
  it('lets anyone who sees it unarchive; openedAt moves to now', () => {
    h.run('archiveConversation', 'admin', { conversationId: conv });
    h.tick(5000);
    expect(h.refused('unarchiveConversation', 'carol', { conversationId: conv }).code).toBe('not_found');
    h.run('unarchiveConversation', 'bob', { conversationId: conv });
    expect(h.conv(conv)).toMatchObject({ status: 'open', openedAt: h.now, archivedAt: null });
  });
  it('after archive, the next inbound creates a new conversation', () => {
    h.run('archiveConversation', 'admin', { conversationId: conv });
    h.run('receiveInbound', SYSTEM, { groupId: 'sales', channel: 'sms', from: '+447700900123', body: 'again' });
    expect(h.tx.find('conversations', { contactId: 'pat' })).toHaveLength(2);
  });
  it('lets only admins delete, cascading everything, releasing attachments', () => {
    h.run('receiveInbound', SYSTEM, { groupId: 'sales', channel: 'whatsapp', from: '+447700900123', body: '', attachments: [{ id: 'b'.repeat(64), name: 'p.jpg', mime: 'image/jpeg', size: 5 }] });
    h.run('addNote', 'bob', { id: 'n1', conversationId: conv, body: 'internal' });
    h.run('markRead', 'bob', { targetId: conv, at: h.now });
    h.run('createCheckout', 'alice', { id: 'k1', conversationId: conv, description: 'Deposit', amount: 1000, currency: 'GBP', messageId: 'mk' });
    expect(h.refused('deleteConversation', 'alice', { conversationId: conv }).code).toBe('forbidden');
    const effects = h.run('deleteConversation', 'admin', { conversationId: conv });
    expect(effects).toEqual([{ kind: 'attachmentsReleased', ids: ['b'.repeat(64)] }]);
    for (const t of ['conversations', 'messages', 'notes', 'checkouts', 'readStates'] as const) expect(h.tx.find(t, {})).toHaveLength(0);
  });
  it('refuses delete while an invoice is outstanding', () => {
    sendInvoice();
    expect(h.refused('deleteConversation', 'admin', { conversationId: conv }).code).toBe('outstanding_invoice');
    h.run('voidInvoice', 'alice', { invoiceId: 'i1' });
    h.run('deleteConversation', 'admin', { conversationId: conv });
  });
});

describe('notes and read marks', () => {
  it('lets viewers add notes; the author or an admin deletes', () => {
    h.run('addNote', 'bob', { id: 'n1', conversationId: conv, body: 'call back' });
    expect(h.tx.get('notes', 'n1')).toMatchObject({ authorId: 'bob', body: 'call back', createdAt: h.now });
    expect(h.refused('addNote', 'carol', { id: 'n2', conversationId: conv, body: 'x' }).code).toBe('not_found');
    expect(h.refused('deleteNote', 'alice', { id: 'n1' }).code).toBe('forbidden');
    h.run('deleteNote', 'bob', { id: 'n1' });
    h.run('addNote', 'bob', { id: 'n3', conversationId: conv, body: 'y' });
    h.run('deleteNote', 'admin', { id: 'n3' });
    expect(h.tx.find('notes', {})).toHaveLength(0);
  });
  it('upserts the caller read state for visible targets only', () => {
    h.run('markRead', 'bob', { targetId: conv, at: 123 });
    h.run('markRead', 'bob', { targetId: conv, at: 456 });
    expect(h.tx.get('readStates', `bob:${conv}`)).toMatchObject({ userId: 'bob', targetId: conv, lastReadAt: 456 });
    expect(h.refused('markRead', 'carol', { targetId: conv, at: 1 }).code).toBe('not_found');
    expect(h.refused('markRead', 'bob', { targetId: 'nothing', at: 1 }).code).toBe('not_found');
    h.run('createChat', 'alice', { id: 'ch', members: ['alice', 'carol'] });
    h.run('markRead', 'carol', { targetId: 'ch', at: 9 });
    expect(h.refused('markRead', 'bob', { targetId: 'ch', at: 9 }).code).toBe('not_found');
  });
});
