import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHarness, standardOrg, SYSTEM, type Harness } from '../test/harness';

let h: Harness;
const conv = 'c1';
beforeEach(() => {
  h = createHarness();
  standardOrg(h);
  h.run('sendMessage', 'alice', { id: 'm1', contactId: 'pat', groupId: 'sales', channel: 'sms', body: 'Hi', newConversationId: conv });
});
afterEach(() => h.close());

const lineItems = [
  { description: 'Repair', quantity: 2, unitAmount: 1500 },
  { description: 'Parts', quantity: 1, unitAmount: 1500 },
];
const create = (id: string, as = 'alice', extra: Record<string, unknown> = {}) =>
  h.run('createInvoice', as, { id, conversationId: conv, currency: 'GBP', lineItems, dueDate: '2026-12-03', ...extra });

describe('invoices', () => {
  it('creates a draft with total and a sequential number', () => {
    create('i1');
    create('i2', 'bob');
    expect(h.tx.get('invoices', 'i1')).toMatchObject({ status: 'draft', total: 4500, number: 'INV-000001', createdBy: 'alice' });
    expect(h.tx.get('invoices', 'i2')?.number).toBe('INV-000002');
  });
  it('refuses people who cannot see the conversation', () => {
    expect(h.refused('createInvoice', 'carol', { id: 'i1', conversationId: conv, currency: 'GBP', lineItems, dueDate: '2026-12-03' }).code).toBe('not_found');
    expect(h.refused('createInvoice', 'dave', { id: 'i1', conversationId: conv, currency: 'GBP', lineItems, dueDate: '2026-12-03' }).code).toBe('forbidden');
  });
  it('send: true needs a messageId', () => {
    expect(h.refused('createInvoice', 'alice', { id: 'i1', conversationId: conv, currency: 'GBP', lineItems, dueDate: '2026-12-03', send: true }).code).toBe('invalid');
  });
  it('sending without a link queues the message and asks for the link first; setPaymentLink fills it and sends', () => {
    create('i1');
    const effects = h.run('sendInvoice', 'bob', { invoiceId: 'i1', messageId: 'mi' });
    expect(effects).toEqual([{ kind: 'paymentLink', invoiceId: 'i1' }]);
    expect(h.tx.get('invoices', 'i1')?.status).toBe('sent');
    expect(h.tx.get('messages', 'mi')).toMatchObject({ status: 'queued', paymentRef: 'invoice:i1', authorId: 'bob', conversationId: conv });
    const after = h.run('setPaymentLink', SYSTEM, { invoiceId: 'i1', paymentUrl: 'https://pay.example.com/i1', providerRef: 'plink_1' });
    expect(after).toEqual([{ kind: 'sendMessage', messageId: 'mi' }]);
    expect(h.tx.get('messages', 'mi')?.body).toBe('Invoice INV-000001: £45.00 due 3 Dec 2026. Pay here: https://pay.example.com/i1');
    // issue 12 item 12: the list's preview follows the message, no longer "(link to follow)"
    expect(h.tx.get('conversations', conv)?.lastPreview).toBe('Invoice INV-000001: £45.00 due 3 Dec 2026. Pay here: https://pay.example.com/i1');
    expect(h.tx.get('invoices', 'i1')).toMatchObject({ paymentUrl: 'https://pay.example.com/i1', providerRef: 'plink_1' });
    // a repeated link callback does not send again
    expect(h.run('setPaymentLink', SYSTEM, { invoiceId: 'i1', paymentUrl: 'https://pay.example.com/i1' })).toEqual([]);
  });
  it('sending with a link already known sends at once', () => {
    create('i1');
    h.run('setPaymentLink', SYSTEM, { invoiceId: 'i1', paymentUrl: 'https://pay.example.com/x' });
    expect(h.run('sendInvoice', 'alice', { invoiceId: 'i1', messageId: 'mi' })).toEqual([{ kind: 'sendMessage', messageId: 'mi' }]);
    expect(h.tx.get('messages', 'mi')?.body).toContain('https://pay.example.com/x');
  });
  it('applies SMS opt-out to the posted message, and sends only drafts', () => {
    create('i1');
    h.run('setContactOptOut', 'admin', { id: 'pat', optedOut: true });
    expect(h.refused('sendInvoice', 'alice', { invoiceId: 'i1', messageId: 'mi' }).code).toBe('opted_out');
    expect(h.tx.get('invoices', 'i1')?.status).toBe('draft');
    h.run('setContactOptOut', 'admin', { id: 'pat', optedOut: false });
    h.run('sendInvoice', 'alice', { invoiceId: 'i1', messageId: 'mi' });
    expect(h.refused('sendInvoice', 'alice', { invoiceId: 'i1', messageId: 'mj' }).code).toBe('invalid');
  });
  it('refuses to send a payment link in an archived conversation', () => {
    create('i1');
    h.run('archiveConversation', 'admin', { conversationId: conv });
    expect(h.refused('sendInvoice', 'alice', { invoiceId: 'i1', messageId: 'mi' }).code).toBe('invalid');
    expect(h.refused('createCheckout', 'alice', { id: 'k1', conversationId: conv, description: 'D', amount: 1, currency: 'GBP', messageId: 'mk' }).code).toBe('invalid');
  });
  it('marks paid: admins only, from sent', () => {
    create('i1', 'alice', { send: true, messageId: 'mi' });
    expect(h.refused('markInvoicePaid', 'alice', { invoiceId: 'i1' }).code).toBe('forbidden');
    h.run('markInvoicePaid', 'admin', { invoiceId: 'i1' });
    expect(h.tx.get('invoices', 'i1')).toMatchObject({ status: 'paid', paidAt: h.now });
    expect(h.refused('markInvoicePaid', 'admin', { invoiceId: 'i1' }).code).toBe('invalid');
  });
  it('voids: admins or the creator, from draft or sent', () => {
    create('i1');
    expect(h.refused('voidInvoice', 'bob', { invoiceId: 'i1' }).code).toBe('forbidden');
    h.run('voidInvoice', 'alice', { invoiceId: 'i1' });
    expect(h.tx.get('invoices', 'i1')?.status).toBe('void');
    expect(h.refused('voidInvoice', 'admin', { invoiceId: 'i1' }).code).toBe('invalid');
    create('i2', 'bob', { send: true, messageId: 'mi' });
    h.run('voidInvoice', 'admin', { invoiceId: 'i2' });
  });
  it('setPaymentStatus: paid, refunded → void, unknown ignored', () => {
    create('i1', 'alice', { send: true, messageId: 'mi' });
    h.run('setPaymentStatus', SYSTEM, { invoiceId: 'i1', status: 'paid' });
    expect(h.tx.get('invoices', 'i1')?.status).toBe('paid');
    h.run('setPaymentStatus', SYSTEM, { invoiceId: 'i1', status: 'refunded' });
    expect(h.tx.get('invoices', 'i1')?.status).toBe('void');
    h.run('setPaymentStatus', SYSTEM, { invoiceId: 'ghost', status: 'paid' });
    expect(() => h.run('setPaymentStatus', SYSTEM, { status: 'paid' })).toThrow(/exactly one/);
  });
});

