// Issue 10 "Trust", payments and channels: the rules the relay enforces through the shared mutators.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHarness, standardOrg, SYSTEM, type Harness } from '../test/harness';

let h: Harness;
beforeEach(() => {
  h = createHarness();
  standardOrg(h);
});
afterEach(() => h.close());

const HOUR = 3600_000;
const PAY_TEMPLATE = { name: 'payment_link', language: 'en_GB', body: 'Hello, {{1}}. You can pay here: {{2}}', forPayments: true };
const inbound = (channel: 'sms' | 'whatsapp', body = 'hi') => h.run('receiveInbound', SYSTEM, { groupId: 'sales', channel, from: '07700 900123', body });
const whatsapp = (id: string, extra: Record<string, unknown> = {}) =>
  ({ id, contactId: 'pat', groupId: 'sales', channel: 'whatsapp' as const, body: 'Hello there', newConversationId: `conv-${id}`, ...extra });

describe('item 12: the 24-hour window counts only inbound WhatsApp messages', () => {
  it('an inbound SMS does not open the WhatsApp window', () => {
    inbound('whatsapp');
    h.tick(25 * HOUR);
    inbound('sms', 'are you there?'); // the conversation's last inbound is now an SMS of a moment ago
    const r = h.refused('sendMessage', 'alice', whatsapp('m1'));
    expect(r).toEqual({ code: 'whatsapp_window_closed', message: expect.stringContaining('24 hours') as unknown });
    inbound('whatsapp', 'ok here');
    h.tick();
    expect(() => h.run('sendMessage', 'alice', whatsapp('m2'))).not.toThrow();
  });

  const invoiceOnStaleWhatsApp = () => {
    inbound('whatsapp');
    const conv = h.tx.find('conversations', { contactId: 'pat' })[0]?.id ?? '';
    h.tick(25 * HOUR);
    return conv;
  };
  const lineItems = [{ description: 'Repair', quantity: 1, unitAmount: 4500 }];

  it('a payment link outside the window is refused with the reason when the group has no payment template', () => {
    const conv = invoiceOnStaleWhatsApp();
    const r = h.refused('createInvoice', 'alice', { id: 'i1', conversationId: conv, currency: 'GBP', lineItems, dueDate: '2026-12-03', send: true, messageId: 'mi' });
    expect(r.code).toBe('whatsapp_window_closed');
    expect(r.message).toBe(
      'More than 24 hours have passed since Pat last wrote on WhatsApp, and sales has no approved template for payment links. Send the link by SMS, or ask an admin to mark a template "for payment links" in Channels and payments.',
    );
    expect(h.tx.get('messages', 'mi')).toBeUndefined();
  });

  it('a payment link outside the window goes as the payment template, the link as a blank', () => {
    h.run('saveTemplate', 'admin', { groupId: 'sales', template: PAY_TEMPLATE });
    const conv = invoiceOnStaleWhatsApp();
    const effects = h.run('createInvoice', 'alice', { id: 'i1', conversationId: conv, currency: 'GBP', lineItems, dueDate: '2026-12-03', send: true, messageId: 'mi' });
    expect(effects).toEqual([{ kind: 'paymentLink', invoiceId: 'i1' }]);
    expect(h.tx.get('messages', 'mi')).toMatchObject({ templateName: 'payment_link', channel: 'whatsapp', status: 'queued', body: 'Hello, Invoice INV-000001: £45.00 due 3 Dec 2026. You can pay here: (link to follow)' });
    const long = `https://checkout.stripe.com/c/pay/cs_test_${'a'.repeat(300)}`;
    expect(h.run('setPaymentLink', SYSTEM, { invoiceId: 'i1', paymentUrl: long })).toEqual([{ kind: 'sendMessage', messageId: 'mi' }]);
    expect(h.tx.get('messages', 'mi')?.body).toBe(`Hello, Invoice INV-000001: £45.00 due 3 Dec 2026. You can pay here: ${long}`);
  });

  it('inside the window a payment link goes as plain text', () => {
    h.run('saveTemplate', 'admin', { groupId: 'sales', template: PAY_TEMPLATE });
    inbound('whatsapp');
    const conv = h.tx.find('conversations', { contactId: 'pat' })[0]?.id ?? '';
    h.run('createInvoice', 'alice', { id: 'i1', conversationId: conv, currency: 'GBP', lineItems, dueDate: '2026-12-03', send: true, messageId: 'mi' });
    expect(h.tx.get('messages', 'mi')).toMatchObject({ templateName: null, body: 'Invoice INV-000001: £45.00 due 3 Dec 2026. Pay here: (link to follow)' });
  });
});

