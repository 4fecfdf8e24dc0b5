// Snooze and the relay's timed wake: a conversation coming back from snooze is unread again for
// those it was put away for (who snoozed it, its assignees), never reset for the rest of the team.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHarness, standardOrg, SYSTEM, type Harness } from '../test/harness';

let h: Harness;
beforeEach(() => {
  h = createHarness();
  standardOrg(h);
  h.run('receiveInbound', SYSTEM, { groupId: 'sales', channel: 'sms', from: '+447700900123', body: 'Is it in stock?' });
});
afterEach(() => h.close());

const convId = () => {
  const [c] = h.tx.find('conversations', {});
  if (!c) throw new Error('no conversation');
  return c.id;
};
const marks = (id: string) =>
  h.tx
    .find('readStates', { targetId: id })
    .map((r) => r.userId)
    .sort();

describe('timed wake', () => {
  it('makes it unread for the snoozer and the assignees only; the others keep their read marks', () => {
    const id = convId();
    h.run('manageConversation', 'admin', { conversationId: id, visibleTo: null, assignees: ['bob'], baseVisibilityVersion: h.conv(id).visibilityVersion });
    h.tick();
    for (const u of ['admin', 'alice', 'bob']) h.run('markRead', u, { targetId: id, at: h.now });
    h.run('snoozeConversation', 'admin', { conversationId: id, until: h.now + 60_000 });
    h.tick(60_000);
    h.run('wakeConversation', SYSTEM, { conversationId: id });
    expect(h.conv(id)).toMatchObject({ snoozedBy: null, snoozedUntil: null, wokenAt: h.now });
    // admin snoozed it, bob is assigned: unread for them; alice read it and nothing new came in
    expect(marks(id)).toEqual(['alice']);
  });

  it('an unassigned conversation comes back unread for the one who snoozed it', () => {
    const id = convId();
    for (const u of ['admin', 'alice', 'bob']) h.run('markRead', u, { targetId: id, at: h.now });
    h.run('snoozeConversation', 'admin', { conversationId: id, until: h.now + 1000 });
    h.tick(1000);
    h.run('wakeConversation', SYSTEM, { conversationId: id });
    expect(marks(id)).toEqual(['alice', 'bob']);
  });

  it('does nothing before its time, nor after an unsnooze', () => {
    const id = convId();
    h.run('markRead', 'admin', { targetId: id, at: h.now });
    h.run('snoozeConversation', 'admin', { conversationId: id, until: h.now + 60_000 });
    h.run('wakeConversation', SYSTEM, { conversationId: id });
    expect(h.conv(id).snoozedBy).toBe('admin');
    h.run('unsnoozeConversation', 'admin', { conversationId: id });
    h.tick(60_000);
    h.run('wakeConversation', SYSTEM, { conversationId: id });
    expect(marks(id)).toEqual(['admin']);
  });
});
