// Snooze, labels and saved views, send later through the core: offline (queued, synced),
// the trigger-kept inbox tables (counts, unread, label index), the filters, and the
// notification when the relay wakes a conversation.
import { afterEach, describe, expect, it } from 'vitest';
import { startTestRelay, type TestOrg } from '../../../server/testing';
import type { BridgeEvent, ConversationListItem } from '../../../shared/bridge';
import { newCore, settled, signIn, waitFor, type TestCore } from './harness';
import { tempDir } from './helpers';

let org: TestOrg | null = null;
const cores: TestCore[] = [];
afterEach(async () => {
  for (const c of cores.splice(0)) await c.close();
  await org?.relay.close();
  org = null;
});

const asAdmin = (o: TestOrg, name: string, args: unknown) => o.relay.services.engine.runAs({ userId: o.admin.id, role: 'admin' }, name, args);

async function aliceWithConversation(): Promise<{ o: TestOrg; alice: TestCore; conv: ConversationListItem; relayDir: string; events: BridgeEvent[] }> {
  const relayDir = tempDir('parley-relay-');
  const o = await startTestRelay({ dataDir: relayDir });
  org = o;
  await o.relay.simulator.inbound({ groupId: o.groups.sales.id, from: '+447700900610', body: 'Where is my parcel?', contactName: 'Robin' });
  const alice = newCore();
  cores.push(alice);
  await signIn(alice, o.relay.httpUrl, 'alice@test.parley', o.password);
  await waitFor(async () => (await alice.query('inbox', { view: 'team' })).total === 1, 'the conversation');
  const conv = (await alice.query('inbox', { view: 'team' })).items[0] as ConversationListItem;
  const base = (await o.relay.services.engine.store.rows.get('conversations', conv.id))?.visibilityVersion ?? 0;
  await asAdmin(o, 'manageConversation', { conversationId: conv.id, visibleTo: null, assignees: [o.alice.id], baseVisibilityVersion: base });
  await waitFor(async () => (await alice.query('inbox', { view: 'mine' })).total === 1, 'assigned to alice');
  const events: BridgeEvent[] = [];
  alice.subscribe((e) => events.push(e));
  return { o, alice, conv, relayDir, events };
}

describe('snooze through the core', () => {
  it('offline: leaves the inboxes at once, syncs later, and the relay wakes it unread with a notification', async () => {
    const { o, alice, conv, relayDir, events } = await aliceWithConversation();
    expect((await alice.query('counts', {})).mine).toBe(1);
    const port = o.relay.port;
    await o.relay.close(); // offline
    org = null;
    await waitFor(async () => (await alice.query('syncStatus', {})).state !== 'online', 'offline');
    const until = Date.now() + 2500;
    expect(await alice.mutate('snoozeConversation', { conversationId: conv.id, until })).toMatchObject({ ok: true });
    expect((await alice.query('inbox', { view: 'team' })).total).toBe(0);
    expect((await alice.query('inbox', { view: 'mine' })).total).toBe(0);
    const snoozed = await alice.query('inbox', { view: 'snoozed' });
    expect(snoozed.total).toBe(1);
    expect(snoozed.items[0]).toMatchObject({ id: conv.id, snoozed: true, snoozedUntil: until, pending: true });
    expect(await alice.query('counts', {})).toMatchObject({ mine: 0, teamAll: 0, snoozed: 1 });
    expect((await alice.query('syncStatus', {})).pending).toBe(1);
    // a time already past is refused with a sentence, nothing queued
    expect(await alice.mutate('snoozeConversation', { conversationId: conv.id, until: Date.now() - 1000 })).toMatchObject({ ok: false, message: 'Choose a time in the future.' });

    org = await startTestRelay({ dataDir: relayDir, port });
    await settled(alice);
    expect((await org.relay.services.engine.store.rows.get('conversations', conv.id))).toMatchObject({ snoozedBy: org.alice.id, snoozedUntil: until });
    await alice.mutate('markRead', { targetId: conv.id, at: Date.now() });
    await settled(alice);
    // the relay's timer: back in the inboxes, unread, at the top, and alice is told
    await waitFor(async () => (await alice.query('inbox', { view: 'mine' })).total === 1, 'woken by the relay', 15_000);
    const back = (await alice.query('inbox', { view: 'team' })).items[0] as ConversationListItem;
    expect(back).toMatchObject({ id: conv.id, snoozed: false, unread: true });
    expect(await alice.query('counts', {})).toMatchObject({ mine: 1, teamAll: 1, snoozed: 0 });
    await waitFor(() => events.some((e) => e.type === 'notify' && e.target.id === conv.id && e.title === 'Robin is back'), 'wake notification');
  }, 60_000);

  it('a reply wakes a conversation snoozed until the contact replies', async () => {
    const { o, alice, conv } = await aliceWithConversation();
    expect(await alice.mutate('snoozeConversation', { conversationId: conv.id, until: null })).toMatchObject({ ok: true });
    await settled(alice);
    expect((await alice.query('inbox', { view: 'snoozed' })).items[0]).toMatchObject({ snoozedUntil: null });
    await o.relay.simulator.inbound({ groupId: o.groups.sales.id, from: '+447700900610', body: 'Any update?' });
    await waitFor(async () => (await alice.query('inbox', { view: 'team' })).total === 1, 'woken by the reply');
    expect((await alice.query('inbox', { view: 'snoozed' })).total).toBe(0);
  }, 60_000);
});

