import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHarness, standardOrg, type Harness } from './test/harness';
import type { MutationArgs, MutationName } from './mutators/args';
import {
  canAdminContacts, canAdminister, canArchive, canBroadcast, canChangeVisibility, canDeleteChat, canDeleteConversation, canDeleteNote,
  canExpireCheckout, canManage, canMarkPaid, canSeeChat, canSeeChatMeta, canSeeConversation, canSeeConversationMeta, canSeeGroup, canSendChatMessage, canSendInGroup, canVoidInvoice,
  hasAdminRole, sessionViewer, viewerFromTx, type Actor,
} from './permissions';
import { MutationError } from './tx';

let h: Harness;
beforeEach(() => {
  h = createHarness();
  standardOrg(h);
});
afterEach(() => h.close());

const viewer = (id: string) => viewerFromTx(h.tx, id) as Actor;
const conv = { groupId: 'sales', visibleTo: ['alice'] as string[] | null, assignees: ['alice'] };

describe('permissions', () => {
  it('builds viewers from the database and from a session', () => {
    expect(viewer('admin')).toMatchObject({ role: 'admin', active: true, groupIds: new Set(['sales', 'support']) });
    expect(viewer('dave').active).toBe(false);
    expect(viewerFromTx(h.tx, 'ghost')).toBeUndefined();
    const memberships = [{ groupId: 'sales', userId: 'alice' }, { groupId: 'support', userId: 'carol' }];
    expect(sessionViewer({ userId: 'alice', role: 'agent' }, memberships)).toEqual({ id: 'alice', role: 'agent', groupIds: new Set(['sales']) });
  });
  it('applies visibility and roles', () => {
    expect(canSeeConversation(viewer('alice'), conv)).toBe(true);
    expect(canSeeConversation(viewer('bob'), conv)).toBe(false);
    expect(canSeeConversation(viewer('bob'), { ...conv, visibleTo: null })).toBe(true);
    expect(canSeeConversation(viewer('carol'), { ...conv, visibleTo: null })).toBe(false);
    // confidential means confidential, admins included: an admin outside the list sees the metadata only
    expect(canSeeConversation(viewer('admin'), conv)).toBe(false);
    expect(canSeeConversationMeta(viewer('admin'), conv)).toBe(true);
    expect(canSeeConversation(viewer('admin'), { ...conv, visibleTo: ['admin'] })).toBe(true);
    expect(canSeeConversation(viewer('admin'), { ...conv, visibleTo: null })).toBe(true);
    expect(canSeeConversationMeta(viewer('bob'), conv)).toBe(false);
    expect(canManage(viewer('admin'), conv)).toBe(true);
    expect(canChangeVisibility(viewer('admin'), conv)).toBe(true);
    expect(canArchive(viewer('admin'), conv)).toBe(true);
    // chats are private to their participants, admins included
    expect(canSeeChat(viewer('admin'), { members: ['alice', 'bob'] })).toBe(false);
    expect(canSeeChatMeta(viewer('admin'), { members: ['alice', 'bob'] })).toBe(true);
    expect(canSeeChatMeta(viewer('carol'), { members: ['alice', 'bob'] })).toBe(false);
    expect(canSeeChat(viewer('alice'), { members: ['alice'] })).toBe(true);
    expect(canManage(viewer('bob'), { ...conv, visibleTo: null })).toBe(true);
    expect(canChangeVisibility(viewer('bob'), { ...conv, visibleTo: null })).toBe(false);
    expect(canArchive(viewer('alice'), conv)).toBe(true);
    expect(canDeleteChat(viewer('alice'))).toBe(false);
    expect(canDeleteChat(viewer('admin'))).toBe(true);
  });
  it('refuses everything to a deactivated user, but a target user keeps the admin role', () => {
    const dave = viewer('dave');
    expect(canSeeConversation(dave, { ...conv, visibleTo: null })).toBe(false);
    expect(canSendInGroup(dave, 'sales')).toBe(false);
    const inactiveAdmin: Actor = { ...viewer('admin'), active: false };
    expect(canDeleteChat(inactiveAdmin)).toBe(false);
    expect(canSeeGroup(inactiveAdmin, 'sales')).toBe(false);
    expect(hasAdminRole(inactiveAdmin)).toBe(true);
  });
  it('treats a viewer without an active flag (fan-out, UI) as active', () => {
    expect(canSeeConversation({ id: 'bob', role: 'agent', groupIds: new Set(['sales']) }, { ...conv, visibleTo: null })).toBe(true);
    expect(canAdminister({ id: 'x', role: 'admin', groupIds: new Set() })).toBe(true);
  });
});

