import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHarness, standardOrg, SYSTEM, type Harness } from '../test/harness';

let h: Harness;
beforeEach(() => {
  h = createHarness();
  standardOrg(h);
});
afterEach(() => h.close());

const HOUR = 3600_000;
const inbound = (body: string, f: { channel?: 'sms' | 'whatsapp'; from?: string; groupId?: string; providerMessageId?: string; contactName?: string } = {}) =>
  h.run('receiveInbound', SYSTEM, { groupId: f.groupId ?? 'sales', channel: f.channel ?? 'sms', from: f.from ?? '07700 900123', body, providerMessageId: f.providerMessageId, contactName: f.contactName });
const openConvs = (contactId = 'pat', groupId = 'sales') => h.tx.find('conversations', { contactId, groupId, status: 'open' });
const sms = (id: string, as: string, extra: Record<string, unknown> = {}) =>
  ({ id, contactId: 'pat', groupId: 'sales', channel: 'sms' as const, body: 'Hello', newConversationId: `conv-${id}`, ...extra });

describe('sendMessage routing', () => {
  it('creates a conversation when none is open, with no contact defaults', () => {
    h.run('setContactDefaults', 'admin', { id: 'pat', visibleTo: ['alice'], assignees: ['alice'] });
    const effects = h.run('sendMessage', 'bob', sms('m1', 'bob'));
    expect(effects).toEqual([{ kind: 'sendMessage', messageId: 'm1' }]);
    expect(h.conv('conv-m1')).toMatchObject({ status: 'open', visibleTo: null, assignees: [], openedAt: h.now, createdAt: h.now, lastPreview: 'Hello', channel: 'sms' });
    expect(h.tx.get('messages', 'm1')).toMatchObject({ direction: 'outbound', status: 'queued', authorId: 'bob', segments: 1, conversationId: 'conv-m1' });
  });

  it('joins the open conversation instead of creating a second one', () => {
    h.run('sendMessage', 'bob', sms('m1', 'bob'));
    h.tick();
    h.run('sendMessage', 'alice', sms('m2', 'alice'));
    expect(openConvs()).toHaveLength(1);
    expect(h.tx.get('messages', 'm2')?.conversationId).toBe('conv-m1');
  });

  it('treats an archived conversationId as none: a new conversation is created', () => {
    h.run('sendMessage', 'bob', sms('m1', 'bob'));
    h.run('archiveConversation', 'admin', { conversationId: 'conv-m1' });
    h.tick();
    h.run('sendMessage', 'bob', sms('m2', 'bob', { conversationId: 'conv-m1' }));
    expect(h.tx.get('messages', 'm2')?.conversationId).toBe('conv-m2');
    expect(h.conv('conv-m1').status).toBe('archived');
  });

  it('treats a deleted conversationId as none', () => {
    h.run('sendMessage', 'bob', sms('m2', 'bob', { conversationId: 'gone' }));
    expect(h.tx.get('messages', 'm2')?.conversationId).toBe('conv-m2');
  });

  it('after unarchive, routes to the most recently opened of the open conversations', () => {
    h.run('sendMessage', 'bob', sms('m1', 'bob'));
    h.run('archiveConversation', 'admin', { conversationId: 'conv-m1' });
    h.tick();
    h.run('sendMessage', 'bob', sms('m2', 'bob'));
    h.tick();
    h.run('unarchiveConversation', 'alice', { conversationId: 'conv-m1' });
    expect(openConvs()).toHaveLength(2); // the one allowed exception
    h.tick();
    h.run('sendMessage', 'bob', sms('m3', 'bob'));
    expect(h.tx.get('messages', 'm3')?.conversationId).toBe('conv-m1');
    inbound('reply');
    expect(h.tx.find('messages', { conversationId: 'conv-m1', direction: 'inbound' })).toHaveLength(1);
  });

  it('refuses senders outside the group, deactivated users, and hidden conversations', () => {
    expect(h.refused('sendMessage', 'carol', sms('m1', 'carol')).code).toBe('forbidden');
    expect(h.refused('sendMessage', 'dave', sms('m1', 'dave')).code).toBe('forbidden');
    h.run('sendMessage', 'alice', sms('m1', 'alice'));
    h.run('manageConversation', 'admin', { conversationId: 'conv-m1', visibleTo: ['alice'], assignees: [], baseVisibilityVersion: 0 });
    // hidden answers exactly like unknown (issue 10 item 17): given id, or routed without one
    const routed = h.refused('sendMessage', 'bob', sms('m2', 'bob'));
    const byId = h.refused('sendMessage', 'bob', sms('m2', 'bob', { conversationId: 'conv-m1' }));
    const unknown = h.refused('addNote', 'bob', { id: 'n1', conversationId: 'no-such-conversation', body: 'x' });
    const hidden = h.refused('addNote', 'bob', { id: 'n1', conversationId: 'conv-m1', body: 'x' });
    for (const r of [routed, byId, hidden]) expect(r).toEqual(unknown);
    expect(unknown).toEqual({ code: 'not_found', message: 'That conversation does not exist or is not shared with you.' });
    // an admin outside "Visible to" knows it exists, but may not write in it
    expect(h.refused('sendMessage', 'admin', sms('m3', 'admin', { conversationId: 'conv-m1' })).message).toMatch(/confidential/);
    expect(h.tx.get('messages', 'm3')).toBeUndefined();
  });

  it('restricts a new conversation at creation: the first message is created restricted (issue 10 item 3)', () => {
    h.run('sendMessage', 'alice', { ...sms('m1', 'alice'), visibleTo: ['alice'] });
    expect(h.conv('conv-m1')).toMatchObject({ visibleTo: ['alice'], assignees: ['alice'] });
    expect(h.refused('addNote', 'bob', { id: 'n1', conversationId: 'conv-m1', body: 'x' }).code).toBe('not_found');
    // the list must include the sender and only people of the group
    h.contact('sam', '+447700900456');
    expect(h.refused('sendMessage', 'bob', { ...sms('m2', 'bob'), contactId: 'sam', visibleTo: ['alice'] }).message).toMatch(/yourself/);
    expect(h.refused('sendMessage', 'bob', { ...sms('m2', 'bob'), contactId: 'sam', visibleTo: ['bob', 'carol'] }).code).toBe('invalid');
    // an existing open conversation is never silently used for a restricted first message
    h.run('manageConversation', 'alice', { conversationId: 'conv-m1', visibleTo: null, assignees: [], baseVisibilityVersion: 0 });
    expect(h.refused('sendMessage', 'alice', { ...sms('m3', 'alice'), visibleTo: ['alice'] }).code).toBe('conflict');
  });

  it('refuses a conversation of another contact', () => {
    h.contact('sam', '+447700900456');
    h.run('sendMessage', 'alice', sms('m1', 'alice'));
    expect(h.refused('sendMessage', 'alice', { ...sms('m2', 'alice'), contactId: 'sam', conversationId: 'conv-m1' }).code).toBe('invalid');
  });
});