describe('checkouts', () => {
  const checkout = (as = 'alice') => h.run('createCheckout', as, { id: 'k1', conversationId: conv, description: 'Deposit', amount: 2000, currency: 'GBP', messageId: 'mk' });
  it('creates an open checkout and a link message waiting for its link', () => {
    expect(checkout()).toEqual([{ kind: 'checkoutLink', checkoutId: 'k1' }]);
    expect(h.tx.get('checkouts', 'k1')).toMatchObject({ status: 'open', createdBy: 'alice' });
    expect(h.tx.get('messages', 'mk')).toMatchObject({ paymentRef: 'checkout:k1', status: 'queued' });
    expect(h.run('setPaymentLink', SYSTEM, { checkoutId: 'k1', paymentUrl: 'https://pay.example.com/k1' })).toEqual([{ kind: 'sendMessage', messageId: 'mk' }]);
    expect(h.tx.get('messages', 'mk')?.body).toBe('Deposit: £20.00. Pay here: https://pay.example.com/k1');
    expect(h.tx.get('conversations', conv)?.lastPreview).toBe('Deposit: £20.00. Pay here: https://pay.example.com/k1');
  });
  it('refuses people who cannot see the conversation', () => {
    expect(() => checkout('carol')).toThrow();
  });
  it('marks paid: admins only', () => {
    checkout();
    expect(h.refused('markCheckoutPaid', 'alice', { checkoutId: 'k1' }).code).toBe('forbidden');
    h.run('markCheckoutPaid', 'admin', { checkoutId: 'k1' });
    expect(h.tx.get('checkouts', 'k1')?.status).toBe('paid');
  });
  it('expires: admins or the creator', () => {
    checkout();
    expect(h.refused('expireCheckout', 'bob', { checkoutId: 'k1' }).code).toBe('forbidden');
    h.run('expireCheckout', 'alice', { checkoutId: 'k1' });
    expect(h.tx.get('checkouts', 'k1')?.status).toBe('expired');
  });
  it('follows provider statuses', () => {
    checkout();
    h.run('setPaymentStatus', SYSTEM, { checkoutId: 'k1', status: 'paid' });
    expect(h.tx.get('checkouts', 'k1')).toMatchObject({ status: 'paid', paidAt: h.now });
  });
});