describe('item 13: no silent simulator', () => {
  it('a channel with no provider refuses sends, broadcasts and payment links with the reason', () => {
    h.run('setChannelProvider', SYSTEM, { groupId: 'sales', channel: 'sms', provider: null });
    const r = h.refused('sendMessage', 'alice', { id: 'm1', contactId: 'pat', groupId: 'sales', channel: 'sms', body: 'Hi', newConversationId: 'c1' });
    expect(r).toEqual({ code: 'invalid', message: 'No SMS provider is set up for sales. An admin can add one in Channels and payments.' });
    expect(h.refused('sendBroadcast', 'alice', { id: 'b1', groupId: 'sales', channel: 'sms', body: 'Sale!', contactIds: ['pat'] }).message).toMatch(/^No SMS provider is set up for sales/);
    // WhatsApp still has the simulator chosen
    expect(() => h.run('sendMessage', 'alice', { id: 'm2', contactId: 'pat', groupId: 'sales', channel: 'whatsapp', body: 'Hello from Parley', templateName: 'hello', newConversationId: 'c2' })).not.toThrow();
  });

  it('only admins choose the simulator, and never over a real provider', () => {
    h.run('setChannelProvider', SYSTEM, { groupId: 'sales', channel: 'sms', provider: null });
    expect(h.refused('setChannelSimulated', 'alice', { groupId: 'sales', channel: 'sms', simulated: true }).code).toBe('forbidden');
    h.run('setChannelSimulated', 'admin', { groupId: 'sales', channel: 'sms', simulated: true });
    expect(h.tx.get('groups', 'sales')?.channelProviders).toEqual({ sms: 'simulator', whatsapp: 'simulator' });
    h.run('setChannelProvider', SYSTEM, { groupId: 'sales', channel: 'sms', provider: 'twilio' });
    expect(h.refused('setChannelSimulated', 'admin', { groupId: 'sales', channel: 'sms', simulated: true }).message).toBe(
      "sales's SMS goes through Twilio. Remove that provider account before choosing the simulator.",
    );
  });

  it('a group created in the app has no provider until one is added or the simulator is chosen', () => {
    h.run('createGroup', 'admin', { id: 'g2', name: 'Lettings' });
    expect(h.tx.get('groups', 'g2')?.channelProviders).toEqual({ sms: null, whatsapp: null });
  });
});

