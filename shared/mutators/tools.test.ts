// Issue 12 tools 1, 4 and 6: canned responses, @mentions in notes, managed group chats.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { scopeOf } from '../scopes';
import { createHarness, standardOrg, type Harness } from '../test/harness';

let h: Harness;
const att = { id: 'a'.repeat(64), name: 'price-list.pdf', mime: 'application/pdf', size: 10 };
beforeEach(() => {
  h = createHarness();
  standardOrg(h);
  h.run('sendMessage', 'alice', { id: 'm1', contactId: 'pat', groupId: 'sales', channel: 'sms', body: 'Hi', newConversationId: 'c1' });
});
afterEach(() => h.close());

describe('canned responses', () => {
  it('personal ones belong to their owner only, in their private scope', () => {
    h.run('createCannedResponse', 'alice', { id: 'r1', groupId: null, title: 'Thanks', body: 'Thanks {{contact.first_name}}!' });
    const r = h.tx.get('cannedResponses', 'r1');
    expect(r).toMatchObject({ ownerId: 'alice', groupId: null, attachments: [] });
    expect(scopeOf('cannedResponses', r!)).toBe('user:alice');
    expect(h.refused('updateCannedResponse', 'bob', { id: 'r1', title: 'Mine now' }).code).toBe('forbidden');
    expect(h.refused('deleteCannedResponse', 'admin', { id: 'r1' }).code).toBe('forbidden');
    h.run('updateCannedResponse', 'alice', { id: 'r1', body: 'Thank you {{contact.first_name}}' });
    expect(h.tx.get('cannedResponses', 'r1')).toMatchObject({ title: 'Thanks', body: 'Thank you {{contact.first_name}}' });
    h.run('deleteCannedResponse', 'alice', { id: 'r1' });
    expect(h.tx.get('cannedResponses', 'r1')).toBeUndefined();
  });
  it('shared ones are per group, created and edited by admins only', () => {
    const denied = h.refused('createCannedResponse', 'alice', { id: 'r2', groupId: 'sales', title: 'Hours', body: 'We open at 9.' });
    expect(denied.code).toBe('forbidden');
    expect(denied.message).toMatch(/Only admins/);
    h.run('createCannedResponse', 'admin', { id: 'r2', groupId: 'sales', title: 'Hours', body: 'We open at 9.', attachments: [att] });
    expect(scopeOf('cannedResponses', h.tx.get('cannedResponses', 'r2')!)).toBe('group:sales');
    expect(h.refused('updateCannedResponse', 'alice', { id: 'r2', title: 'x' }).code).toBe('forbidden');
    expect(h.refused('createCannedResponse', 'admin', { id: 'r3', groupId: 'nope', title: 'x', body: 'y' }).code).toBe('not_found');
    // dropping an attachment releases it (the relay deletes the file when nothing else uses it)
    expect(h.run('updateCannedResponse', 'admin', { id: 'r2', attachments: [] })).toEqual([{ kind: 'attachmentsReleased', ids: [att.id] }]);
    expect(h.run('deleteCannedResponse', 'admin', { id: 'r2' })).toEqual([]);
  });
  it('refuses empty titles and bodies with a sentence', () => {
    expect(() => h.run('createCannedResponse', 'alice', { id: 'r4', groupId: null, title: ' ', body: 'x' })).toThrow(/needs a title/);
  });
});

describe('@mentions in notes', () => {
  it('creates one mention per mentioned user in the conversation scope, never for the author', () => {
    h.run('addNote', 'alice', { id: 'n1', conversationId: 'c1', body: '@bob @admin can you call Pat?', mentions: ['bob', 'admin', 'alice', 'bob'] });
    const ms = h.tx.find('mentions', { noteId: 'n1' });
    expect(ms.map((m) => m.userId).sort()).toEqual(['admin', 'bob']);
    expect(ms.every((m) => m.readAt === null && m.authorId === 'alice' && scopeOf('mentions', m) === 'conv:c1')).toBe(true);
  });
  it('refuses mentioning someone who cannot see the conversation, naming them', () => {
    const r = h.refused('addNote', 'alice', { id: 'n2', conversationId: 'c1', body: '@carol look', mentions: ['carol'] });
    expect(r.code).toBe('mention_not_visible');
    expect(r.message).toMatch(/^carol cannot see this conversation/);
    expect(h.tx.get('notes', 'n2')).toBeUndefined();
    // restricted: bob is in the group but not in "Visible to"
    h.run('manageConversation', 'admin', { conversationId: 'c1', visibleTo: ['alice'], assignees: ['alice'], baseVisibilityVersion: h.conv('c1').visibilityVersion });
    expect(h.refused('addNote', 'alice', { id: 'n3', conversationId: 'c1', body: '@bob', mentions: ['bob'] }).code).toBe('mention_not_visible');
    expect(h.refused('addNote', 'alice', { id: 'n3', conversationId: 'c1', body: '@dave', mentions: ['dave'] }).code).toBe('invalid');
    expect(h.tx.find('mentions', {})).toHaveLength(0);
  });
  it('lets only the mentioned user mark it read or unread; deleting the note or conversation removes it', () => {
    h.run('addNote', 'alice', { id: 'n1', conversationId: 'c1', body: '@bob', mentions: ['bob'] });
    expect(h.refused('markMentionsRead', 'alice', { ids: ['n1:bob'] }).code).toBe('forbidden');
    h.run('markMentionsRead', 'bob', { ids: ['n1:bob', 'gone:bob'] });
    expect(h.tx.get('mentions', 'n1:bob')?.readAt).toBe(h.now);
    h.run('markMentionsRead', 'bob', { ids: ['n1:bob'], read: false });
    expect(h.tx.get('mentions', 'n1:bob')?.readAt).toBeNull();
    h.run('deleteNote', 'alice', { id: 'n1' });
    expect(h.tx.find('mentions', {})).toHaveLength(0);
    h.run('addNote', 'alice', { id: 'n4', conversationId: 'c1', body: '@bob', mentions: ['bob'] });
    h.run('deleteConversation', 'admin', { conversationId: 'c1' });
    expect(h.tx.find('mentions', {})).toHaveLength(0);
  });
});