describe('sendMessage SMS rules', () => {
  it('refuses an opted-out contact', () => {
    h.run('setContactOptOut', 'admin', { id: 'pat', optedOut: true });
    expect(h.refused('sendMessage', 'alice', sms('m1', 'alice')).code).toBe('opted_out');
  });
  it('refuses attachments and locations', () => {
    const att = { id: 'a'.repeat(64), name: 'x.pdf', mime: 'application/pdf', size: 10 };
    expect(h.refused('sendMessage', 'alice', sms('m1', 'alice', { attachments: [att] })).code).toBe('sms_no_attachments');
    expect(h.refused('sendMessage', 'alice', sms('m1', 'alice', { location: { lat: 1, lng: 2 } })).code).toBe('sms_no_attachments');
  });
  it('requires a body of at most 1600 characters and counts segments', () => {
    expect(h.refused('sendMessage', 'alice', sms('m1', 'alice', { body: '  ' })).code).toBe('invalid');
    expect(h.refused('sendMessage', 'alice', sms('m1', 'alice', { body: 'x'.repeat(1601) })).code).toBe('invalid');
    h.run('sendMessage', 'alice', sms('m1', 'alice', { body: 'x'.repeat(400) }));
    expect(h.tx.get('messages', 'm1')?.segments).toBe(3);
  });
});

