// The authorization matrix: every client-pushable mutation × every kind of user,
// over a real relay and real WebSocket clients. One `it` per cell.
// Columns: admin (in the conversation's visibleTo); assignee (alice, assignee of the
// conversation and creator of its invoice, checkout and note); member (bob, sales agent who
// sees it); hidden (erin, sales agent outside the conversation's visibleTo); outsider (carol,
// support only); outsideAdmin (olga, an admin outside visibleTo: metadata only — she manages,
// archives and deletes, never reads or writes content); deactivated (frank, whose account was
// deactivated after signing in). A conversation or chat hidden from the caller answers exactly
// like an unknown id: not_found (issue 10 item 17).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuidv7 } from 'uuidv7';
import type { MutationErrorCode } from '../../shared/tx';
import { SYSTEM_ACTOR } from '../sync/engine';
import { startTestRelay, type TestOrg } from '../testing';
import { WsTestClient } from './wsClient';

type Column = 'admin' | 'assignee' | 'member' | 'hidden' | 'outsider' | 'outsideAdmin';
type Outcome = 'ok' | MutationErrorCode;
const columns: Column[] = ['admin', 'assignee', 'member', 'hidden', 'outsider', 'outsideAdmin'];

interface Fx {
  n: number;
  contactId: string;
  convId: string;
  noteId: string;
  invoiceId: string;
  sentInvoiceId: string;
  checkoutId: string;
  chatId: string;
  /** a group chat started by alice with bob and erin */
  groupChatId: string;
  /** "Discuss with…": alice and bob about the fixture conversation */
  discussChatId: string;
  /** alice's personal canned response, and the admin's shared one in sales */
  cannedMineId: string;
  cannedSharedId: string;
  contact2Id: string;
  tempUserId: string;
  /** the conversation's visibilityVersion once the fixture is built */
  vv: number;
}
interface Needs {
  archived?: boolean;
  sentInvoice?: boolean;
  contact2?: boolean;
  tempUser?: boolean;
}
interface Row {
  name: string;
  needs?: Needs;
  args: (f: Fx, userId: string) => unknown;
  /** outcomes for admin, assignee, member, hidden, outsider, outsideAdmin */
  expect: [Outcome, Outcome, Outcome, Outcome, Outcome, Outcome];
}

let org: TestOrg;
let erinId: string;
let olgaId: string;
let frankToken: string;
let seq = 0;
const clients = new Map<Column, WsTestClient>();
const userOf = new Map<Column, string>();
// Numbers in Ofcom's drama range, one per contact the matrix creates.
const phone = () => `+447700900${String(++seq % 1000).padStart(3, '0')}`;
const sales = () => org.groups.sales.id;
const vv = (f: Fx) => f.vv;
const O = 'ok' as const;
const F = 'forbidden' as const;
const N = 'not_found' as const;
const M = 'mention_not_visible' as const;
const adminOnly: Row['expect'] = [O, F, F, F, F, O];
/** content: who reads it; hidden and outsider are told it does not exist; the outside admin that it is confidential */
const readers: Row['expect'] = [O, O, O, N, N, F];
/** metadata: who knows it exists (readers and every admin) */
const knowers: Row['expect'] = [O, O, O, N, N, O];
const adminOrAssignee: Row['expect'] = [O, O, F, N, N, O];
const readerAdminOrAuthor: Row['expect'] = [O, O, F, N, N, F];
const everyone: Row['expect'] = [O, O, O, O, O, O];
const nobody: Row['expect'] = [F, F, F, F, F, F];

async function as(userId: string, name: string, args: unknown): Promise<void> {
  const role = userId === org.admin.id ? 'admin' : 'agent';
  await org.relay.services.engine.runAs({ userId, role }, name, args);
}