// The authorization matrix: every rule of the rule list that depends on who acts, run through
// the real mutator for every kind of actor, against what the named predicate says. A mutator
// that checks anything else than its predicate (or an inline role) disagrees somewhere here.
describe('authorization matrix: mutators agree with the predicates', () => {
  // admin: both groups; root: admin in no group; alice: sales, assignee, author and creator;
  // bob: sales; carol: support; dave: sales, deactivated
  const actors = ['admin', 'root', 'alice', 'bob', 'carol', 'dave'] as const;

  function world(): void {
    h.user('root', { role: 'admin' });
    h.contact('sam', '+447700900124', { name: 'Sam' });
    h.run('sendMessage', 'alice', { id: 'm1', contactId: 'pat', groupId: 'sales', channel: 'sms', body: 'Hi', newConversationId: 'c1' });
    h.run('manageConversation', 'alice', { conversationId: 'c1', visibleTo: null, assignees: ['alice'], baseVisibilityVersion: 0 });
    h.run('sendMessage', 'alice', { id: 'm2', contactId: 'sam', groupId: 'sales', channel: 'sms', body: 'Hi', newConversationId: 'c2' });
    h.run('manageConversation', 'admin', { conversationId: 'c2', visibleTo: ['alice'], assignees: ['alice'], baseVisibilityVersion: 0 });
    h.run('addNote', 'alice', { id: 'n1', conversationId: 'c1', body: 'note' });
    h.run('createInvoice', 'alice', { id: 'i1', conversationId: 'c1', currency: 'GBP', lineItems: [{ description: 'Fix', quantity: 1, unitAmount: 4500 }], dueDate: '2026-12-03', send: true, messageId: 'mi' });
    h.run('createCheckout', 'alice', { id: 'k1', conversationId: 'c1', description: 'Deposit', amount: 1000, currency: 'GBP', messageId: 'mk' });
    h.run('createChat', 'alice', { id: 'ch1', members: ['alice', 'bob'] });
  }

  interface Case<N extends MutationName> {
    name: N;
    args: MutationArgs<N>;
    allowed: (v: Actor) => boolean;
    /** refused as if it did not exist (not_found) rather than forbidden: the actor may not know of it */
    hidden?: (v: Actor) => boolean;
  }
  const c1 = () => h.conv('c1');
  const c2 = () => h.conv('c2');
  const chat = () => h.tx.get('chats', 'ch1') as { members: string[] };
  const cases = [
    { name: 'manageConversation', args: { conversationId: 'c1', visibleTo: null, assignees: ['alice'], baseVisibilityVersion: 0 }, allowed: (v) => canManage(v, c1()), hidden: (v) => !canSeeConversationMeta(v, c1()) },
    { name: 'manageConversation', args: { conversationId: 'c1', visibleTo: ['alice'], assignees: ['alice'], baseVisibilityVersion: 0 }, allowed: (v) => canChangeVisibility(v, c1()), hidden: (v) => !canSeeConversationMeta(v, c1()) },
    { name: 'archiveConversation', args: { conversationId: 'c2' }, allowed: (v) => canArchive(v, c2()), hidden: (v) => !canSeeConversationMeta(v, c2()) },
    { name: 'unarchiveConversation', args: { conversationId: 'c2' }, allowed: (v) => canSeeConversationMeta(v, c2()), hidden: (v) => !canSeeConversationMeta(v, c2()) },
    { name: 'deleteConversation', args: { conversationId: 'c2' }, allowed: (v) => canDeleteConversation(v) },
    { name: 'addNote', args: { id: 'n2', conversationId: 'c2', body: 'x' }, allowed: (v) => canSeeConversation(v, c2()), hidden: (v) => !canSeeConversationMeta(v, c2()) },
    { name: 'deleteNote', args: { id: 'n1' }, allowed: (v) => canSeeConversation(v, c1()) && canDeleteNote(v, { authorId: 'alice' }), hidden: (v) => !canSeeConversationMeta(v, c1()) },
    { name: 'markRead', args: { targetId: 'c2', at: 1 }, allowed: (v) => canSeeConversationMeta(v, c2()), hidden: (v) => !canSeeConversationMeta(v, c2()) },
    { name: 'markRead', args: { targetId: 'ch1', at: 1 }, allowed: (v) => canSeeChatMeta(v, chat()), hidden: (v) => !canSeeChatMeta(v, chat()) },
    { name: 'markInvoicePaid', args: { invoiceId: 'i1' }, allowed: (v) => canMarkPaid(v) },
    { name: 'voidInvoice', args: { invoiceId: 'i1' }, allowed: (v) => canSeeConversation(v, c1()) && canVoidInvoice(v, { createdBy: 'alice' }), hidden: (v) => !canSeeConversationMeta(v, c1()) },
    { name: 'markCheckoutPaid', args: { checkoutId: 'k1' }, allowed: (v) => canMarkPaid(v) },
    { name: 'expireCheckout', args: { checkoutId: 'k1' }, allowed: (v) => canSeeConversation(v, c1()) && canExpireCheckout(v, { createdBy: 'alice' }), hidden: (v) => !canSeeConversationMeta(v, c1()) },
    { name: 'sendMessage', args: { id: 'm9', contactId: 'pat', groupId: 'support', channel: 'sms', body: 'Hello', newConversationId: 'c9' }, allowed: (v) => canSendInGroup(v, 'support') },
    { name: 'sendMessage', args: { id: 'm9', conversationId: 'c2', contactId: 'sam', groupId: 'sales', channel: 'sms', body: 'Hello' }, allowed: (v) => canSendInGroup(v, 'sales') && canSeeConversation(v, c2()), hidden: (v) => canSendInGroup(v, 'sales') && !canSeeConversationMeta(v, c2()) },
    { name: 'sendBroadcast', args: { id: 'b1', groupId: 'support', channel: 'sms', body: 'News', contactIds: ['pat'] }, allowed: (v) => canBroadcast(v, 'support') },
    { name: 'sendChatMessage', args: { id: 'cm1', chatId: 'ch1', body: 'yo' }, allowed: (v) => canSendChatMessage(v, chat()), hidden: (v) => !canSeeChatMeta(v, chat()) },
    { name: 'deleteChat', args: { chatId: 'ch1' }, allowed: (v) => canDeleteChat(v) },
    { name: 'deleteContact', args: { id: 'sam' }, allowed: (v) => canAdminContacts(v) },
    { name: 'setContactOptOut', args: { id: 'pat', optedOut: true }, allowed: (v) => v.active },
    { name: 'setContactOptOut', args: { id: 'pat', optedOut: false }, allowed: (v) => canAdminContacts(v) },
    { name: 'setContactDefaults', args: { id: 'pat', visibleTo: null, assignees: [] }, allowed: (v) => canAdminContacts(v) },
    { name: 'createGroup', args: { id: 'g9', name: 'Nine' }, allowed: (v) => canAdminister(v) },
    { name: 'addMember', args: { groupId: 'support', userId: 'bob' }, allowed: (v) => canAdminister(v) },
    { name: 'setUserRole', args: { userId: 'bob', role: 'admin' }, allowed: (v) => canAdminister(v) },
    { name: 'createContact', args: { id: 'k9', name: 'Kim', phone: '+447700900199' }, allowed: (v) => v.active },
  ] satisfies Case<MutationName>[] as Case<MutationName>[];

  for (const c of cases) {
    it(`${c.name} ${JSON.stringify(c.args)}`, () => {
      const seen: Record<string, string> = {};
      for (const who of actors) {
        h.close();
        h = createHarness();
        standardOrg(h);
        world();
        // a deactivated account is refused before anything is looked up
        const expected = c.allowed(viewer(who)) ? 'allowed' : viewer(who).active && c.hidden?.(viewer(who)) ? 'not_found' : 'forbidden';
        let outcome = 'allowed';
        try {
          h.run(c.name, who, c.args);
        } catch (e) {
          if (!(e instanceof MutationError)) throw e;
          outcome = e.code;
        }
        seen[who] = outcome;
        expect(outcome, `${c.name} as ${who}`).toBe(expected);
      }
      // a case where every actor gets the same answer tests nothing about who acts
      expect(new Set(Object.values(seen)).size, JSON.stringify(seen)).toBeGreaterThan(1);
    });
  }
});
