// Relay timers: a snoozed conversation wakes and a scheduled message is sent at its time,
// by the relay, with nobody online; the rules of send later are checked at send time; the
// timer rows follow the synced rows (and survive a restart).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuidv7 } from 'uuidv7';
import { startTestRelay, type TestOrg } from '../testing';
import { connectAs, salesConversation } from './helpers';
import type { WsTestClient } from './wsClient';

let org: TestOrg;
beforeAll(async () => {
  org = await startTestRelay();
});
afterAll(async () => {
  await org.relay.close();
});

const timerRows = (o: TestOrg) =>
  o.relay.services.store.all<{ id: string; kind: string; targetId: string; dueAt: number }>('SELECT id, kind, target_id AS "targetId", due_at AS "dueAt" FROM timers ORDER BY due_at');

/** A sales conversation assigned to alice, with one inbound message alice has read. */
async function assignedToAlice(admin: WsTestClient, alice: WsTestClient): Promise<{ convId: string; contactId: string; phone: string }> {
  const { convId, contactId } = await salesConversation(org, admin, alice);
  const base = alice.row('conversations', convId)?.visibilityVersion ?? 0;
  expect((await alice.mutate('manageConversation', { conversationId: convId, visibleTo: null, assignees: [org.alice.id], baseVisibilityVersion: base })).status).toBe('ok');
  const phone = alice.row('contacts', contactId)?.phone as string;
  await org.relay.simulator.inbound({ groupId: org.groups.sales.id, from: phone, body: 'Any news?' });
  await alice.waitFor('poke', () => alice.row('conversations', convId)?.lastInboundAt != null);
  expect((await alice.mutate('markRead', { targetId: convId, at: Date.now() })).status).toBe('ok');
  return { convId, contactId, phone };
}

describe('snooze', () => {
  it('the relay wakes a snoozed conversation at its time, unread and at the top, with its author offline', async () => {
    const admin = await connectAs(org, 'admin');
    const alice = await connectAs(org, 'alice');
    const bob = await connectAs(org, 'bob');
    const { convId } = await assignedToAlice(admin, alice);
    const until = Date.now() + 400;
    expect((await alice.mutate('snoozeConversation', { conversationId: convId, until })).status).toBe('ok');
    expect(alice.row('conversations', convId)).toMatchObject({ snoozedBy: org.alice.id, snoozedUntil: until });
    expect((await timerRows(org)).find((t) => t.targetId === convId)).toMatchObject({ kind: 'wake', dueAt: until });
    const readMark = `${org.alice.id}:${convId}`;
    expect(alice.row('readStates', readMark)).toBeDefined();
    await alice.close(); // nobody who snoozed it is online
    await bob.waitFor('poke', () => bob.row('conversations', convId)?.snoozedBy === null, 10_000);
    const woken = bob.row('conversations', convId);
    expect(woken?.wokenAt).toBeGreaterThanOrEqual(until);
    expect(woken?.lastActivityAt).toBeGreaterThanOrEqual(until);
    expect((await timerRows(org)).some((t) => t.targetId === convId)).toBe(false);
    // alice comes back: her read mark is gone, so it is unread for her
    const alice2 = await connectAs(org, 'alice');
    expect(alice2.row('conversations', convId)?.snoozedBy).toBeNull();
    expect(alice2.row('readStates', readMark)).toBeUndefined();
    await Promise.all([admin.close(), bob.close(), alice2.close()]);
  });

  it('an inbound message wakes a conversation snoozed until the contact replies, and removes its timer', async () => {
    const admin = await connectAs(org, 'admin');
    const alice = await connectAs(org, 'alice');
    const { convId, phone } = await assignedToAlice(admin, alice);
    expect((await alice.mutate('snoozeConversation', { conversationId: convId, until: null })).status).toBe('ok');
    expect((await timerRows(org)).some((t) => t.targetId === convId)).toBe(false); // until a reply: no timer
    const later = Date.now() + 3_600_000;
    expect((await alice.mutate('snoozeConversation', { conversationId: convId, until: later })).status).toBe('ok');
    expect((await timerRows(org)).find((t) => t.targetId === convId)?.dueAt).toBe(later);
    await org.relay.simulator.inbound({ groupId: org.groups.sales.id, from: phone, body: 'Hello again' });
    await alice.waitFor('poke', () => alice.row('conversations', convId)?.snoozedBy === null);
    expect(alice.row('conversations', convId)?.wokenAt).not.toBeNull();
    expect((await timerRows(org)).some((t) => t.targetId === convId)).toBe(false);
    await Promise.all([admin.close(), alice.close()]);
  });

  it('only assignees and admins snooze (the rule of archive); archived conversations are refused', async () => {
    const admin = await connectAs(org, 'admin');
    const alice = await connectAs(org, 'alice');
    const bob = await connectAs(org, 'bob');
    const { convId } = await assignedToAlice(admin, alice);
    const r = await bob.mutate('snoozeConversation', { conversationId: convId, until: Date.now() + 60_000 });
    expect(r).toMatchObject({ status: 'rejected', code: 'forbidden', message: 'Only assignees and admins can snooze this conversation.' });
    expect((await admin.mutate('snoozeConversation', { conversationId: convId, until: Date.now() + 60_000 })).status).toBe('ok');
    expect((await bob.mutate('unsnoozeConversation', { conversationId: convId })).code).toBe('forbidden');
    expect((await alice.mutate('unsnoozeConversation', { conversationId: convId })).status).toBe('ok');
    expect((await timerRows(org)).some((t) => t.targetId === convId)).toBe(false);
    expect((await alice.mutate('archiveConversation', { conversationId: convId })).status).toBe('ok');
    const archived = await alice.mutate('snoozeConversation', { conversationId: convId, until: null });
    expect(archived).toMatchObject({ status: 'rejected', code: 'invalid' });
    expect((await alice.mutate('snoozeConversation', { conversationId: convId, until: Date.now() + 400 * 86_400_000 })).code).toBe('invalid');
    expect((await alice.mutate('wakeConversation', { conversationId: convId })).code).toBe('forbidden');
    await Promise.all([admin.close(), alice.close(), bob.close()]);
  });
});