/** Fresh rows for one cell, made directly on the relay: a restricted conversation and what hangs under it. */
async function fixture(needs: Needs = {}): Promise<Fx> {
  const engine = org.relay.services.engine;
  const from = phone();
  await engine.runAs(SYSTEM_ACTOR, 'receiveInbound', { groupId: sales(), channel: 'sms', from, body: 'Hello' });
  const contact = (await engine.store.rows.find('contacts', { phone: from }))[0];
  const conv = (await engine.store.rows.find('conversations', { contactId: contact?.id ?? '', status: 'open' }))[0];
  if (!contact || !conv) throw new Error('fixture: inbound did not create a conversation');
  const n = seq;
  const f: Fx = {
    n, contactId: contact.id, convId: conv.id, noteId: uuidv7(), invoiceId: uuidv7(), sentInvoiceId: uuidv7(), checkoutId: uuidv7(), chatId: uuidv7(), groupChatId: uuidv7(), discussChatId: uuidv7(), cannedMineId: uuidv7(), cannedSharedId: uuidv7(), contact2Id: uuidv7(), tempUserId: '', vv: 0,
  };
  const alice = org.alice.id;
  await as(org.admin.id, 'manageConversation', { conversationId: f.convId, visibleTo: [org.admin.id, alice, org.bob.id], assignees: [alice], baseVisibilityVersion: conv.visibilityVersion });
  await as(alice, 'addNote', { id: f.noteId, conversationId: f.convId, body: 'internal @Bob', mentions: [org.bob.id] });
  await as(alice, 'createChat', { id: f.groupChatId, members: [alice, org.bob.id, erinId], title: 'Group' });
  await as(alice, 'createChat', { id: f.discussChatId, members: [alice, org.bob.id], conversationId: f.convId });
  await as(alice, 'createCannedResponse', { id: f.cannedMineId, groupId: null, title: 'Mine', body: 'Hi {{contact.first_name}}' });
  await as(org.admin.id, 'createCannedResponse', { id: f.cannedSharedId, groupId: sales(), title: 'Shared', body: 'Hello from {{group.name}}' });
  await as(alice, 'createInvoice', { id: f.invoiceId, conversationId: f.convId, currency: 'GBP', lineItems: [{ description: 'Work', quantity: 1, unitAmount: 1000 }], dueDate: '2026-12-31' });
  await as(alice, 'createCheckout', { id: f.checkoutId, conversationId: f.convId, description: 'Deposit', amount: 500, currency: 'GBP', messageId: uuidv7() });
  if (needs.sentInvoice) {
    await as(alice, 'createInvoice', { id: f.sentInvoiceId, conversationId: f.convId, currency: 'GBP', lineItems: [{ description: 'Work', quantity: 1, unitAmount: 1000 }], dueDate: '2026-12-31', send: true, messageId: uuidv7() });
  }
  if (needs.archived) await as(org.admin.id, 'archiveConversation', { conversationId: f.convId });
  if (needs.contact2) await as(org.admin.id, 'createContact', { id: f.contact2Id, name: `Other ${n}`, phone: phone() });
  // A direct chat between alice and bob, written directly (the rule allows one per pair).
  await engine.write((tx) => tx.put('chats', { id: f.chatId, kind: 'direct', title: null, members: [alice, org.bob.id], createdBy: alice, createdAt: Date.now(), lastActivityAt: Date.now(), lastPreview: '', conversationId: null, metaOnly: null, version: 0 }));
  if (needs.tempUser) {
    f.tempUserId = (await org.relay.admin.createUser({ email: `temp${n}-${uuidv7()}@test.parley`, name: `Temp ${n}`, role: 'agent', password: org.password, groupIds: [sales()] })).id;
  }
  f.vv = (await engine.store.rows.get('conversations', f.convId))?.visibilityVersion ?? 0;
  return f;
}