describe('group chats, managed', () => {
  beforeEach(() => {
    h.user('erin', { groups: ['support'] });
    h.run('createChat', 'alice', { id: 'g', members: ['alice', 'bob', 'carol'], title: 'Launch' });
  });
  it('members add people and rename; a direct chat cannot be changed', () => {
    h.run('addChatMembers', 'bob', { chatId: 'g', userIds: ['erin', 'bob'] });
    expect(h.tx.get('chats', 'g')?.members).toEqual(['alice', 'bob', 'carol', 'erin']);
    expect(h.refused('addChatMembers', 'bob', { chatId: 'g', userIds: ['erin'] }).code).toBe('invalid');
    expect(h.refused('addChatMembers', 'bob', { chatId: 'g', userIds: ['dave'] }).code).toBe('invalid');
    expect(h.refused('addChatMembers', 'admin', { chatId: 'g', userIds: ['admin'] }).code).toBe('forbidden');
    h.run('renameChat', 'carol', { chatId: 'g', title: 'Launch week' });
    expect(h.tx.get('chats', 'g')?.title).toBe('Launch week');
    h.run('createChat', 'alice', { id: 'd', members: ['alice', 'bob'] });
    const direct = h.refused('addChatMembers', 'alice', { chatId: 'd', userIds: ['carol'] });
    expect(direct.code).toBe('invalid');
    expect(direct.message).toMatch(/Only group chats/);
    expect(h.refused('renameChat', 'alice', { chatId: 'd', title: 'x' }).code).toBe('invalid');
  });
  it('the creator removes people (others may not while the creator is in); removal drops their read mark', () => {
    h.run('markRead', 'carol', { targetId: 'g', at: 5 });
    expect(h.refused('removeChatMember', 'bob', { chatId: 'g', userId: 'carol' }).code).toBe('forbidden');
    expect(h.refused('removeChatMember', 'alice', { chatId: 'g', userId: 'alice' }).code).toBe('invalid');
    h.run('removeChatMember', 'alice', { chatId: 'g', userId: 'carol' });
    expect(h.tx.get('chats', 'g')?.members).toEqual(['alice', 'bob']);
    expect(h.tx.get('readStates', 'carol:g')).toBeUndefined();
    // the chat is now hidden from carol: it answers like a missing one
    expect(h.refused('sendChatMessage', 'carol', { id: 'x', chatId: 'g', body: 'still here?' }).code).toBe('not_found');
    expect(h.refused('removeChatMember', 'alice', { chatId: 'g', userId: 'carol' }).code).toBe('not_found');
  });
  it('anyone leaves; once the creator left any member may remove; the last one out deletes the chat', () => {
    h.run('sendChatMessage', 'bob', { id: 'cm', chatId: 'g', body: 'hi', attachments: [att] });
    h.run('leaveChat', 'alice', { chatId: 'g' });
    expect(h.refused('leaveChat', 'alice', { chatId: 'g' }).code).toBe('not_found');
    h.run('removeChatMember', 'bob', { chatId: 'g', userId: 'carol' });
    expect(h.run('leaveChat', 'bob', { chatId: 'g' })).toEqual([{ kind: 'attachmentsReleased', ids: [att.id] }]);
    expect(h.tx.get('chats', 'g')).toBeUndefined();
    expect(h.tx.find('chatMessages', {})).toHaveLength(0);
  });
  it('"Discuss with…" links the conversation and admits only people who may see it', () => {
    h.run('createChat', 'alice', { id: 'about', members: ['alice', 'bob'], title: 'About Pat', conversationId: 'c1' });
    expect(h.tx.get('chats', 'about')).toMatchObject({ kind: 'group', conversationId: 'c1', members: ['alice', 'bob'] });
    // a second discussion with the same person is fine (it is a group chat, not a direct one)
    h.run('createChat', 'alice', { id: 'about2', members: ['alice', 'bob'], conversationId: 'c1' });
    const r = h.refused('createChat', 'alice', { id: 'x', members: ['alice', 'carol'], conversationId: 'c1' });
    expect(r.code).toBe('mention_not_visible');
    expect(r.message).toMatch(/^carol cannot see this conversation/);
    expect(h.refused('addChatMembers', 'bob', { chatId: 'about', userIds: ['carol'] }).code).toBe('mention_not_visible');
    expect(h.refused('createChat', 'carol', { id: 'y', members: ['carol'], conversationId: 'c1' }).code).toBe('not_found');
  });
});
