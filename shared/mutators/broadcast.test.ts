import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHarness, standardOrg, SYSTEM, type Harness } from '../test/harness';

let h: Harness;
beforeEach(() => {
  h = createHarness();
  standardOrg(h);
  h.contact('pat', '+447700900123', { name: 'Pat', tags: ['vip'] });
  h.contact('sam', '+447700900456', { name: 'Sam', tags: ['vip'], optedOut: true });
  h.contact('kim', '+447700900789', { name: 'Kim', tags: [] });
});
afterEach(() => h.close());

const bc = { id: 'b1', groupId: 'sales', channel: 'sms' as const, body: 'Sale today' };

describe('sendBroadcast', () => {
  it('plans recipients by tag and skips opted-out contacts at once', () => {
    expect(h.run('sendBroadcast', 'alice', { ...bc, tag: 'vip' })).toEqual([{ kind: 'broadcast', broadcastId: 'b1' }]);
    expect(h.tx.get('broadcasts', 'b1')).toMatchObject({ status: 'sending', total: 2, skipped: 1, sent: 0, createdBy: 'alice' });
    expect(h.tx.get('broadcastRecipients', 'b1:sam')).toMatchObject({ status: 'skipped', reason: 'Opted out of SMS' });
    expect(h.tx.get('broadcastRecipients', 'b1:pat')).toMatchObject({ status: 'pending', groupId: 'sales' });
  });
  it('takes contacts one by one', () => {
    h.run('sendBroadcast', 'admin', { ...bc, contactIds: ['kim', 'pat', 'kim'] });
    expect(h.tx.get('broadcasts', 'b1')?.total).toBe(2);
  });
  it('refuses non-members, both or neither selector, and empty selections', () => {
    expect(h.refused('sendBroadcast', 'carol', { ...bc, tag: 'vip' }).code).toBe('forbidden');
    expect(h.refused('sendBroadcast', 'dave', { ...bc, tag: 'vip' }).code).toBe('forbidden');
    expect(h.refused('sendBroadcast', 'alice', { ...bc, tag: 'vip', contactIds: ['pat'] }).code).toBe('invalid');
    expect(h.refused('sendBroadcast', 'alice', bc).code).toBe('invalid');
    expect(h.refused('sendBroadcast', 'alice', { ...bc, tag: 'nobody' }).code).toBe('invalid');
    expect(h.refused('sendBroadcast', 'alice', { ...bc, contactIds: ['ghost'] }).code).toBe('invalid');
  });
});

