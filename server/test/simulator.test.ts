// The simulator: outbound moves queued → sent → delivered and reaches the "contact";
// inbound acts as a contact writing in.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuidv7 } from 'uuidv7';
import { startTestRelay, type TestOrg } from '../testing';
import { connectAs } from './helpers';

let org: TestOrg;
beforeAll(async () => {
  org = await startTestRelay();
});
afterAll(async () => {
  await org.relay.close();
});

describe('simulator', () => {
  it('delivers outbound SMS in parts and reports status progress', async () => {
    const admin = await connectAs(org, 'admin');
    const alice = await connectAs(org, 'alice');
    const contactId = uuidv7();
    await admin.mutate('createContact', { id: contactId, name: 'Sam', phone: '+447700900321' });
    const msgId = uuidv7();
    const body = `${'word '.repeat(50)}end`;
    const r = await alice.mutate('sendMessage', { id: msgId, contactId, groupId: org.groups.sales.id, newConversationId: uuidv7(), channel: 'sms', body });
    expect(r.status).toBe('ok');
    await alice.waitFor('poke', () => alice.row('messages', msgId)?.status === 'delivered');
    const statuses = alice.all('poke').flatMap((p) => p.puts.filter((x) => x.t === 'messages' && x.r.id === msgId).map((x) => String(x.r.status)));
    expect(statuses).toEqual(['queued', 'sent', 'delivered']);
    const texts = org.relay.simulator.sent().filter((t) => t.messageId === msgId);
    expect(texts.length).toBe(2);
    expect(texts.every((t) => t.to === '+447700900321' && t.channel === 'sms')).toBe(true);
    expect(texts.map((t) => t.body).join(' ').replace(/\s+/g, ' ')).toBe(body);
    await Promise.all([admin.close(), alice.close()]);
  });

  it('inbound creates the contact and a conversation the group sees', async () => {
    const bob = await connectAs(org, 'bob');
    const carol = await connectAs(org, 'carol');
    await org.relay.simulator.inbound({ groupId: org.groups.sales.id, from: '+447700900888', body: 'Is my order ready?', contactName: 'Pat' });
    const poke = await bob.waitFor('poke', (p) => p.puts.some((x) => x.t === 'messages' && x.r.body === 'Is my order ready?'));
    expect(poke.puts.some((x) => x.t === 'contacts' && x.r.name === 'Pat')).toBe(true);
    expect(bob.table('conversations').some((c) => c.groupId === org.groups.sales.id)).toBe(true);
    // HTTP variant, as an admin
    const { accessToken } = await org.login('admin@test.parley');
    const res = await fetch(`${org.relay.httpUrl}/simulator/inbound`, {
      method: 'POST',
      headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ groupId: org.groups.support.id, from: '+447700900889', body: 'Help please' }),
    });
    expect(res.status).toBe(202);
    await carol.waitFor('poke', (p) => p.puts.some((x) => x.t === 'messages' && x.r.body === 'Help please'));
    const agent = await org.login('bob@test.parley');
    expect((await fetch(`${org.relay.httpUrl}/simulator/sent`, { headers: { authorization: `Bearer ${agent.accessToken}` } })).status).toBe(403);
    await Promise.all([bob.close(), carol.close()]);
  });
});