const rows: Row[] = [
  // contacts
  { name: 'createContact', args: () => ({ id: uuidv7(), name: 'New', phone: phone() }), expect: everyone },
  { name: 'updateContact', args: (f) => ({ id: f.contactId, name: 'Renamed' }), expect: everyone },
  { name: 'deleteContact', args: (f) => ({ id: f.contactId }), expect: adminOnly },
  { name: 'mergeContacts', needs: { contact2: true }, args: (f) => ({ intoId: f.contactId, fromId: f.contact2Id }), expect: adminOnly },
  { name: 'importContacts', args: () => ({ contacts: [{ id: uuidv7(), name: 'Imported', phone: phone() }] }), expect: adminOnly },
  { name: 'setContactDefaults', args: (f) => ({ id: f.contactId, visibleTo: null, assignees: [] }), expect: adminOnly },
  { name: 'setContactOptOut (out, at the contact\'s request)', args: (f) => ({ id: f.contactId, optedOut: true }), expect: everyone },
  { name: 'setContactOptOut (back in)', args: (f) => ({ id: f.contactId, optedOut: false }), expect: adminOnly },
  // conversations
  // hidden: the given id is treated as unknown and routing meets the hidden conversation: not_found all the same
  { name: 'sendMessage', args: (f) => ({ id: uuidv7(), conversationId: f.convId, contactId: f.contactId, groupId: sales(), channel: 'sms', body: 'Reply' }), expect: [O, O, O, N, F, F] },
  { name: 'sendMessage (routed)', args: (f) => ({ id: uuidv7(), contactId: f.contactId, groupId: sales(), channel: 'sms', body: 'Reply' }), expect: [O, O, O, N, F, F] },
  { name: 'manageConversation (assignees)', args: (f) => ({ conversationId: f.convId, visibleTo: [org.admin.id, org.alice.id, org.bob.id], assignees: [org.bob.id], baseVisibilityVersion: vv(f) }), expect: knowers },
  { name: 'manageConversation (visibility)', args: (f) => ({ conversationId: f.convId, visibleTo: [org.admin.id, org.alice.id, org.bob.id, erinId], assignees: [org.alice.id], baseVisibilityVersion: vv(f) }), expect: adminOrAssignee },
  { name: 'archiveConversation', args: (f) => ({ conversationId: f.convId }), expect: adminOrAssignee },
  { name: 'unarchiveConversation', needs: { archived: true }, args: (f) => ({ conversationId: f.convId }), expect: knowers },
  { name: 'deleteConversation', args: (f) => ({ conversationId: f.convId }), expect: adminOnly },
  { name: 'addNote', args: (f) => ({ id: uuidv7(), conversationId: f.convId, body: 'seen' }), expect: readers },
  { name: 'deleteNote', args: (f) => ({ id: f.noteId }), expect: readerAdminOrAuthor },
  { name: 'markRead (conversation)', args: (f) => ({ targetId: f.convId, at: 1 }), expect: knowers },
  // invoices and checkouts
  { name: 'createInvoice', args: (f) => ({ id: uuidv7(), conversationId: f.convId, currency: 'GBP', lineItems: [{ description: 'X', quantity: 1, unitAmount: 100 }], dueDate: '2026-12-31' }), expect: readers },
  { name: 'sendInvoice', args: (f) => ({ invoiceId: f.invoiceId, messageId: uuidv7() }), expect: readers },
  { name: 'markInvoicePaid', needs: { sentInvoice: true }, args: (f) => ({ invoiceId: f.sentInvoiceId }), expect: [O, F, F, F, F, F] },
  { name: 'voidInvoice', args: (f) => ({ invoiceId: f.invoiceId }), expect: readerAdminOrAuthor },
  { name: 'createCheckout', args: (f) => ({ id: uuidv7(), conversationId: f.convId, description: 'Fee', amount: 100, currency: 'GBP', messageId: uuidv7() }), expect: readers },
  { name: 'markCheckoutPaid', args: (f) => ({ checkoutId: f.checkoutId }), expect: [O, F, F, F, F, F] },
  { name: 'expireCheckout', args: (f) => ({ checkoutId: f.checkoutId }), expect: readerAdminOrAuthor },
  // team chat (the fixture chat's members are alice and bob): private to them, admins included
  { name: 'createChat', args: (_f, u) => ({ id: uuidv7(), members: [...new Set([u, org.admin.id, org.carol.id, org.alice.id])], title: 'Team' }), expect: everyone },
  { name: 'sendChatMessage', args: (f) => ({ id: uuidv7(), chatId: f.chatId, body: 'hi' }), expect: [F, O, O, N, N, F] },
  { name: 'markRead (chat)', args: (f) => ({ targetId: f.chatId, at: 1 }), expect: [O, O, O, N, N, O] },
  { name: 'deleteChat', args: (f) => ({ chatId: f.chatId }), expect: adminOnly },
  // group chats, managed (the fixture group chat: alice, its creator, bob and erin)
  { name: 'addChatMembers', args: (f) => ({ chatId: f.groupChatId, userIds: [org.carol.id] }), expect: [F, O, O, O, N, F] },
  { name: 'renameChat', args: (f) => ({ chatId: f.groupChatId, title: 'Renamed' }), expect: [F, O, O, O, N, F] },
  { name: 'removeChatMember', args: (f) => ({ chatId: f.groupChatId, userId: erinId }), expect: [F, O, F, 'invalid', N, F] },
  { name: 'leaveChat', args: (f) => ({ chatId: f.groupChatId }), expect: [F, O, O, O, N, F] },
  { name: 'createChat (discuss a conversation)', args: (f, u) => ({ id: uuidv7(), members: [...new Set([u, org.alice.id])], conversationId: f.convId }), expect: readers },
  { name: 'addChatMembers (to a discussion, one who cannot see its conversation)', args: (f) => ({ chatId: f.discussChatId, userIds: [erinId] }), expect: [F, M, M, N, N, F] },
  // @mentions (the fixture note by alice mentions bob; erin may not see the conversation)
  { name: 'addNote (mention of people who may see it)', args: (f) => ({ id: uuidv7(), conversationId: f.convId, body: '@Alice @Bob', mentions: [org.alice.id, org.bob.id] }), expect: readers },
  { name: 'addNote (mention of someone who may not)', args: (f) => ({ id: uuidv7(), conversationId: f.convId, body: '@Erin', mentions: [erinId] }), expect: [M, M, M, N, N, F] },
  { name: 'markMentionsRead', args: (f) => ({ ids: [`${f.noteId}:${org.bob.id}`] }), expect: [F, F, O, F, F, F] },
  // canned responses: personal ones by their owner (alice), shared ones by admins
  { name: 'createCannedResponse (personal)', args: () => ({ id: uuidv7(), groupId: null, title: 'Mine', body: 'Thanks!' }), expect: everyone },
  { name: 'createCannedResponse (shared)', args: () => ({ id: uuidv7(), groupId: sales(), title: 'Shared', body: 'Thanks!' }), expect: adminOnly },
  { name: 'updateCannedResponse (personal)', args: (f) => ({ id: f.cannedMineId, title: 'Edited' }), expect: [F, O, F, F, F, F] },
  { name: 'updateCannedResponse (shared)', args: (f) => ({ id: f.cannedSharedId, title: 'Edited' }), expect: adminOnly },
  { name: 'deleteCannedResponse (personal)', args: (f) => ({ id: f.cannedMineId }), expect: [F, O, F, F, F, F] },
  { name: 'deleteCannedResponse (shared)', args: (f) => ({ id: f.cannedSharedId }), expect: adminOnly },
  // broadcast: members of the group and admins
  { name: 'sendBroadcast', args: (f) => ({ id: uuidv7(), groupId: sales(), channel: 'sms', body: 'News', contactIds: [f.contactId] }), expect: [O, O, O, O, F, O] },
  // administration
  { name: 'createGroup', args: () => ({ id: uuidv7(), name: 'New group' }), expect: adminOnly },
  { name: 'updateGroup', args: () => ({ id: org.groups.support.id, name: 'Support' }), expect: adminOnly },
  { name: 'setGroupSla', args: () => ({ groupId: org.groups.support.id, minutes: 60, businessHours: { tz: 'Europe/London', days: { mon: ['09:00', '17:30'] } } }), expect: adminOnly },
  { name: 'addMember', needs: { tempUser: true }, args: (f) => ({ groupId: org.groups.support.id, userId: f.tempUserId }), expect: adminOnly },
  { name: 'removeMember', needs: { tempUser: true }, args: (f) => ({ groupId: sales(), userId: f.tempUserId }), expect: adminOnly },
  { name: 'setUserActive', needs: { tempUser: true }, args: (f) => ({ userId: f.tempUserId, active: false }), expect: adminOnly },
  { name: 'setUserRole', needs: { tempUser: true }, args: (f) => ({ userId: f.tempUserId, role: 'admin' }), expect: adminOnly },
  // system mutations are never accepted from a client, not even an admin's
  { name: 'receiveInbound', args: () => ({ groupId: sales(), channel: 'sms', from: phone(), body: 'spoof' }), expect: nobody },
  { name: 'updateDeliveryStatus', args: () => ({ messageId: uuidv7(), status: 'delivered' }), expect: nobody },
  { name: 'setPaymentStatus', args: (f) => ({ invoiceId: f.invoiceId, status: 'paid' }), expect: nobody },
  { name: 'setPaymentLink', args: (f) => ({ invoiceId: f.invoiceId, paymentUrl: 'https://evil.example.com' }), expect: nobody },
  { name: 'recordBroadcastResult', args: (f) => ({ broadcastId: uuidv7(), contactId: f.contactId, status: 'sent', messageId: uuidv7() }), expect: nobody },
];

