// Labels (admins define, anyone who sees a conversation sets) and saved views (private to
// their owner), enforced by the relay.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuidv7 } from 'uuidv7';
import { startTestRelay, type TestOrg } from '../testing';
import { connectAs, salesConversation } from './helpers';

let org: TestOrg;
beforeAll(async () => {
  org = await startTestRelay();
});
afterAll(async () => {
  await org.relay.close();
});

describe('labels', () => {
  it('admins define labels; anyone who sees the conversation sets them; others are refused', async () => {
    const admin = await connectAs(org, 'admin');
    const alice = await connectAs(org, 'alice');
    const bob = await connectAs(org, 'bob');
    const carol = await connectAs(org, 'carol');
    const vip = uuidv7();
    expect((await alice.mutate('createLabel', { id: uuidv7(), name: 'Nope', color: 'red' })).code).toBe('forbidden');
    expect((await admin.mutate('createLabel', { id: vip, name: 'VIP', color: 'purple' })).status).toBe('ok');
    expect((await admin.mutate('createLabel', { id: uuidv7(), name: 'vip', color: 'red' })).message).toBe('There is already a label named "VIP".');
    await bob.waitFor('poke', () => bob.row('labels', vip) !== undefined);
    expect(carol.row('labels', vip) ?? (await carol.waitFor('poke', () => carol.row('labels', vip) !== undefined), carol.row('labels', vip))).toMatchObject({ name: 'VIP', color: 'purple' });

    const { convId } = await salesConversation(org, admin, alice);
    expect((await bob.mutate('labelConversation', { conversationId: convId, labelId: vip, applied: true })).status).toBe('ok');
    expect(bob.row('conversations', convId)?.labels).toEqual([vip]);
    const hidden = await carol.mutate('labelConversation', { conversationId: convId, labelId: vip, applied: true });
    expect(hidden).toMatchObject({ status: 'rejected', code: 'not_found' }); // hidden from her: as if it did not exist
    expect((await bob.mutate('labelConversation', { conversationId: convId, labelId: uuidv7(), applied: true })).code).toBe('not_found');
    // two people toggling: each toggle is one label on or off
    expect((await alice.mutate('labelConversation', { conversationId: convId, labelId: vip, applied: true })).status).toBe('ok');
    expect(alice.row('conversations', convId)?.labels).toEqual([vip]);
    expect((await admin.mutate('updateLabel', { id: vip, name: 'Key account', color: 'blue' })).status).toBe('ok');
    expect((await alice.mutate('deleteLabel', { id: vip })).code).toBe('forbidden');
    expect((await admin.mutate('deleteLabel', { id: vip })).status).toBe('ok');
    await alice.waitFor('poke', () => alice.row('labels', vip) === undefined);
    expect((await alice.mutate('labelConversation', { conversationId: convId, labelId: vip, applied: false })).status).toBe('ok');
    expect(alice.row('conversations', convId)?.labels).toEqual([]);
    await Promise.all([admin.close(), alice.close(), bob.close(), carol.close()]);
  });

  it('a saved view reaches only its owner, and only the owner changes it', async () => {
    const alice = await connectAs(org, 'alice');
    const bob = await connectAs(org, 'bob');
    const id = uuidv7();
    expect((await alice.mutate('saveView', { id, name: 'My WhatsApp', filters: { channel: 'whatsapp', unreadOnly: true } })).status).toBe('ok');
    expect(alice.row('savedViews', id)).toMatchObject({ userId: org.alice.id, name: 'My WhatsApp', filters: { channel: 'whatsapp', unreadOnly: true } });
    expect((await bob.mutate('saveView', { id, name: 'Mine now', filters: {} })).code).toBe('forbidden');
    expect((await bob.mutate('deleteView', { id })).code).toBe('forbidden');
    expect(bob.row('savedViews', id)).toBeUndefined();
    const bobLater = await connectAs(org, 'bob'); // nor in a full sync
    expect(bobLater.row('savedViews', id)).toBeUndefined();
    expect((await alice.mutate('saveView', { id: uuidv7(), name: ' ', filters: {} })).code).toBe('invalid');
    expect((await alice.mutate('deleteView', { id })).status).toBe('ok');
    expect(alice.row('savedViews', id)).toBeUndefined();
    await Promise.all([alice.close(), bob.close(), bobLater.close()]);
  });
});