describe('item 11: WhatsApp templates managed by admins', () => {
  it('adds, edits, renames and removes templates; agents may not', () => {
    const t = { name: 'order_ready', language: 'en', body: 'Your order {{1}} is ready', providerId: 'HX123' };
    expect(h.refused('saveTemplate', 'alice', { groupId: 'sales', template: t }).code).toBe('forbidden');
    h.run('saveTemplate', 'admin', { groupId: 'sales', template: t });
    expect(h.tx.get('groups', 'sales')?.templates.map((x) => x.name)).toEqual(['hello', 'order_ready']);
    expect(h.refused('saveTemplate', 'admin', { groupId: 'sales', template: { ...t, name: 'hello' } }).message).toBe('sales already has a template named "hello" in en.');
    h.run('saveTemplate', 'admin', { groupId: 'sales', previousName: 'order_ready', template: { ...t, name: 'order_done', body: 'Order {{1}} done, {{2}}' } });
    expect(h.tx.get('groups', 'sales')?.templates[1]).toEqual({ name: 'order_done', language: 'en', body: 'Order {{1}} done, {{2}}', providerId: 'HX123' });
    expect(h.refused('saveTemplate', 'admin', { groupId: 'sales', template: { ...t, body: 'Gap {{1}} {{3}}' } }).message).toBe('The blanks of "order_ready" must be numbered {{1}}, {{2}}, … without gaps.');
    expect(h.refused('saveTemplate', 'admin', { groupId: 'sales', template: { ...t, forPayments: true } }).message).toMatch(/exactly two blanks/);
    h.run('removeTemplate', 'admin', { groupId: 'sales', name: 'order_done' });
    expect(h.tx.get('groups', 'sales')?.templates.map((x) => x.name)).toEqual(['hello']);
    expect(h.refused('removeTemplate', 'admin', { groupId: 'sales', name: 'order_done' }).code).toBe('not_found');
  });

  it('a name may be approved in several languages: each is its own template, edited and removed by name and language', () => {
    const en = { name: 'order_ready', language: 'en', body: 'Your order {{1}} is ready' };
    const es = { name: 'order_ready', language: 'es', body: 'Tu pedido {{1}} está listo' };
    h.run('saveTemplate', 'admin', { groupId: 'sales', template: en });
    h.run('saveTemplate', 'admin', { groupId: 'sales', template: es });
    const list = () => h.tx.get('groups', 'sales')?.templates.map((x) => `${x.name}/${x.language}`);
    expect(list()).toEqual(['hello/en', 'order_ready/en', 'order_ready/es']);
    expect(h.refused('saveTemplate', 'admin', { groupId: 'sales', template: { ...es, body: 'Otro {{1}}' } }).message).toBe('sales already has a template named "order_ready" in es.');
    // the name alone no longer says which one
    expect(h.refused('removeTemplate', 'admin', { groupId: 'sales', name: 'order_ready' }).message).toBe('sales has "order_ready" in several languages (en, es): say which one.');
    expect(h.refused('saveTemplate', 'admin', { groupId: 'sales', previousName: 'order_ready', template: { ...en, body: 'Order {{1}} ready' } }).code).toBe('invalid');
    h.run('saveTemplate', 'admin', { groupId: 'sales', previousName: 'order_ready', previousLanguage: 'es', template: { ...es, body: 'Su pedido {{1}} está listo' } });
    expect(h.tx.get('groups', 'sales')?.templates.find((x) => x.language === 'es')?.body).toBe('Su pedido {{1}} está listo');
    expect(h.audits.at(-1)).toMatchObject({ action: 'templateSaved', entry: { targetName: 'sales: order_ready (es)' } });
    // a text picks its language: the Spanish one goes as the Spanish template
    h.run('sendMessage', 'alice', { id: 'mes', contactId: 'pat', groupId: 'sales', channel: 'whatsapp', body: 'Su pedido #7 está listo', templateName: 'order_ready', newConversationId: 'ces' });
    expect(h.tx.get('messages', 'mes')).toMatchObject({ templateName: 'order_ready', status: 'queued' });
    // no text: a name in one language goes as that template; in several, the text is what says which
    h.run('saveTemplate', 'admin', { groupId: 'sales', template: { name: 'closed', language: 'en', body: 'We are closed today' } });
    h.run('sendMessage', 'alice', { id: 'mcl', contactId: 'pat', groupId: 'sales', conversationId: 'ces', channel: 'whatsapp', body: '', templateName: 'closed' });
    expect(h.tx.get('messages', 'mcl')).toMatchObject({ templateName: 'closed', body: 'We are closed today' });
    h.run('saveTemplate', 'admin', { groupId: 'sales', template: { name: 'closed', language: 'es', body: 'Hoy está cerrado' } });
    expect(h.refused('sendMessage', 'alice', { id: 'mcl2', contactId: 'pat', groupId: 'sales', conversationId: 'ces', channel: 'whatsapp', body: ' ', templateName: 'closed' }).message).toBe('sales has "closed" in several languages (en, es): write the message in the language to send.');
    expect(h.refused('sendBroadcast', 'alice', { id: 'bcl', groupId: 'sales', channel: 'whatsapp', body: '', templateName: 'closed', contactIds: ['pat'] }).message).toBe('sales has "closed" in several languages (en, es): write the message in the language to send.');
    h.run('sendMessage', 'alice', { id: 'mcl3', contactId: 'pat', groupId: 'sales', conversationId: 'ces', channel: 'whatsapp', body: 'Hoy está cerrado', templateName: 'closed' });
    expect(h.tx.get('messages', 'mcl3')?.body).toBe('Hoy está cerrado');
    h.run('removeTemplate', 'admin', { groupId: 'sales', name: 'closed', language: 'es' });
    h.run('removeTemplate', 'admin', { groupId: 'sales', name: 'closed' });
    // fetched again: each language updated in place, none lost
    h.run('importTemplates', SYSTEM, { groupId: 'sales', templates: [{ ...en, body: 'Ready: {{1}}' }, { ...es, body: 'Listo: {{1}}' }, { name: 'order_ready', language: 'fr', body: 'Prête : {{1}}' }] });
    expect(h.tx.get('groups', 'sales')?.templates.map((x) => `${x.language}:${x.body}`)).toEqual(['en:Hello from Parley', 'en:Ready: {{1}}', 'es:Listo: {{1}}', 'fr:Prête : {{1}}']);
    h.run('removeTemplate', 'admin', { groupId: 'sales', name: 'order_ready', language: 'es' });
    expect(list()).toEqual(['hello/en', 'order_ready/en', 'order_ready/fr']);
  });

  it('one template carries payment links; fetched templates are added or updated by name and language', () => {
    h.run('saveTemplate', 'admin', { groupId: 'sales', template: PAY_TEMPLATE });
    h.run('saveTemplate', 'admin', { groupId: 'sales', template: { ...PAY_TEMPLATE, name: 'pay2' } });
    expect(h.tx.get('groups', 'sales')?.templates.filter((t) => t.forPayments).map((t) => t.name)).toEqual(['pay2']);
    h.run('importTemplates', SYSTEM, { groupId: 'sales', templates: [{ name: 'hello', language: 'en', body: 'Hello from Parley, {{1}}' }, { name: 'new_one', language: 'fr', body: 'Bonjour' }] });
    expect(h.tx.get('groups', 'sales')?.templates.map((t) => [t.name, t.body])).toEqual([
      ['hello', 'Hello from Parley, {{1}}'],
      ['payment_link', PAY_TEMPLATE.body],
      ['pay2', PAY_TEMPLATE.body],
      ['new_one', 'Bonjour'],
    ]);
  });
});