const mutationName = (r: Row) => r.name.split(' ')[0] as string;
const cells = rows.flatMap((r) => columns.map((c, i) => ({ row: r.name, column: c, outcome: r.expect[i] as Outcome, r })));

beforeAll(async () => {
  org = await startTestRelay();
  erinId = (await org.relay.admin.createUser({ email: 'erin@test.parley', name: 'Erin', role: 'agent', password: org.password, groupIds: [sales()] })).id;
  olgaId = (await org.relay.admin.createUser({ email: 'olga@test.parley', name: 'Olga', role: 'admin', password: org.password, groupIds: [sales()] })).id;
  const frank = await org.relay.admin.createUser({ email: 'frank@test.parley', name: 'Frank', role: 'agent', password: org.password, groupIds: [sales()] });
  frankToken = (await org.login('frank@test.parley')).accessToken;
  await org.relay.admin.deactivateUser(frank.id);
  const people: [Column, string, string][] = [
    ['admin', org.admin.email, org.admin.id],
    ['assignee', org.alice.email, org.alice.id],
    ['member', org.bob.email, org.bob.id],
    ['hidden', 'erin@test.parley', erinId],
    ['outsider', org.carol.email, org.carol.id],
    ['outsideAdmin', 'olga@test.parley', olgaId],
  ];
  for (const [col, email, id] of people) {
    const { accessToken } = await org.login(email);
    clients.set(col, await WsTestClient.synced(org.relay.wsUrl, accessToken));
    userOf.set(col, id);
  }
});
afterAll(async () => {
  for (const c of clients.values()) await c.close();
  await org?.relay.close();
});

describe('authorization matrix', () => {
  it.each(cells)('$row × $column → $outcome', async ({ r, column, outcome }) => {
    const f = await fixture(r.needs);
    const client = clients.get(column) as WsTestClient;
    const result = await client.mutate(mutationName(r), r.args(f, userOf.get(column) as string));
    if (outcome === 'ok') expect(result, result.message).toMatchObject({ status: 'ok' });
    else expect(result).toMatchObject({ status: 'rejected', code: outcome });
  });

  // A deactivated user cannot even connect, so no mutation of theirs reaches the engine.
  it.each(rows.map((r) => ({ row: r.name })))('$row × deactivated → cannot connect', async () => {
    const client = await WsTestClient.connect(org.relay.wsUrl, frankToken);
    const err = await client.waitFor('error');
    expect(['deactivated', 'unauthorized']).toContain(err.code);
    await client.waitForClose();
    // the client was never registered, so nothing it sent could have run
    expect(await org.relay.services.engine.client(client.clientId)).toBeUndefined();
  });
});