describe('recordBroadcastResult', () => {
  it('creates each sent copy in the recipient conversation and finishes when none is pending', () => {
    h.run('sendBroadcast', 'alice', { ...bc, contactIds: ['pat', 'kim'] });
    h.run('receiveInbound', SYSTEM, { groupId: 'sales', channel: 'sms', from: '+447700900123', body: 'hi' });
    const patConv = h.tx.find('conversations', { contactId: 'pat' })[0];
    expect(h.run('recordBroadcastResult', SYSTEM, { broadcastId: 'b1', contactId: 'pat', status: 'sent', messageId: 'bm1' })).toEqual([{ kind: 'sendMessage', messageId: 'bm1' }]);
    expect(h.tx.get('messages', 'bm1')).toMatchObject({ conversationId: patConv?.id, broadcastId: 'b1', authorId: 'alice', body: 'Sale today', status: 'queued' });
    expect(h.tx.get('broadcasts', 'b1')).toMatchObject({ sent: 1, status: 'sending' });
    // retried result: no second copy
    h.run('recordBroadcastResult', SYSTEM, { broadcastId: 'b1', contactId: 'pat', status: 'sent', messageId: 'bm1' });
    h.run('recordBroadcastResult', SYSTEM, { broadcastId: 'b1', contactId: 'kim', status: 'failed', reason: 'Rate limited' });
    expect(h.tx.get('broadcasts', 'b1')).toMatchObject({ sent: 1, failed: 1, status: 'done' });
    expect(h.tx.get('broadcastRecipients', 'b1:kim')).toMatchObject({ status: 'failed', reason: 'Rate limited' });
  });
  it('skips free-form WhatsApp recipients outside the 24-hour window, sends templates to all', () => {
    h.run('receiveInbound', SYSTEM, { groupId: 'sales', channel: 'whatsapp', from: '+447700900123', body: 'hi' });
    h.run('sendBroadcast', 'alice', { ...bc, channel: 'whatsapp', contactIds: ['pat', 'kim'] });
    h.run('recordBroadcastResult', SYSTEM, { broadcastId: 'b1', contactId: 'pat', status: 'sent', messageId: 'w1' });
    h.run('recordBroadcastResult', SYSTEM, { broadcastId: 'b1', contactId: 'kim', status: 'sent', messageId: 'w2' });
    expect(h.tx.get('broadcastRecipients', 'b1:pat')?.status).toBe('sent');
    expect(h.tx.get('broadcastRecipients', 'b1:kim')).toMatchObject({ status: 'skipped', messageId: null });
    expect(h.tx.get('messages', 'w2')).toBeUndefined();
    h.run('sendBroadcast', 'alice', { ...bc, id: 'b2', channel: 'whatsapp', body: '', templateName: 'hello', contactIds: ['kim'] });
    h.run('recordBroadcastResult', SYSTEM, { broadcastId: 'b2', contactId: 'kim', status: 'sent', messageId: 'w3' });
    expect(h.tx.get('messages', 'w3')).toMatchObject({ templateName: 'hello', body: 'Hello from Parley', broadcastId: 'b2' });
  });
  it('broadcasts a template only with every blank filled in, and stops if it is withdrawn', () => {
    const sales = h.tx.get('groups', 'sales');
    if (!sales) throw new Error('no sales group');
    h.tx.put('groups', { ...sales, templates: [...sales.templates, { name: 'promo', language: 'en_GB', body: 'Sale on {{1}} only!' }] });
    const promo = { ...bc, channel: 'whatsapp' as const, templateName: 'promo', contactIds: ['pat', 'kim'] };
    for (const body of ['', 'Sale on {{1}} only!', 'Sale on Monday']) {
      expect(h.refused('sendBroadcast', 'alice', { ...promo, body })).toMatchObject({ code: 'invalid' });
    }
    h.run('sendBroadcast', 'alice', { ...promo, body: 'Sale on Monday only!' });
    h.run('recordBroadcastResult', SYSTEM, { broadcastId: 'b1', contactId: 'pat', status: 'sent', messageId: 'w1' });
    expect(h.tx.get('messages', 'w1')).toMatchObject({ templateName: 'promo', body: 'Sale on Monday only!' });
    h.tx.put('groups', { ...sales, templates: [] });
    h.run('recordBroadcastResult', SYSTEM, { broadcastId: 'b1', contactId: 'kim', status: 'sent', messageId: 'w2' });
    expect(h.tx.get('broadcastRecipients', 'b1:kim')).toMatchObject({ status: 'failed', messageId: null });
    expect(h.tx.get('messages', 'w2')).toBeUndefined();
  });
  it('never writes into a conversation hidden from the sender: skips it with the reason (issue 10 item 6)', () => {
    h.run('receiveInbound', SYSTEM, { groupId: 'sales', channel: 'sms', from: '+447700900123', body: 'private matter' });
    const patConv = h.tx.find('conversations', { contactId: 'pat' })[0];
    if (!patConv) throw new Error('no conversation');
    h.run('manageConversation', 'admin', { conversationId: patConv.id, visibleTo: ['bob'], assignees: [], baseVisibilityVersion: 0 });
    h.run('sendBroadcast', 'alice', { ...bc, contactIds: ['pat', 'kim'] });
    h.run('recordBroadcastResult', SYSTEM, { broadcastId: 'b1', contactId: 'pat', status: 'sent', messageId: 'bm1' });
    h.run('recordBroadcastResult', SYSTEM, { broadcastId: 'b1', contactId: 'kim', status: 'sent', messageId: 'bm2' });
    expect(h.tx.get('broadcastRecipients', 'b1:pat')).toMatchObject({ status: 'skipped', reason: 'Their conversation in this group is not shared with you', messageId: null });
    expect(h.tx.get('messages', 'bm1')).toBeUndefined();
    expect(h.tx.find('messages', { conversationId: patConv.id })).toHaveLength(1);
    expect(h.tx.get('broadcasts', 'b1')).toMatchObject({ sent: 1, skipped: 1, status: 'done' });
    // bob sees it: his broadcast lands in it
    h.run('sendBroadcast', 'bob', { ...bc, id: 'b2', contactIds: ['pat'] });
    h.run('recordBroadcastResult', SYSTEM, { broadcastId: 'b2', contactId: 'pat', status: 'sent', messageId: 'bm3' });
    expect(h.tx.get('messages', 'bm3')?.conversationId).toBe(patConv.id);
  });
  it('creates a conversation for a contact with none open', () => {
    h.run('sendBroadcast', 'alice', { ...bc, contactIds: ['kim'] });
    h.run('recordBroadcastResult', SYSTEM, { broadcastId: 'b1', contactId: 'kim', status: 'sent', messageId: 'bm' });
    const c = h.tx.find('conversations', { contactId: 'kim', groupId: 'sales', status: 'open' });
    expect(c).toHaveLength(1);
    expect(h.tx.get('messages', 'bm')?.conversationId).toBe(c[0]?.id);
  });
});
