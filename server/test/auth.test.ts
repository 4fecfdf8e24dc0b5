// Auth: login, refresh rotation, logout revocation, rate limit, deactivation.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRelay, type TestOrg } from '../testing';
import { connectAs } from './helpers';

let org: TestOrg;
beforeAll(async () => {
  org = await startTestRelay();
});
afterAll(async () => {
  await org.relay.close();
});

const post = (path: string, body: unknown) =>
  fetch(`${org.relay.httpUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe('auth', () => {
  it('logs in with the right password only', async () => {
    const ok = await post('/auth/login', { email: 'Alice@test.parley', password: org.password });
    expect(ok.status).toBe(200);
    const s = (await ok.json()) as { accessToken: string; refreshToken: string; accessExpiresAt: number; user: { id: string; role: string } };
    expect(s.user).toMatchObject({ id: org.alice.id, role: 'agent' });
    expect(s.accessExpiresAt).toBeGreaterThan(Date.now());
    const bad = await post('/auth/login', { email: 'alice@test.parley', password: 'wrong password' });
    expect(bad.status).toBe(401);
    expect(((await bad.json()) as { error: { code: string } }).error.code).toBe('invalid_credentials');
    expect((await post('/auth/login', { email: 'nobody@test.parley', password: 'x' })).status).toBe(401);
    expect((await post('/auth/login', { email: 'dave@test.parley', password: org.password })).status).toBe(403);
  });

  it('rotates refresh tokens and revokes them at logout', async () => {
    const first = await org.login('bob@test.parley');
    const r1 = await post('/auth/refresh', { refreshToken: first.refreshToken });
    expect(r1.status).toBe(200);
    const second = (await r1.json()) as { refreshToken: string; accessToken: string };
    expect(second.refreshToken).not.toBe(first.refreshToken);
    expect((await post('/auth/refresh', { refreshToken: first.refreshToken })).status).toBe(401);
    // reuse of a spent token revoked the whole family
    expect((await post('/auth/refresh', { refreshToken: second.refreshToken })).status).toBe(401);

    const third = await org.login('bob@test.parley');
    expect((await post('/auth/logout', { refreshToken: third.refreshToken })).status).toBe(204);
    expect((await post('/auth/refresh', { refreshToken: third.refreshToken })).status).toBe(401);
  });

  it('rate-limits failed logins per email and IP', async () => {
    for (let i = 0; i < 5; i++) expect((await post('/auth/login', { email: 'carol@test.parley', password: 'nope' })).status).toBe(401);
    const blocked = await post('/auth/login', { email: 'carol@test.parley', password: org.password });
    expect(blocked.status).toBe(429);
    expect(((await blocked.json()) as { error: { code: string } }).error.code).toBe('rate_limited');
  });

  it('deactivation closes the user\'s sockets and revokes their tokens at once', async () => {
    const { alice: user } = org;
    const session = await org.login('alice@test.parley');
    const c = await connectAs(org, 'alice');
    const admin = await connectAs(org, 'admin');
    await org.relay.admin.deactivateUser(user.id);
    expect((await c.waitFor('error')).code).toBe('deactivated');
    await c.waitForClose();
    expect((await post('/auth/refresh', { refreshToken: session.refreshToken })).status).toBe(401);
    // others keep working and learn the user is inactive
    await admin.waitFor('poke', (p) => p.puts.some((x) => x.t === 'users' && x.r.id === user.id && x.r.active === false));
    await admin.close();
  });
});
