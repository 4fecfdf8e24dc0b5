// Every query of the Bridge contract, run against a populated replica (admin and agent), its
// result checked against the contract's result schemas (shared/bridgeResults.ts; newCore checks
// every query result of every core test the same way).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuidv7 } from 'uuidv7';
import { startTestRelay, type TestOrg } from '../../../server/testing';
import type { QueryArgs, QueryName } from '../../../shared/bridge';
import { checkQueryResult, queryResultSchemas } from '../../../shared/bridgeResults';
import { recordFailure } from '../bridge/failures';
import { newCore, settled, signIn, waitFor, type TestCore } from './harness';

let org: TestOrg;
let admin: TestCore;
let alice: TestCore;
const ids = { conv: '', contact: '', chat: uuidv7(), broadcast: uuidv7() };

beforeAll(async () => {
  org = await startTestRelay();
  admin = newCore();
  alice = newCore();
  await signIn(admin, org.relay.httpUrl, 'admin@test.parley', org.password);
  await signIn(alice, org.relay.httpUrl, 'alice@test.parley', org.password);
  // a conversation with a message, a note, a sent invoice, a checkout and a relay refusal; a chat; a broadcast
  await org.relay.simulator.inbound({ groupId: org.groups.sales.id, from: '+447700900401', body: 'Is the blue one in stock?', contactName: 'Robin' });
  await waitFor(async () => (await alice.query('inbox', { view: 'team' })).items.length > 0, 'inbound conversation');
  const item = (await alice.query('inbox', { view: 'team' })).items[0];
  if (item?.kind !== 'conversation') throw new Error('expected a conversation');
  ids.conv = item.id;
  ids.contact = item.contactId;
  await alice.mutate('manageConversation', { conversationId: ids.conv, visibleTo: null, assignees: [org.alice.id], baseVisibilityVersion: 0 });
  await alice.mutate('addNote', { id: uuidv7(), conversationId: ids.conv, body: 'Blue ships Monday' });
  await alice.mutate('createInvoice', {
    id: uuidv7(), conversationId: ids.conv, currency: 'GBP', lineItems: [{ description: 'Blue one', quantity: 1, unitAmount: 2500 }], dueDate: '2026-12-24', send: true, messageId: uuidv7(),
  });
  await alice.mutate('createCheckout', { id: uuidv7(), conversationId: ids.conv, description: 'Deposit', amount: 500, currency: 'GBP', messageId: uuidv7() });
  await alice.mutate('createChat', { id: ids.chat, members: [org.alice.id, org.bob.id] });
  await alice.mutate('sendChatMessage', { id: uuidv7(), chatId: ids.chat, body: 'Robin wants the blue one' });
  await alice.mutate('sendBroadcast', { id: ids.broadcast, groupId: org.groups.sales.id, channel: 'sms', body: 'We are open on Sunday', contactIds: [ids.contact] });
  await settled(alice);
  await settled(admin);
  for (const core of [admin, alice]) {
    const db = core.impl.current!.replica.db;
    recordFailure(db, { mutationId: 999_999, name: 'archiveConversation', args: { conversationId: ids.conv }, code: 'unpaid_invoice', message: 'refused', at: Date.now(), targetId: ids.conv });
  }
}, 60_000);
afterAll(async () => {
  await admin.close();
  await alice.close();
  await org.relay.close();
});

const lastMonth = () => ({ from: Date.now() - 30 * 86_400_000, to: Date.now() + 60_000, tzOffsetMinutes: 60 });

