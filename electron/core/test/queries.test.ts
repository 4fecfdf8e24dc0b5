import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuidv7 } from 'uuidv7';
import { startTestRelay, type TestOrg } from '../../../server/testing';
import type { ConversationListItem } from '../../../shared/bridge';
import { newCore, settled, signIn, waitFor, type TestCore } from './harness';

let org: TestOrg;
let admin: TestCore;
let alice: TestCore;

beforeAll(async () => {
  org = await startTestRelay();
  admin = newCore();
  alice = newCore();
  await signIn(admin, org.relay.httpUrl, 'admin@test.parley', org.password);
  await signIn(alice, org.relay.httpUrl, 'alice@test.parley', org.password);
});
afterAll(async () => {
  await admin.close();
  await alice.close();
  await org.relay.close();
});

describe('bridge queries and commands', () => {
  it('imports contacts from CSV, reporting bad rows by line, and exports them', async () => {
    const csv = ['name,phone,email,tags', 'Ann Lee,+44 7700 900201,ann@example.com,vip;north', 'No Phone,,,', 'Bad Number,12,,', 'Ben Ode,07700 900202,,north', 'Ann Again,+447700900201,,'].join('\n');
    const r = await admin.command('importContactsCsv', { csv });
    expect(r.imported).toBe(2);
    expect(r.errors.map((e) => e.line)).toEqual([3, 4, 6]);
    expect(r.errors[2]!.message).toContain('line 2');
    await settled(admin);
    const page = await admin.query('contacts', { tag: 'north' });
    expect(page.items.map((c) => c.name)).toEqual(['Ann Lee', 'Ben Ode']);
    expect(await admin.query('tags', {})).toEqual(expect.arrayContaining(['north', 'vip']));
    const out = await admin.command('exportContactsCsv', {});
    expect(out.count).toBeGreaterThanOrEqual(2);
    expect(out.csv).toContain('Ann Lee,+447700900201,ann@example.com,vip;north');
    // refused when the header lacks the columns
    expect((await admin.command('importContactsCsv', { csv: 'foo,bar\n1,2' })).errors[0]!.line).toBe(1);
  });

  it('previews an import (new / matches / invalid, per line) and never overwrites a contact silently (issue 10 item 14)', async () => {
    await admin.mutate('createContact', { id: uuidv7(), name: 'Daisy Ward', phone: '+447700900601', email: 'daisy@example.com' });
    await admin.mutate('createContact', { id: uuidv7(), name: 'Eric Lamb', phone: '+447700900602' });
    await settled(admin);
    const csv = ['name,phone,email', 'Dup Of Daisy,07700 900601,dup@example.com', 'Eric L.,+447700900602,', 'Fay New,+447700900603,', 'Bad,12,'].join('\n');
    const before = (await admin.query('contacts', { search: 'Daisy' })).items.map((c) => c.name);
    const preview = await admin.command('previewContactsCsv', { csv });
    expect(preview.rows.map((r) => [r.line, r.status])).toEqual([[2, 'match'], [3, 'match'], [4, 'new'], [5, 'invalid']]);
    expect(preview.rows[0]).toMatchObject({ existing: { name: 'Daisy Ward' }, differences: ['name (Daisy Ward → Dup Of Daisy)', 'email (daisy@example.com → dup@example.com)'] });
    expect(preview.rows[3]?.reason).toMatch(/not a valid phone number|phone/i);
    // the preview wrote nothing
    expect((await admin.query('contacts', { search: 'Daisy' })).items.map((c) => c.name)).toEqual(before);
    expect((await admin.query('contacts', { search: 'Fay' })).items).toEqual([]);
    // keep by default, update line 3 only
    const r = await admin.command('importContactsCsv', { csv, onMatch: 'keep', choices: { '3': 'update' } });
    expect(r.rows.map((x) => [x.line, x.outcome])).toEqual([[2, 'kept'], [3, 'updated'], [4, 'created'], [5, 'invalid']]);
    expect(r.rows[0]?.reason).toBe('kept Daisy Ward as it was (tags added)');
    await settled(admin);
    expect((await admin.query('contacts', { search: '900601' })).items.map((c) => c.name)).toEqual(['Daisy Ward']);
    expect((await admin.query('contacts', { search: '900602' })).items.map((c) => c.name)).toEqual(['Eric L.']);
    // skip leaves the contact untouched
    const s = await admin.command('importContactsCsv', { csv: 'name,phone\nDaisy Again,+447700900601', onMatch: 'skip' });
    expect(s.rows).toEqual([{ line: 2, name: 'Daisy Again', phone: '+447700900601', outcome: 'skipped', reason: 'skipped: +447700900601 already belongs to Daisy Ward' }]);
  });

  it('searches contacts (name and phone digits), messages and notes with snippets', async () => {
    await org.relay.simulator.inbound({ groupId: org.groups.sales.id, from: '+447700900301', body: 'Do you deliver pineapples on Sunday?', contactName: 'Peggy Pine' });
    await waitFor(async () => (await admin.query('search', { q: 'pineapp' })).some((h) => h.kind === 'message'), 'message indexed');
    const hits = await admin.query('search', { q: 'pineapp' });
    const msg = hits.find((h) => h.kind === 'message')!;
    expect(msg.snippet).toContain('\u0002pineapples\u0003');
    expect(msg.title).toBe('Peggy Pine');
    expect((await admin.query('search', { q: '900301' })).some((h) => h.kind === 'contact' && h.title === 'Peggy Pine')).toBe(true);
    expect((await admin.query('contacts', { search: 'Peg' })).items.map((c) => c.name)).toContain('Peggy Pine');
    expect((await admin.query('contacts', { search: 'ann@exam' })).items.map((c) => c.name)).toEqual(['Ann Lee']);
    const conv = hits.find((h) => h.kind === 'message')!.targetId;
    await admin.mutate('addNote', { id: uuidv7(), conversationId: conv, body: 'Customer prefers courier Zephyr' });
    expect((await admin.query('search', { q: 'zephyr' })).map((h) => h.kind)).toEqual(['note']);
    expect(await admin.query('search', { q: '"; DROP TABLE' })).toEqual([]);
    // accents and case are ignored, every word is a prefix, all words are required
    await org.relay.simulator.inbound({ groupId: org.groups.sales.id, from: '+447700900303', body: 'Meet me at the Café Zürich tomorrow' });
    await waitFor(async () => (await admin.query('search', { q: 'zur caf' })).length === 1, 'accent-insensitive prefix search');
    expect(await admin.query('search', { q: 'zur pineapple' })).toEqual([]);
    expect((await admin.query('search', { q: 'CAFÉ' }))[0]?.snippet).toContain('\u0002Café\u0003');
  });

  it('Team inbox, My inbox, Archived, Chats and unread counts', async () => {
    await org.relay.simulator.inbound({ groupId: org.groups.sales.id, from: '+447700900302', body: 'Where is my parcel', contactName: 'Quinn' });
    await waitFor(async () => (await alice.query('inbox', { view: 'team' })).items.some((i) => i.kind === 'conversation' && i.contactName === 'Quinn'), 'quinn in team inbox');
    const team = await alice.query('inbox', { view: 'team', groupId: org.groups.sales.id });
    const quinn = team.items.find((i) => i.kind === 'conversation' && i.contactName === 'Quinn') as ConversationListItem;
    expect(quinn.unread).toBe(true);
    const before = await alice.query('counts', {});
    expect(before.team[org.groups.sales.id]).toBeGreaterThanOrEqual(1);
    expect((await alice.query('inbox', { view: 'team', unreadOnly: true })).items.some((i) => i.id === quinn.id)).toBe(true);

    await alice.mutate('markRead', { targetId: quinn.id, at: Date.now() });
    expect((await alice.query('counts', {})).teamAll).toBe(before.teamAll - 1);
    await alice.mutate('manageConversation', { conversationId: quinn.id, visibleTo: null, assignees: [org.alice.id], baseVisibilityVersion: 0 });
    const mine = await alice.query('inbox', { view: 'mine' });
    expect(mine.items.map((i) => i.id)).toContain(quinn.id);

    const chatId = uuidv7();
    await alice.mutate('createChat', { id: chatId, members: [org.alice.id, org.bob.id] });
    await alice.mutate('sendChatMessage', { id: uuidv7(), chatId, body: 'lunch?' });
    const chats = await alice.query('inbox', { view: 'chats' });
    expect(chats.items[0]).toMatchObject({ kind: 'chat', id: chatId, title: 'Bob', unread: false });
    expect((await alice.query('inbox', { view: 'mine' })).items.map((i) => i.id)).toEqual(expect.arrayContaining([chatId, quinn.id]));
    expect((await alice.query('chat', { id: chatId }))?.messages[0]).toMatchObject({ body: 'lunch?' });
    // an admin sees that every team chat exists (only admins may delete one), flagged as not theirs,
    // never unread — its metadata only: no preview, no messages (chats are private to participants)
    await settled(alice);
    await waitFor(async () => (await admin.query('inbox', { view: 'chats' })).items.some((i) => i.id === chatId && i.kind === 'chat' && i.messageCount === 1), 'admin sees the chat');
    const adminChats = await admin.query('inbox', { view: 'chats' });
    expect(adminChats.items.find((i) => i.id === chatId)).toMatchObject({ kind: 'chat', isMember: false, unread: false, title: 'Private chat between Alice and Bob', lastPreview: '', messageCount: 1 });
    expect((await admin.query('chat', { id: chatId }))?.messages).toEqual([]);
    expect(await admin.query('search', { q: 'lunch' })).toEqual([]);
    expect((await admin.query('inbox', { view: 'chats', unreadOnly: true })).items.map((i) => i.id)).not.toContain(chatId);
    expect((await admin.query('inbox', { view: 'mine' })).items.map((i) => i.id)).not.toContain(chatId);
    expect((await admin.query('counts', {})).chats).toBe(0);
    expect(await admin.query('chat', { id: chatId })).toMatchObject({ canDelete: true, messages: [] });
    expect(chats.items[0]).toMatchObject({ isMember: true });

    await alice.mutate('archiveConversation', { conversationId: quinn.id });
    expect((await alice.query('inbox', { view: 'archived' })).items.map((i) => i.id)).toContain(quinn.id);
    expect((await alice.query('inbox', { view: 'team' })).items.map((i) => i.id)).not.toContain(quinn.id);
    await settled(alice);
    const detail = await alice.query('conversation', { id: quinn.id });
    expect(detail?.conversation.status).toBe('archived');
    expect(detail?.permissions).toMatchObject({ canDelete: false, canArchive: true });
  });

  it('validates arguments of every call', async () => {
    await expect(alice.query('inbox', { view: 'nope' as 'team' })).rejects.toMatchObject({ code: 'invalid_args' });
    await expect(alice.command('attachmentData', { id: 'x' })).rejects.toMatchObject({ code: 'invalid_args' });
    expect(await alice.mutate('sendMessage', { id: 'x' } as never)).toMatchObject({ ok: false, code: 'invalid' });
    // issue 12 item 9: the refusal is a sentence, never validator text
    const long = await alice.mutate('sendMessage', { id: 'y', contactId: 'c', groupId: 'g', channel: 'sms', body: 'x'.repeat(10_000) });
    expect(long).toEqual({ ok: false, code: 'invalid', message: 'The message is too long: at most 4,096 characters.' });
    await expect(alice.query('inbox', { view: 'nope' as 'team' })).rejects.toMatchObject({ message: 'The view is not one of the choices.' });
  });
});
