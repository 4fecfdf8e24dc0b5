// Admin commands over the bridge, against a real relay: people and provider accounts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRelay, type TestOrg } from '../../../server/testing';
import { newCore, signIn, type TestCore } from './harness';

let org: TestOrg;
let admin: TestCore;
let alice: TestCore;
let relayClosed = false;

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
  if (!relayClosed) await org.relay.close();
});

const SID = 'AC' + 'a'.repeat(32);
const twilio = () => ({
  kind: 'twilio' as const,
  groupId: org.groups.sales.id,
  channel: 'sms' as const,
  public: { accountSid: SID, number: '+15005550006' },
  secrets: { authToken: 'super-secret-auth-token' },
});

/** The bridge error a command is refused with. */
async function refusal(p: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await p;
  } catch (e) {
    return e as { code: string; message: string };
  }
  throw new Error('expected a refusal');
}

describe('admin commands', () => {
  it('an admin creates a user who can then sign in; an agent is refused', async () => {
    const u = await admin.command('createUser', { email: 'Erin@Test.Parley', name: 'Erin', role: 'agent', password: 'erin password 1', groupIds: [org.groups.sales.id] });
    expect(u).toMatchObject({ email: 'erin@test.parley', name: 'Erin', role: 'agent' });
    const erin = newCore();
    try {
      await signIn(erin, org.relay.httpUrl, 'erin@test.parley', 'erin password 1');
      expect((await erin.query('session', {}))?.userId).toBe(u.id);
    } finally {
      await erin.close();
    }
    const dup = await refusal(admin.command('createUser', { email: 'erin@test.parley', name: 'Erin 2', role: 'agent', password: 'erin password 2' }));
    expect(dup.code).toBe('conflict');
    expect(dup.message).toContain('already exists');
    await expect(alice.command('createUser', { email: 'x@test.parley', name: 'X', role: 'admin', password: 'xxxxxxxxxx' })).rejects.toMatchObject({ code: 'forbidden', message: 'Only admins can do this.' });
    await expect(alice.command('providerAccounts', {})).rejects.toMatchObject({ code: 'forbidden' });
  });

  it('saves, lists (never the secrets) and removes a provider account; the relay explains bad input', async () => {
    const saved = await admin.command('saveProviderAccount', twilio());
    expect(saved).toMatchObject({ kind: 'twilio', groupId: org.groups.sales.id, groupName: 'Sales', channel: 'sms', secrets: ['authToken'] });
    expect(saved.public).toMatchObject({ accountSid: SID });
    const list = await admin.command('providerAccounts', {});
    expect(list.accounts.map((a) => a.id)).toEqual([saved.id]);
    expect(list.accounts[0]?.webhooks[0]?.url).toBe(`${list.publicUrl}/webhooks/twilio/${saved.id}`);
    expect(JSON.stringify(list)).not.toContain('super-secret-auth-token');

    const bad = await refusal(admin.command('saveProviderAccount', { ...twilio(), public: { accountSid: 'XY123', number: '+15005550006' } }));
    expect(bad.code).toBe('invalid');
    expect(bad.message).toBe('An account SID starts with AC.');

    expect(await admin.command('removeProviderAccount', { id: saved.id })).toBeNull();
    expect((await admin.command('providerAccounts', {})).accounts).toEqual([]);
    await expect(admin.command('removeProviderAccount', { id: saved.id })).rejects.toMatchObject({ code: 'not_found' });
  });

  it('says plainly that it needs the relay when offline', async () => {
    await org.relay.close();
    relayClosed = true;
    await expect(admin.command('providerAccounts', {})).rejects.toMatchObject({ code: 'offline', message: 'You’re offline — this needs a connection to the relay.' });
  });
});
