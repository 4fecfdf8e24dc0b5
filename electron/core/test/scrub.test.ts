// Restricted content must not stay on disk: after a scope delete no byte of the message
// text is left in the replica's database file or its WAL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRelay, type TestOrg } from '../../../server/testing';
import type { ConversationListItem } from '../../../shared/bridge';
import { filesHolding, newCore, settled, signIn, waitFor, type TestCore } from './harness';

let org: TestOrg;
let admin: TestCore;
let bob: TestCore;

beforeAll(async () => {
  org = await startTestRelay();
  admin = newCore();
  bob = newCore();
  await signIn(admin, org.relay.httpUrl, 'admin@test.parley', org.password);
  await signIn(bob, org.relay.httpUrl, 'bob@test.parley', org.password);
});
afterAll(async () => {
  await admin.close();
  await bob.close();
  await org.relay.close();
});


describe('replica scrubbing', () => {
  it('a conversation restricted away leaves no trace of its text in the replica db or WAL', async () => {
    const secret = 'Quietly ask about the zqxwvquokka merger';
    await org.relay.simulator.inbound({ groupId: org.groups.sales.id, from: '+447700900611', body: secret, contactName: 'Rhea Stone' });
    await waitFor(async () => (await bob.query('search', { q: 'zqxwvquokka' })).length === 1, 'bob has the message, indexed');
    // the text is on disk before (else the check below proves nothing)
    expect(filesHolding(bob.dataDir, secret).length).toBeGreaterThan(0);
    const conv = (await admin.query('inbox', { view: 'team' })).items.find((i) => i.kind === 'conversation' && i.contactName === 'Rhea Stone') as ConversationListItem;
    expect((await admin.mutate('manageConversation', { conversationId: conv.id, visibleTo: [org.alice.id], assignees: [], baseVisibilityVersion: 0 })).ok).toBe(true);
    await settled(admin);
    await waitFor(async () => !(await bob.query('inbox', { view: 'team' })).items.some((i) => i.id === conv.id), 'conversation gone from bob');
    await waitFor(() => filesHolding(bob.dataDir, secret).length === 0, 'restricted text scrubbed from the replica files', 5000).catch(() => undefined);
    expect(filesHolding(bob.dataDir, secret)).toEqual([]);
    expect(filesHolding(bob.dataDir, 'zqxwvquokka')).toEqual([]);
    expect(await bob.query('search', { q: 'zqxwvquokka' })).toEqual([]);
  });

  it('an admin who loses the content but keeps the metadata keeps no trace of the text either (issue 10 item 2)', async () => {
    const secret = 'Confidential terms for the xylophquork deal';
    await org.relay.simulator.inbound({ groupId: org.groups.sales.id, from: '+447700900612', body: secret, contactName: 'Ivo Marsh' });
    await waitFor(async () => (await admin.query('search', { q: 'xylophquork' })).length === 1, 'the admin has the message, indexed');
    expect(filesHolding(admin.dataDir, secret).length).toBeGreaterThan(0);
    const conv = (await admin.query('inbox', { view: 'team' })).items.find((i) => i.kind === 'conversation' && i.contactName === 'Ivo Marsh') as ConversationListItem;
    expect(conv.lastPreview).toContain('xylophquork');
    // an assignee restricts it to alice alone: the admin keeps it listed, as metadata
    expect((await admin.mutate('manageConversation', { conversationId: conv.id, visibleTo: null, assignees: [org.alice.id], baseVisibilityVersion: 0 })).ok).toBe(true);
    await settled(admin);
    expect((await admin.mutate('manageConversation', { conversationId: conv.id, visibleTo: [org.alice.id], assignees: [org.alice.id], baseVisibilityVersion: 0 })).ok).toBe(true);
    await settled(admin);
    await waitFor(async () => {
      const item = (await admin.query('inbox', { view: 'team' })).items.find((i) => i.id === conv.id);
      return item?.kind === 'conversation' && item.confidential;
    }, 'the admin keeps the conversation as metadata');
    const item = (await admin.query('inbox', { view: 'team' })).items.find((i) => i.id === conv.id) as ConversationListItem;
    expect(item).toMatchObject({ confidential: true, lastPreview: '', restricted: true, assignees: [org.alice.id] });
    const detail = await admin.query('conversation', { id: conv.id });
    expect(detail?.messages).toEqual([]);
    expect(detail?.permissions).toMatchObject({ canRead: false, canManage: true, canArchive: true, canDelete: true });
    await waitFor(() => filesHolding(admin.dataDir, secret).length === 0, 'confidential text scrubbed from the admin replica files', 5000).catch(() => undefined);
    expect(filesHolding(admin.dataDir, secret)).toEqual([]);
    expect(filesHolding(admin.dataDir, 'xylophquork')).toEqual([]);
    expect(await admin.query('search', { q: 'xylophquork' })).toEqual([]);
  });
});