describe('sendMessage WhatsApp window', () => {
  const wa = (id: string, extra: Record<string, unknown> = {}) => ({ ...sms(id, 'alice'), channel: 'whatsapp' as const, ...extra });

  it('is closed when the contact never wrote on WhatsApp', () => {
    expect(h.refused('sendMessage', 'alice', wa('m1')).code).toBe('whatsapp_window_closed');
  });
  it('allows free-form within 24 hours of the last inbound, refuses after', () => {
    inbound('hi', { channel: 'whatsapp' });
    h.tick(23 * HOUR);
    h.run('sendMessage', 'alice', wa('m1'));
    h.tick(2 * HOUR);
    expect(h.refused('sendMessage', 'alice', wa('m2')).code).toBe('whatsapp_window_closed');
    h.run('sendMessage', 'alice', wa('m3', { templateName: 'hello', body: '' }));
    expect(h.tx.get('messages', 'm3')).toMatchObject({ templateName: 'hello', body: 'Hello from Parley' });
    expect(h.refused('sendMessage', 'alice', wa('m4', { templateName: 'unknown' })).code).toBe('invalid');
  });
  it('sends a template only with every blank filled in, inside or outside the window', () => {
    const sales = h.tx.get('groups', 'sales');
    if (!sales) throw new Error('no sales group');
    h.tx.put('groups', { ...sales, templates: [...sales.templates, { name: 'order_update', language: 'en_GB', body: 'Hi {{1}}, order {{2}} (ready?) is in.' }] });
    const order = (id: string, body: string) => wa(id, { templateName: 'order_update', body });
    const refusal = 'Outside the 24-hour window only an approved template can be sent, with every blank filled in.';
    // outside the window (the contact never wrote)
    h.run('sendMessage', 'alice', order('m1', 'Hi Pat, order #42 (ready?) is in.'));
    expect(h.tx.get('messages', 'm1')).toMatchObject({ templateName: 'order_update', body: 'Hi Pat, order #42 (ready?) is in.', status: 'queued' });
    for (const [id, body] of [['m2', ''], ['m3', 'Hi {{1}}, order {{2}} (ready?) is in.'], ['m4', 'Hi Pat, order  (ready?) is in.'], ['m5', 'Hi Pat, order #42 is in. Buy more!'], ['m6', 'anything at all']]) {
      expect(h.refused('sendMessage', 'alice', order(id as string, body as string))).toMatchObject({ code: 'invalid', message: refusal });
    }
    expect(h.refused('sendMessage', 'alice', wa('m7', { templateName: 'unknown' }))).toMatchObject({ code: 'invalid', message: refusal });
    // inside the window a template name still needs the template's text
    inbound('hi', { channel: 'whatsapp' });
    expect(h.refused('sendMessage', 'alice', order('m8', 'Free text'))).toMatchObject({ code: 'invalid', message: refusal });
    h.run('sendMessage', 'alice', wa('m9', { body: 'Free text' }));
    expect(h.tx.get('messages', 'm9')?.templateName).toBeNull();
  });
  it('for a new conversation uses the contact latest inbound WhatsApp message in the group', () => {
    inbound('hi', { channel: 'whatsapp' });
    const conv = openConvs()[0];
    h.run('archiveConversation', 'admin', { conversationId: conv?.id ?? '' });
    h.tick(HOUR);
    h.run('sendMessage', 'alice', wa('m1'));
    expect(h.tx.get('messages', 'm1')?.conversationId).toBe('conv-m1');
  });
  it('allows attachments and locations but needs something to send', () => {
    inbound('hi', { channel: 'whatsapp' });
    const att = { id: 'a'.repeat(64), name: 'x.pdf', mime: 'application/pdf', size: 10 };
    h.run('sendMessage', 'alice', wa('m1', { body: '', attachments: [att] }));
    expect(h.conv(h.tx.get('messages', 'm1')?.conversationId ?? '').lastPreview).toBe('📎 x.pdf');
    h.run('sendMessage', 'alice', wa('m2', { body: '', location: { lat: 51.5, lng: -0.1 } }));
    expect(h.refused('sendMessage', 'alice', wa('m3', { body: ' ' })).code).toBe('invalid');
  });
});