describe('send later', () => {
  it('the relay sends a scheduled reply at its time while its author is offline', async () => {
    const admin = await connectAs(org, 'admin');
    const alice = await connectAs(org, 'alice');
    const { convId } = await assignedToAlice(admin, alice);
    const id = uuidv7();
    const sendAt = Date.now() + 400;
    expect((await alice.mutate('scheduleMessage', { id, conversationId: convId, channel: 'sms', body: 'Your order ships tomorrow', sendAt })).status).toBe('ok');
    expect(alice.row('messages', id)).toMatchObject({ status: 'scheduled', scheduledAt: sendAt });
    expect(alice.row('conversations', convId)?.lastPreview).not.toBe('Your order ships tomorrow'); // not sent yet
    expect(org.relay.simulator.sent().some((t) => t.messageId === id)).toBe(false);
    await alice.close();
    await admin.waitFor('poke', () => admin.row('messages', id)?.status === 'delivered', 10_000);
    expect(admin.row('messages', id)?.createdAt).toBeGreaterThanOrEqual(sendAt);
    expect(admin.row('conversations', convId)?.lastPreview).toBe('Your order ships tomorrow');
    expect(org.relay.simulator.sent().filter((t) => t.messageId === id)).toHaveLength(1);
    expect((await timerRows(org)).some((t) => t.targetId === id)).toBe(false);
    await admin.close();
  });

  it('checks opt-out at send time and shows the refusal on the item', async () => {
    const admin = await connectAs(org, 'admin');
    const alice = await connectAs(org, 'alice');
    const { convId, contactId } = await assignedToAlice(admin, alice);
    const id = uuidv7();
    expect((await alice.mutate('scheduleMessage', { id, conversationId: convId, channel: 'sms', body: 'Reminder', sendAt: Date.now() + 400 })).status).toBe('ok');
    expect((await admin.mutate('setContactOptOut', { id: contactId, optedOut: true })).status).toBe('ok');
    await alice.waitFor('poke', () => alice.row('messages', id)?.status === 'failed', 10_000);
    expect(alice.row('messages', id)?.failureReason).toMatch(/^Not sent: Test Contact has opted out of SMS/);
    expect(org.relay.simulator.sent().some((t) => t.messageId === id)).toBe(false);
    // refused at once when it is already known
    const now = await alice.mutate('scheduleMessage', { id: uuidv7(), conversationId: convId, channel: 'sms', body: 'Again', sendAt: Date.now() + 60_000 });
    expect(now).toMatchObject({ status: 'rejected', code: 'opted_out' });
    await Promise.all([admin.close(), alice.close()]);
  });

  it('checks the WhatsApp window at send time', async () => {
    const admin = await connectAs(org, 'admin');
    const alice = await connectAs(org, 'alice');
    const { convId } = await salesConversation(org, admin, alice); // the contact never wrote: no window
    const id = uuidv7();
    expect((await alice.mutate('scheduleMessage', { id, conversationId: convId, channel: 'whatsapp', body: 'Photos attached soon', sendAt: Date.now() + 300 })).status).toBe('ok');
    await alice.waitFor('poke', () => alice.row('messages', id)?.status === 'failed', 10_000);
    expect(alice.row('messages', id)?.failureReason).toMatch(/^Not sent: More than 24 hours have passed/);
    await Promise.all([admin.close(), alice.close()]);
  });

  it('edit and cancel while scheduled: author or admin only; a cancelled message is never sent', async () => {
    const admin = await connectAs(org, 'admin');
    const alice = await connectAs(org, 'alice');
    const bob = await connectAs(org, 'bob');
    const { convId } = await assignedToAlice(admin, alice);
    const id = uuidv7();
    const sendAt = Date.now() + 3_600_000;
    expect((await alice.mutate('scheduleMessage', { id, conversationId: convId, channel: 'sms', body: 'Draft', sendAt })).status).toBe('ok');
    expect((await bob.mutate('editScheduledMessage', { messageId: id, body: 'Hijacked' })).code).toBe('forbidden');
    expect((await alice.mutate('editScheduledMessage', { messageId: id, body: 'Final text', sendAt: sendAt + 60_000 })).status).toBe('ok');
    expect(alice.row('messages', id)).toMatchObject({ body: 'Final text', scheduledAt: sendAt + 60_000 });
    expect((await timerRows(org)).find((t) => t.targetId === id)?.dueAt).toBe(sendAt + 60_000);
    expect((await bob.mutate('cancelScheduledMessage', { messageId: id })).code).toBe('forbidden');
    expect((await alice.mutate('cancelScheduledMessage', { messageId: id })).status).toBe('ok');
    expect(alice.row('messages', id)).toBeUndefined();
    expect((await timerRows(org)).some((t) => t.targetId === id)).toBe(false);
    expect((await alice.mutate('sendScheduledMessage', { messageId: id })).code).toBe('forbidden');
    await Promise.all([admin.close(), alice.close(), bob.close()]);
  });
});

describe('timers across a restart', () => {
  it('a timer that fell due while the relay was stopped runs when it starts', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'parley-timers-'));
    try {
      const first = await startTestRelay({ dataDir });
      const saved = org;
      org = first;
      const admin = await connectAs(first, 'admin');
      const alice = await connectAs(first, 'alice');
      const { convId } = await assignedToAlice(admin, alice);
      const until = Date.now() + 200;
      expect((await alice.mutate('snoozeConversation', { conversationId: convId, until })).status).toBe('ok');
      await Promise.all([admin.close(), alice.close()]);
      await first.relay.close();
      while (Date.now() <= until) await new Promise((r) => setImmediate(r)); // the time passes while it is stopped
      const second = await startTestRelay({ dataDir });
      org = second;
      const admin2 = await connectAs(second, 'admin');
      if (admin2.row('conversations', convId)?.snoozedBy !== null) await admin2.waitFor('poke', () => admin2.row('conversations', convId)?.snoozedBy === null);
      expect(admin2.row('conversations', convId)?.wokenAt).toBeGreaterThanOrEqual(until);
      await admin2.close();
      await second.relay.close();
      org = saved;
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
