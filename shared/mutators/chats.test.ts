import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHarness, standardOrg, type Harness } from '../test/harness';

let h: Harness;
beforeEach(() => {
  h = createHarness();
  standardOrg(h);
});
afterEach(() => h.close());

describe('team chat', () => {
  it('derives the kind from the member count', () => {
    h.run('createChat', 'alice', { id: 's', members: ['alice'] });
    h.run('createChat', 'alice', { id: 'd', members: ['alice', 'carol'], title: 'ignored' });
    h.run('createChat', 'alice', { id: 'g', members: ['alice', 'bob', 'carol'], title: 'Lunch' });
    expect(h.tx.get('chats', 's')).toMatchObject({ kind: 'self', title: null, createdBy: 'alice' });
    expect(h.tx.get('chats', 'd')).toMatchObject({ kind: 'direct', title: null });
    expect(h.tx.get('chats', 'g')).toMatchObject({ kind: 'group', title: 'Lunch' });
  });
  it('refuses chats without the caller, with inactive or unknown users, or duplicating a direct chat', () => {
    expect(h.refused('createChat', 'alice', { id: 'x', members: ['bob'] }).code).toBe('invalid');
    expect(h.refused('createChat', 'alice', { id: 'x', members: ['alice', 'dave'] }).code).toBe('invalid');
    expect(h.refused('createChat', 'alice', { id: 'x', members: ['alice', 'ghost'] }).code).toBe('invalid');
    expect(h.refused('createChat', 'dave', { id: 'x', members: ['dave'] }).code).toBe('forbidden');
    h.run('createChat', 'alice', { id: 'd', members: ['alice', 'bob'] });
    expect(h.refused('createChat', 'bob', { id: 'x', members: ['bob', 'alice'] }).code).toBe('conflict');
    h.run('createChat', 'alice', { id: 's', members: ['alice'] });
    expect(h.refused('createChat', 'alice', { id: 'y', members: ['alice'] }).code).toBe('conflict');
    h.run('createChat', 'bob', { id: 'g1', members: ['bob', 'alice', 'carol'] });
    h.run('createChat', 'bob', { id: 'g2', members: ['bob', 'alice', 'carol'] }); // groups may repeat
  });
  it('lets members (only) write, updating the chat preview', () => {
    h.run('createChat', 'alice', { id: 'd', members: ['alice', 'bob'] });
    h.tick();
    h.run('sendChatMessage', 'bob', { id: 'cm1', chatId: 'd', body: 'hey\nthere' });
    expect(h.tx.get('chats', 'd')).toMatchObject({ lastPreview: 'hey there', lastActivityAt: h.now });
    expect(h.refused('sendChatMessage', 'carol', { id: 'cm2', chatId: 'd', body: 'x' }).code).toBe('not_found');
    expect(h.refused('sendChatMessage', 'admin', { id: 'cm2', chatId: 'd', body: 'x' }).code).toBe('forbidden');
    expect(h.refused('sendChatMessage', 'bob', { id: 'cm2', chatId: 'd', body: '  ' }).code).toBe('invalid');
    h.run('sendChatMessage', 'alice', { id: 'cm3', chatId: 'd', body: '', attachments: [{ id: 'c'.repeat(64), name: 'a.png', mime: 'image/png', size: 1 }] });
  });
  it('lets only admins delete, cascading and releasing attachments', () => {
    h.run('createChat', 'alice', { id: 'd', members: ['alice', 'bob'] });
    h.run('sendChatMessage', 'alice', { id: 'cm', chatId: 'd', body: '', attachments: [{ id: 'c'.repeat(64), name: 'a.png', mime: 'image/png', size: 1 }] });
    h.run('markRead', 'bob', { targetId: 'd', at: 5 });
    expect(h.refused('deleteChat', 'alice', { chatId: 'd' }).code).toBe('forbidden');
    expect(h.run('deleteChat', 'admin', { chatId: 'd' })).toEqual([{ kind: 'attachmentsReleased', ids: ['c'.repeat(64)] }]);
    for (const t of ['chats', 'chatMessages', 'readStates'] as const) expect(h.tx.find(t, {})).toHaveLength(0);
  });
});
