// A live socket lives only as long as the access token it said hello with.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRelay, type TestOrg } from '../testing';
import { connectAs } from './helpers';

let org: TestOrg;
beforeAll(async () => {
  // JWT exp is in whole seconds: a 2 s token expires 1–2 s after login.
  org = await startTestRelay({ accessTokenTtlSeconds: 2 });
});
afterAll(async () => {
  await org.relay.close();
});

describe('access token expiry on an open socket', () => {
  it('sends token_expired and closes (4000) when the token expires; a fresh token reconnects', async () => {
    const alice = await connectAs(org, 'alice');
    expect(alice.all('welcome')).toHaveLength(1);
    const err = await alice.waitFor('error', () => true, 10_000);
    expect(err.code).toBe('token_expired');
    expect((await alice.waitForClose()).code).toBe(4000);

    const { cookie, clientId } = alice;
    const back = await connectAs(org, 'alice', { cookie, clientId });
    expect(back.all('welcome')).toHaveLength(1);
    expect(back.all('error')).toHaveLength(0);
    await back.close();
  });
});
