// Sync basics: login, hello → welcome → catch-up poke, push → pushResult → poke, fan-out.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuidv7 } from 'uuidv7';
import { startTestRelay, type TestOrg } from '../testing';
import { WsTestClient } from './wsClient';

let org: TestOrg;
beforeAll(async () => {
  org = await startTestRelay();
});
afterAll(async () => {
  await org.relay.close();
});

describe('sync', () => {
  it('sends welcome and a catch-up poke of what the user sees', async () => {
    const { accessToken } = await org.login('alice@test.parley');
    const c = await WsTestClient.synced(org.relay.wsUrl, accessToken);
    const welcome = c.all('welcome')[0];
    expect(welcome?.userId).toBe(org.alice.id);
    expect(c.table('users').map((u) => u.email).sort()).toContain('alice@test.parley');
    expect(c.table('groups')).toHaveLength(2);
    expect(c.cookie).toBe(welcome?.version);
    await c.close();
  });

  it('applies a push, answers pushResult then a poke, and fans out to others', async () => {
    const admin = await WsTestClient.synced(org.relay.wsUrl, (await org.login('admin@test.parley')).accessToken);
    const alice = await WsTestClient.synced(org.relay.wsUrl, (await org.login('alice@test.parley')).accessToken);
    const carol = await WsTestClient.synced(org.relay.wsUrl, (await org.login('carol@test.parley')).accessToken);
    const contactId = uuidv7();
    const r = await admin.mutate('createContact', { id: contactId, name: 'Zoe', phone: '+447700900123' });
    expect(r).toEqual({ id: 1, status: 'ok' });
    const frames = admin.frames.map((f) => f.type);
    expect(frames.lastIndexOf('pushResult')).toBeLessThan(frames.lastIndexOf('poke'));
    await alice.waitFor('poke', (p) => p.puts.some((x) => x.t === 'contacts'));
    expect(alice.row('contacts', contactId)?.name).toBe('Zoe');

    const convId = uuidv7();
    const msgId = uuidv7();
    const sent = await alice.mutate('sendMessage', { id: msgId, contactId, groupId: org.groups.sales.id, newConversationId: convId, channel: 'sms', body: 'Hello Zoe' });
    expect(sent.status).toBe('ok');
    expect(alice.row('messages', msgId)?.body).toBe('Hello Zoe');
    await admin.waitFor('poke', (p) => p.puts.some((x) => x.t === 'messages'));
    expect(admin.row('conversations', convId)).toBeDefined();
    // carol is in support only: nothing of the sales conversation reaches her
    const carolPuts = carol.all('poke').flatMap((p) => p.puts);
    expect(carolPuts.some((p) => p.t === 'messages' || p.t === 'conversations')).toBe(false);

    const bad = await alice.mutate('createContact', { id: uuidv7(), name: '', phone: 'x' });
    expect(bad.status).toBe('rejected');
    expect(bad.code).toBe('invalid');
    await Promise.all([admin.close(), alice.close(), carol.close()]);
  });

  it('handles every push a client sent before it hung up, and welcomes its next hello after them', async () => {
    const token = (await org.login('admin@test.parley')).accessToken;
    const first = await WsTestClient.synced(org.relay.wsUrl, token);
    const ids: string[] = [];
    const contact = (i: number) => {
      const id = uuidv7();
      ids.push(id);
      return { name: 'createContact', args: { id, name: `Hung up ${i}`, phone: `+447700900${String(200 + i)}` } };
    };
    // one push longer than the relay's handling slice (it yields between mutations), then small
    // ones: the socket closes while they are handled, on either store
    first.push(...Array.from({ length: 100 }, (_, i) => contact(i)));
    for (let i = 100; i < 120; i++) first.push(contact(i));
    const last = first.nextMutationId - 1;
    await first.close();

    const back = await WsTestClient.synced(org.relay.wsUrl, token, { clientId: first.clientId, cookie: first.cookie, rows: first.rows });
    const welcome = back.all('welcome')[0];
    expect(welcome?.lastMutationId).toBe(last);
    const stored = await org.relay.services.engine.store.rows.find('contacts', {});
    const storedIds = new Set(stored.map((c) => c.id));
    expect(ids.filter((id) => !storedIds.has(id))).toEqual([]);
    // the catch-up from its cookie brought what it pushed
    expect(ids.filter((id) => back.row('contacts', id) === undefined)).toEqual([]);
    // and it goes on from there, as a client does after its welcome
    back.nextMutationId = (welcome?.lastMutationId ?? 0) + 1;
    const next = await back.mutate('createContact', { id: uuidv7(), name: 'After', phone: '+447700900400' });
    expect(next).toEqual({ id: last + 1, status: 'ok' });
    await back.close();
  });
});