describe('labels, filters and saved views through the core', () => {
  it('filters by label, assignee (and Unassigned), channel and unread; a saved view counts its conversations', async () => {
    const { o, alice, conv } = await aliceWithConversation();
    await o.relay.simulator.inbound({ groupId: o.groups.sales.id, from: '+447700900611', body: 'Hi there', contactName: 'Sam' });
    await waitFor(async () => (await alice.query('inbox', { view: 'team' })).total === 2, 'second conversation');
    await asAdmin(o, 'createLabel', { id: 'label-vip', name: 'VIP', color: 'purple' });
    await waitFor(async () => (await alice.query('labels', {})).length === 1, 'the label');
    expect(await alice.mutate('labelConversation', { conversationId: conv.id, labelId: 'label-vip', applied: true })).toMatchObject({ ok: true });
    const labelled = await alice.query('inbox', { view: 'team', labelId: 'label-vip' });
    expect(labelled.items.map((i) => i.id)).toEqual([conv.id]);
    expect(labelled.total).toBe(1);
    expect((labelled.items[0] as ConversationListItem).labels).toEqual(['label-vip']);
    expect((await alice.query('inbox', { view: 'team', assignee: 'unassigned' })).items.map((i) => (i as ConversationListItem).contactName)).toEqual(['Sam']);
    expect((await alice.query('inbox', { view: 'team', assignee: o.alice.id })).items.map((i) => i.id)).toEqual([conv.id]);
    expect((await alice.query('inbox', { view: 'team', channel: 'whatsapp' })).total).toBe(0);
    expect((await alice.query('inbox', { view: 'team', channel: 'sms', unreadOnly: true })).total).toBe(2);
    expect(await alice.mutate('saveView', { id: 'view-1', name: 'VIP', filters: { labelId: 'label-vip', status: 'open' } })).toMatchObject({ ok: true });
    await settled(alice);
    expect(await alice.query('savedViews', {})).toMatchObject([{ view: { id: 'view-1', name: 'VIP' }, total: 1, unread: 1 }]);
    // a deleted label disappears from the rows
    await asAdmin(o, 'deleteLabel', { id: 'label-vip' });
    await waitFor(async () => (await alice.query('labels', {})).length === 0, 'label deleted');
    expect(((await alice.query('inbox', { view: 'team' })).items.find((i) => i.id === conv.id) as ConversationListItem).labels).toEqual([]);
  }, 60_000);
});

describe('send later through the core', () => {
  it('a scheduled reply shows as scheduled, is sent by the relay at its time, and a cancel removes it', async () => {
    const { o, alice, conv } = await aliceWithConversation();
    const sendAt = Date.now() + 1500;
    expect(await alice.mutate('scheduleMessage', { id: 'later-1', conversationId: conv.id, channel: 'sms', body: 'Following up', sendAt })).toMatchObject({ ok: true });
    expect(await alice.mutate('scheduleMessage', { id: 'later-2', conversationId: conv.id, channel: 'sms', body: 'Never mind', sendAt: sendAt + 3_600_000 })).toMatchObject({ ok: true });
    const d = await alice.query('conversation', { id: conv.id });
    expect(d?.messages.find((m) => m.id === 'later-1')).toMatchObject({ status: 'scheduled', scheduledAt: sendAt });
    expect((await alice.query('inbox', { view: 'team' })).items[0]).toMatchObject({ hasScheduled: true });
    expect(await alice.mutate('cancelScheduledMessage', { messageId: 'later-2' })).toMatchObject({ ok: true });
    await settled(alice);
    await waitFor(async () => (await alice.query('conversation', { id: conv.id }))?.messages.find((m) => m.id === 'later-1')?.status === 'delivered', 'sent by the relay');
    const after = await alice.query('conversation', { id: conv.id });
    expect(after?.messages.some((m) => m.id === 'later-2')).toBe(false);
    expect(o.relay.simulator.sent().filter((t) => t.body === 'Following up')).toHaveLength(1);
    expect((await alice.query('inbox', { view: 'team' })).items[0]).toMatchObject({ hasScheduled: false, lastPreview: 'Following up' });
  }, 60_000);
});