describe('receiveInbound', () => {
  it('creates the contact and a conversation with the contact defaults', () => {
    inbound('Hello there', { from: '+44 7700 900555', contactName: 'Newbie' });
    const c = h.tx.find('contacts', { phone: '+447700900555' })[0];
    expect(c).toMatchObject({ name: 'Newbie' });
    h.run('setContactDefaults', 'admin', { id: 'pat', visibleTo: ['alice', 'bob'], assignees: ['bob'] });
    inbound('hi');
    expect(openConvs()[0]).toMatchObject({ visibleTo: ['alice', 'bob'], assignees: ['bob'], lastInboundAt: h.now, lastPreview: 'hi', lastActivityAt: h.now });
  });
  it('never hides a conversation from its own group through contact defaults (issue 10 item 5)', () => {
    // carol is in support only: an org-wide default naming her applies to sales as "nobody listed"
    h.run('setContactDefaults', 'admin', { id: 'pat', visibleTo: ['carol'], assignees: ['carol'] });
    inbound('hi');
    expect(openConvs()[0]).toMatchObject({ visibleTo: null, assignees: [] });
    // in support the same defaults keep carol
    inbound('hi support', { groupId: 'support' });
    expect(openConvs('pat', 'support')[0]).toMatchObject({ visibleTo: ['carol'], assignees: ['carol'] });
    // a mixed list keeps the group's members only (dave is deactivated)
    h.run('setContactDefaults', 'admin', { id: 'pat', visibleTo: ['carol', 'bob', 'dave'], assignees: ['carol', 'bob'] });
    h.run('archiveConversation', 'admin', { conversationId: openConvs()[0]?.id ?? '' });
    inbound('again');
    expect(openConvs()[0]).toMatchObject({ visibleTo: ['bob'], assignees: ['bob'] });
  });
  it('names an unknown sender by number', () => {
    inbound('x', { from: '07700900666' });
    expect(h.tx.find('contacts', { phone: '+447700900666' })[0]?.name).toBe('+447700900666');
  });
  it('ignores a duplicate providerMessageId', () => {
    inbound('x', { providerMessageId: 'SM1' });
    inbound('x', { providerMessageId: 'SM1' });
    expect(h.tx.find('messages', {})).toHaveLength(1);
  });
  it.each(['STOP', ' stop ', 'Unsubscribe', 'STOPALL', 'cancel', 'END', 'quit'])('%s opts out, and the message is kept', (word) => {
    inbound(word);
    expect(h.tx.get('contacts', 'pat')?.optedOut).toBe(true);
    expect(h.tx.find('messages', { direction: 'inbound' })).toHaveLength(1);
  });
  it.each(['START', 'unstop', 'Yes'])('%s opts back in', (word) => {
    h.run('setContactOptOut', 'admin', { id: 'pat', optedOut: true });
    inbound(word);
    expect(h.tx.get('contacts', 'pat')?.optedOut).toBe(false);
  });
  it('does not treat a sentence containing stop as opt-out', () => {
    inbound('please stop by tomorrow');
    expect(h.tx.get('contacts', 'pat')?.optedOut).toBe(false);
  });
  it('keeps the preview to one line of at most 140 characters', () => {
    inbound(`line one\nline two ${'x'.repeat(200)}`);
    const p = openConvs()[0]?.lastPreview ?? '';
    expect(p.startsWith('line one line two')).toBe(true);
    expect([...p]).toHaveLength(140);
  });
});

describe('updateDeliveryStatus', () => {
  beforeEach(() => {
    h.run('sendMessage', 'alice', sms('m1', 'alice'));
  });
  const status = (s: 'queued' | 'sent' | 'delivered' | 'read' | 'failed', failureReason?: string) =>
    h.run('updateDeliveryStatus', SYSTEM, { messageId: 'm1', status: s, failureReason, providerMessageId: 'SM9' });

  it('moves forward and never backwards', () => {
    status('delivered');
    status('sent');
    expect(h.tx.get('messages', 'm1')).toMatchObject({ status: 'delivered', providerMessageId: 'SM9' });
    status('read');
    status('failed', 'late');
    expect(h.tx.get('messages', 'm1')?.status).toBe('read');
  });
  it('fails from queued or sent with the reason kept', () => {
    status('sent');
    status('failed', 'Unreachable handset');
    expect(h.tx.get('messages', 'm1')).toMatchObject({ status: 'failed', failureReason: 'Unreachable handset' });
    status('delivered');
    expect(h.tx.get('messages', 'm1')?.status).toBe('failed');
  });
  it('keeps the first provider message id across per-part callbacks of a multi-part SMS', () => {
    h.run('updateDeliveryStatus', SYSTEM, { messageId: 'm1', status: 'sent', providerMessageId: 'SM-part1' });
    h.run('updateDeliveryStatus', SYSTEM, { messageId: 'm1', status: 'delivered', providerMessageId: 'SM-part2' });
    h.run('updateDeliveryStatus', SYSTEM, { messageId: 'm1', status: 'sent', providerMessageId: 'SM-part3' });
    expect(h.tx.get('messages', 'm1')).toMatchObject({ status: 'delivered', providerMessageId: 'SM-part1' });
  });
  it('ignores unknown messages', () => {
    expect(() => h.run('updateDeliveryStatus', SYSTEM, { messageId: 'nope', status: 'sent' })).not.toThrow();
  });
});