describe('item 7: merging contacts keeps at most one open conversation per (contact, group)', () => {
  const sms = (id: string, contactId: string, conv: string) => h.run('sendMessage', 'alice', { id, contactId, groupId: 'sales', channel: 'sms', body: `hello ${id}`, newConversationId: conv });
  const openOf = (contactId: string) => h.tx.find('conversations', { contactId, status: 'open' });

  it('merges two open conversations visible to the same people: messages, notes and invoices move, nothing is lost', () => {
    h.contact('sam', '+447700900456', { name: 'Sam' });
    sms('m1', 'pat', 'c-pat');
    h.tick();
    sms('m2', 'sam', 'c-sam');
    h.run('addNote', 'bob', { id: 'n1', conversationId: 'c-pat', body: 'called back' });
    h.run('createInvoice', 'alice', { id: 'i1', conversationId: 'c-pat', currency: 'GBP', lineItems: [{ description: 'Fix', quantity: 1, unitAmount: 100 }], dueDate: '2026-12-03' });
    h.run('mergeContacts', 'admin', { intoId: 'sam', fromId: 'pat' });
    expect(openOf('sam').map((c) => c.id)).toEqual(['c-sam']);
    expect(h.tx.get('conversations', 'c-pat')).toBeUndefined();
    expect(h.tx.find('messages', { conversationId: 'c-sam' }).map((m) => m.id).sort()).toEqual(['m1', 'm2']);
    expect(h.tx.get('notes', 'n1')?.conversationId).toBe('c-sam');
    expect(h.tx.get('invoices', 'i1')?.conversationId).toBe('c-sam');
  });

  it('archives the older one when they are visible to different people (merging would reveal restricted content)', () => {
    h.contact('sam', '+447700900456', { name: 'Sam' });
    sms('m1', 'pat', 'c-pat');
    h.run('manageConversation', 'admin', { conversationId: 'c-pat', visibleTo: ['alice'], assignees: [], baseVisibilityVersion: 0 });
    h.tick();
    sms('m2', 'sam', 'c-sam');
    h.run('mergeContacts', 'admin', { intoId: 'sam', fromId: 'pat' });
    expect(openOf('sam').map((c) => c.id)).toEqual(['c-sam']);
    expect(h.tx.get('conversations', 'c-pat')).toMatchObject({ status: 'archived', contactId: 'sam', visibleTo: ['alice'] });
    expect(h.tx.get('messages', 'm1')?.conversationId).toBe('c-pat');
  });
});

describe('item 14: agents opt a contact out of SMS at its request; opting back in is admin-only', () => {
  it('lets an agent opt out, not back in', () => {
    h.run('setContactOptOut', 'alice', { id: 'pat', optedOut: true });
    expect(h.tx.get('contacts', 'pat')?.optedOut).toBe(true);
    expect(h.refused('setContactOptOut', 'alice', { id: 'pat', optedOut: false })).toEqual({
      code: 'forbidden',
      message: 'Only admins can opt a contact back in to SMS (or the contact, by texting START).',
    });
    h.run('setContactOptOut', 'admin', { id: 'pat', optedOut: false });
    expect(h.tx.get('contacts', 'pat')?.optedOut).toBe(false);
  });
});
