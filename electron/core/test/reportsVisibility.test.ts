// Reports count only content the user holds, through the real relay: when a conversation is
// restricted to Alice, the admin keeps its metadata row (issue 10) but every report drops it —
// conversations, messages, busiest hours, first response, backlog — while Alice's keep it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

const DAY = 86_400_000;

async function figures(core: TestCore) {
  const range = { from: Date.now() - DAY, to: Date.now() + DAY, tzOffsetMinutes: 0 };
  const [volume, channels, hours, times, backlog] = await Promise.all([
    core.query('reportVolume', range), core.query('reportChannels', range), core.query('reportHours', range), core.query('reportTimes', range), core.query('reportBacklog', {}),
  ]);
  return {
    opened: volume.totals.opened,
    messages: channels.totals.reduce((s, t) => s + t.inbound + t.outbound, 0),
    inboundByHour: hours.total,
    firstInbound: times.firstResponse.overall.count + times.firstResponse.unanswered,
    open: backlog.open,
  };
}

describe('reports and visibility', () => {
  it('an admin who keeps only the metadata of a restricted conversation counts none of it; the reader does', async () => {
    await org.relay.simulator.inbound({ groupId: org.groups.sales.id, from: '+447700900631', body: 'Quote for the orangery please', contactName: 'Lena Ortiz' });
    await waitFor(async () => (await admin.query('inbox', { view: 'team' })).items.some((i) => i.kind === 'conversation' && i.contactName === 'Lena Ortiz'), 'the admin has it');
    await waitFor(async () => (await alice.query('inbox', { view: 'team' })).items.some((i) => i.kind === 'conversation' && i.contactName === 'Lena Ortiz'), 'alice has it');
    const before = await figures(admin);
    const aliceBefore = await figures(alice);
    expect(before).toMatchObject({ opened: expect.any(Number) as number });
    expect(before.opened).toBeGreaterThanOrEqual(1);
    expect(before.messages).toBeGreaterThanOrEqual(1);

    const conv = (await admin.query('inbox', { view: 'team' })).items.find((i) => i.kind === 'conversation' && i.contactName === 'Lena Ortiz') as ConversationListItem;
    expect((await admin.mutate('manageConversation', { conversationId: conv.id, visibleTo: null, assignees: [org.alice.id], baseVisibilityVersion: 0 })).ok).toBe(true);
    await settled(admin);
    expect((await admin.mutate('manageConversation', { conversationId: conv.id, visibleTo: [org.alice.id], assignees: [org.alice.id], baseVisibilityVersion: 0 })).ok).toBe(true);
    await settled(admin);
    await waitFor(async () => {
      const item = (await admin.query('inbox', { view: 'team' })).items.find((i) => i.id === conv.id);
      return item?.kind === 'conversation' && item.confidential;
    }, 'the admin keeps the conversation as metadata');

    // the metadata row is still listed, but no report counts it
    expect(await figures(admin)).toEqual({
      opened: before.opened - 1, messages: before.messages - 1, inboundByHour: before.inboundByHour - 1, firstInbound: before.firstInbound - 1, open: before.open - 1,
    });
    await settled(alice);
    expect(await figures(alice)).toEqual(aliceBefore);
  });
});
