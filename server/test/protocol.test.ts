// Protocol abuse: every bad input gets an error frame or a clean close; the relay keeps
// serving the other clients.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SignJWT } from 'jose';
import { uuidv7 } from 'uuidv7';
import { z } from 'zod';
import { MAX_FRAME_BYTES, MIN_PROTOCOL_VERSION, PROTOCOL_VERSION } from '../../shared/protocol/index';
import { defineMutator } from '../../shared/mutators/define';
import { mutators as productMutators } from '../../shared/mutators/index';
import { tokenSecret } from '../auth/tokens';
import { startTestRelay, type TestOrg } from '../testing';
import { connectAs } from './helpers';
import { WsTestClient } from './wsClient';

let org: TestOrg;
let bystander: WsTestClient;
beforeAll(async () => {
  org = await startTestRelay();
  bystander = await connectAs(org, 'bob');
});
afterAll(async () => {
  await bystander.close();
  await org.relay.close();
});

async function raw(hello = true): Promise<WsTestClient> {
  const { accessToken } = await org.login('alice@test.parley');
  const c = await WsTestClient.connect(org.relay.wsUrl, accessToken, { hello });
  if (hello) await c.waitForPokeEnd();
  return c;
}

describe('protocol abuse', () => {
  it('answers malformed JSON, unknown frames and bad frames with error frames', async () => {
    const c = await raw();
    c.sendRaw('{not json');
    expect((await c.waitFor('error')).code).toBe('bad_json');
    c.sendRaw(JSON.stringify({ type: 'subscribe', x: 1 }));
    expect((await c.waitFor('error')).code).toBe('unknown_frame');
    c.sendRaw(JSON.stringify({ type: 'push', mutations: 'lots' }));
    expect((await c.waitFor('error')).code).toBe('bad_frame');
    c.sendRaw(JSON.stringify(null));
    expect((await c.waitFor('error')).code).toBe('bad_frame');
    c.sendRaw(JSON.stringify({ type: 'ping', t: 5 }));
    expect((await c.waitFor('pong')).t).toBe(5);
    await c.close();
  });

  it('refuses frames before hello', async () => {
    const c = await raw(false);
    c.push({ name: 'createContact', args: {} });
    expect((await c.waitFor('error')).code).toBe('not_hello');
    await c.close();
  });

  it('mutation names that are members of Object.prototype are invalid like any unknown name, never internal', async () => {
    const c = await raw();
    for (const name of ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf', 'isPrototypeOf']) {
      expect(await c.mutate(name, {}), name).toMatchObject({ status: 'rejected', code: 'invalid', message: `unknown mutation ${name}` });
    }
    await c.close();
  });

  it('a client newer than the relay hears which version it serves; the socket closes', async () => {
    const { accessToken } = await org.login('alice@test.parley');
    const c = await WsTestClient.connect(org.relay.wsUrl, accessToken, { hello: false });
    c.hello(accessToken, PROTOCOL_VERSION + 1);
    expect(await c.waitFor('error')).toMatchObject({ code: 'protocol_version', maxVersion: PROTOCOL_VERSION });
    expect((await c.waitForClose()).code).toBe(4000);
  });

  it('a client older than the relay serves (a fake protocol 0) is told client_too_old with the minimum version', async () => {
    const { accessToken } = await org.login('alice@test.parley');
    const c = await WsTestClient.connect(org.relay.wsUrl, accessToken, { hello: false });
    c.hello(accessToken, MIN_PROTOCOL_VERSION - 1);
    expect(await c.waitFor('error')).toMatchObject({ code: 'client_too_old', minVersion: MIN_PROTOCOL_VERSION });
    expect((await c.waitForClose()).code).toBe(4000);
    expect(c.frames.some((f) => f.type === 'welcome')).toBe(false);
  });

  it('a protocol 1 client (Parley 0.1) is still served: welcome, catch-up and pushes', async () => {
    const { accessToken } = await org.login('alice@test.parley');
    const c = await WsTestClient.connect(org.relay.wsUrl, accessToken, { hello: false });
    c.hello(accessToken, 1);
    await c.waitFor('welcome');
    await c.waitForPokeEnd();
    const id = uuidv7();
    expect(await c.mutate('createContact', { id, name: 'From 0.1', phone: '+447700900612' })).toMatchObject({ status: 'ok' });
    expect(c.row('contacts', id)).toMatchObject({ name: 'From 0.1' });
    await c.close();
  });

  it('closes on forged and expired tokens', async () => {
    const forged = await new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject(org.alice.id).setExpirationTime('1h').sign(new TextEncoder().encode('not the secret'));
    const a = await WsTestClient.connect(org.relay.wsUrl, forged);
    expect((await a.waitFor('error')).code).toBe('unauthorized');
    await a.waitForClose();

    const secret = await tokenSecret(org.relay.services.engine.meta);
    const past = Math.floor(Date.now() / 1000) - 60;
    const expired = await new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject(org.alice.id).setIssuedAt(past - 900).setExpirationTime(past).sign(secret);
    const b = await WsTestClient.connect(org.relay.wsUrl, expired);
    expect((await b.waitFor('error')).code).toBe('token_expired');
    await b.waitForClose();
  });

  it('closes the socket on an oversized frame', async () => {
    const c = await raw();
    c.sendRaw('x'.repeat(MAX_FRAME_BYTES + 10));
    const closed = await c.waitForClose();
    expect(closed.code).toBe(1009);
  });

  it('refuses mutation ids out of order and acknowledges replays without running them', async () => {
    const c = await raw();
    const contactId = uuidv7();
    const first = await c.mutate('createContact', { id: contactId, name: 'Once', phone: '+447700900555' });
    expect(first.status).toBe('ok');
    // replay of id 1 with different args: acknowledged, not run
    c.sendRaw(JSON.stringify({ type: 'push', mutations: [{ id: 1, name: 'createContact', args: { id: uuidv7(), name: 'Twice', phone: '+447700900556' } }] }));
    const replay = await c.waitFor('pushResult');
    expect(replay.results).toEqual([{ id: 1, status: 'ok' }]);
    await c.waitFor('poke', (p) => p.lastMutationId === 1);
    // a gap
    c.sendRaw(JSON.stringify({ type: 'push', mutations: [{ id: 5, name: 'createContact', args: { id: uuidv7(), name: 'Gap', phone: '+447700900557' } }] }));
    expect((await c.waitFor('error')).code).toBe('mutation_order');
    const names = (await org.relay.services.engine.store.rows.find('contacts', {})).map((x) => x.name);
    expect(names.filter((n) => n === 'Once')).toHaveLength(1);
    expect(names).not.toContain('Twice');
    expect(names).not.toContain('Gap');
    await c.close();
  });

  it('rejects system mutations, unknown mutations and bad args but advances lastMutationId', async () => {
    const c = await raw();
    const start = c.nextMutationId;
    c.push(
      { name: 'receiveInbound', args: { groupId: org.groups.sales.id, channel: 'sms', from: '+447700900123', body: 'x' } },
      { name: 'dropAllTables', args: {} },
      { name: 'createContact', args: { id: 5 } },
    );
    const r = await c.waitFor('pushResult');
    expect(r.results.map((x) => x.code)).toEqual(['forbidden', 'invalid', 'invalid']);
    const poke = await c.waitFor('poke', (p) => p.lastMutationId === start + 2);
    expect(poke.puts).toEqual([]);
    await c.close();
  });

  it('closes a socket that keeps sending garbage', async () => {
    const c = await raw();
    for (let i = 0; i < 12; i++) c.sendRaw('garbage');
    expect((await c.waitForClose()).code).toBe(1008);
  });

  it('keeps serving the other client', async () => {
    const id = uuidv7();
    const r = await bystander.mutate('createContact', { id, name: 'Still here', phone: '+447700900558' });
    expect(r.status).toBe('ok');
    expect(bystander.row('contacts', id)?.name).toBe('Still here');
    const health = await fetch(`${org.relay.httpUrl}/health`);
    expect(health.status).toBe(200);
  });
});

describe('a mutator that crashes', () => {
  it('is rejected as internal and the relay carries on', async () => {
    const mutators = {
      boom: defineMutator({ args: z.object({}), run() { throw new TypeError('bug in a mutator'); } }),
      ...productMutators,
    };
    const logged: string[] = [];
    const o = await startTestRelay({ mutators, log: (m) => logged.push(m) });
    try {
      const c = await connectAs(o, 'alice');
      const r = await c.mutate('boom', {});
      expect(r).toEqual({ id: 1, status: 'rejected', code: 'internal', message: 'internal error' });
      expect(logged.some((m) => m.includes('boom'))).toBe(true);
      const ok = await c.mutate('createContact', { id: uuidv7(), name: 'After', phone: '+447700900559' });
      expect(ok.status).toBe('ok');
      await c.close();
    } finally {
      await o.relay.close();
    }
  });
});