/** Arguments to run each query with: a query added to the contract must be added here (the Record says so). */
const samples: { [K in QueryName]: () => QueryArgs<K>[] } = {
  session: () => [{}],
  syncStatus: () => [{}],
  directory: () => [{}],
  counts: () => [{}],
  inbox: () => [
    { view: 'team' }, { view: 'team', groupId: org.groups.sales.id, unreadOnly: true }, { view: 'mine' }, { view: 'mine', unreadOnly: true },
    { view: 'archived' }, { view: 'chats' }, { view: 'chats', unreadOnly: true },
    { view: 'snoozed' }, { view: 'snoozed', unreadOnly: true }, { view: 'team', assignee: 'unassigned', channel: 'sms', labelId: 'none' },
    { view: 'mine', channel: 'whatsapp' }, { view: 'archived', assignee: org.alice.id, unreadOnly: true },
  ],
  labels: () => [{}],
  savedViews: () => [{}],
  conversation: () => [{ id: ids.conv }, { id: 'missing' }],
  contacts: () => [{}, { search: 'Rob' }, { tag: 'none' }],
  contact: () => [{ id: ids.contact }, { id: 'missing' }],
  tags: () => [{}],
  chat: () => [{ id: ids.chat }, { id: 'missing' }],
  chatWith: () => [{ members: [org.bob.id] }, { members: [] }, { members: [org.alice.id] }, { members: [org.alice.id, 'missing'] }],
  search: () => [{ q: 'blue' }, { q: 'Robin' }, { q: '' }],
  failures: () => [{}],
  broadcasts: () => [{}],
  broadcast: () => [{ id: ids.broadcast }, { id: 'missing' }],
  presence: () => [{}],
  cannedResponses: () => [{}, { groupId: org.groups.sales.id }],
  mentions: () => [{}, { unreadOnly: true, limit: 5 }],
  reportVolume: () => [lastMonth()],
  reportTimes: () => [lastMonth(), { ...lastMonth(), tzOffsetMinutes: -300 }],
  reportChannels: () => [lastMonth()],
  reportHours: () => [lastMonth()],
  reportSla: () => [lastMonth()],
  reportBacklog: () => [{}],
};

describe('the Bridge contract', () => {
  for (const name of Object.keys(samples) as QueryName[]) {
    it(`query ${name} answers within its result schema (admin and agent)`, async () => {
      for (const core of [admin, alice]) {
        for (const args of samples[name]()) {
          // newCore's query already parses with the schema; parse again to say which query failed
          checkQueryResult(name, await core.query(name, args as never));
        }
      }
    });
  }

  it('the populated results reach every nested schema', async () => {
    const conv = await alice.query('conversation', { id: ids.conv });
    expect(conv?.messages.length).toBeGreaterThan(0);
    expect(conv?.notes.length).toBe(1);
    expect(conv?.invoices.length).toBe(1);
    expect(conv?.checkouts.length).toBe(1);
    expect(conv?.failures.length).toBe(1);
    expect((await alice.query('chat', { id: ids.chat }))?.messages.length).toBe(1);
    // issue 12 item 10: the existing direct chat is found, so New chat opens it
    expect(await alice.query('chatWith', { members: [org.bob.id] })).toBe(ids.chat);
    expect(await alice.query('chatWith', { members: [org.alice.id] })).toBeNull();
    expect((await alice.query('broadcast', { id: ids.broadcast }))?.recipients.length).toBe(1);
    expect((await admin.query('search', { q: 'blue' })).map((h) => h.kind)).toEqual(expect.arrayContaining(['message', 'note']));
  });

  it('refuses a result outside the contract (a leaked column, a 0/1 boolean, a missing field)', async () => {
    const page = await alice.query('inbox', { view: 'mine' });
    const conv = page.items.find((i) => i.kind === 'conversation');
    expect(conv).toBeDefined();
    expect(() => checkQueryResult('inbox', { ...page, items: [{ ...conv, contact_name: 'x' }] })).toThrow(/outside the contract/);
    expect(() => checkQueryResult('inbox', { ...page, items: [{ ...conv, unread: 1 }] })).toThrow(/unread/);
    const { hasFailedSend: _dropped, ...missing } = conv!;
    expect(() => checkQueryResult('inbox', { ...page, items: [missing] })).toThrow(/hasFailedSend/);
    const detail = await alice.query('conversation', { id: ids.conv });
    expect(() => checkQueryResult('conversation', { ...detail, messages: detail!.messages.map((m) => ({ ...m, __pending: 0 })) })).toThrow(/__pending/);
    expect(() => checkQueryResult('directory', { users: [{ ...org.alice, active: 1 }], groups: [], memberships: [] })).toThrow(/active/);
    expect(Object.keys(queryResultSchemas).sort()).toEqual(Object.keys(samples).sort());
  });
});
