// End to end through the real relay: admin API configures Twilio for a group, signed webhooks
// become messages (once), sends reach the provider's API, status callbacks never go backwards.
import twilio from 'twilio';
import { uuidv7 } from 'uuidv7';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestRelay, type TestOrg } from '../../testing';
import { sendJson, startFakeApi, type FakeApi } from './helpers';

const SID = 'AC' + 'e5'.repeat(16);
const TOKEN = 'relay-test-auth-token';
const OUR = '+15005550006';
const CONTACT = '+14155552671';

let org: TestOrg;
let api: FakeApi;
let adminToken: string;
let accountId: string;
let seq = 0;

const http = (path: string, init: RequestInit & { token?: string } = {}) =>
  fetch(org.relay.httpUrl + path, { ...init, headers: { 'content-type': 'application/json', ...(init.token ? { authorization: `Bearer ${init.token}` } : {}), ...(init.headers as Record<string, string> | undefined) } });

function twilioPost(path: string, params: Record<string, string>, token = TOKEN) {
  const signature = twilio.getExpectedTwilioSignature(token, org.relay.httpUrl + path, params);
  return fetch(org.relay.httpUrl + path, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature }, body: new URLSearchParams(params).toString() });
}
const messagesFrom = (sid: string) => org.relay.services.engine.store.rows.find('messages', { providerMessageId: sid });
async function until<T>(f: () => T | undefined | Promise<T | undefined>, what: string): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const v = await f();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

beforeEach(async () => {
  org = await startTestRelay();
  api = await startFakeApi();
  api.reply((_q, res) => sendJson(res, 201, { sid: `SM${String(++seq).padStart(32, '0')}`, status: 'queued' }));
  adminToken = (await org.login(org.admin.email)).accessToken;
  const put = await http('/admin/providers', {
    method: 'PUT', token: adminToken,
    body: JSON.stringify({ kind: 'twilio', groupId: org.groups.sales.name, channel: 'sms', sendRatePerSecond: 100, public: { accountSid: SID, number: OUR, apiBaseUrl: api.url }, secrets: { authToken: TOKEN } }),
  });
  expect(put.status).toBe(200);
  accountId = ((await put.json()) as { id: string }).id;
});
afterEach(async () => {
  await api.close();
  await org.relay.close();
});

describe('provider admin API', () => {
  it('lists accounts with webhook URLs and no secret values, for admins only', async () => {
    const res = await http('/admin/providers', { token: adminToken });
    const body = (await res.json()) as { accounts: { id: string; groupId: string; secrets: string[]; webhooks: { url: string }[] }[] };
    expect(body.accounts).toHaveLength(1);
    expect(body.accounts[0]).toMatchObject({ id: accountId, groupId: org.groups.sales.id, secrets: ['authToken'] });
    expect(body.accounts[0]?.webhooks[0]?.url).toBe(`${org.relay.httpUrl}/webhooks/twilio/${accountId}`);
    expect(JSON.stringify(body)).not.toContain(TOKEN);
    const agent = (await org.login(org.alice.email)).accessToken;
    expect((await http('/admin/providers', { token: agent })).status).toBe(403);
    const bad = await http('/admin/providers', { method: 'PUT', token: adminToken, body: JSON.stringify({ kind: 'twilio', groupId: 'nope' }) });
    expect(bad.status).toBe(400);
    // a sentence for people, never the validator's own text
    const { message } = ((await bad.json()) as { error: { message: string } }).error;
    expect(message).toMatch(/^The channel is not one of the choices/);
    expect(message).not.toMatch(/✖|→|Invalid input|expected/);
  });
});

describe('Twilio through the relay', () => {
  const inbound = (sid: string, Body: string) => ({ MessageSid: sid, AccountSid: SID, From: CONTACT, To: OUR, Body, NumMedia: '0' });

  it('stores a signed inbound message once, in the sales team inbox, and refuses forged ones', async () => {
    const sid = 'SM' + '1'.repeat(32);
    expect((await twilioPost(`/webhooks/twilio/${accountId}`, inbound(sid, 'Hi there'))).status).toBe(200);
    expect((await twilioPost(`/webhooks/twilio/${accountId}`, inbound(sid, 'Hi there'))).status).toBe(200);
    expect(await messagesFrom(sid)).toHaveLength(1);
    const conv = (await org.relay.services.engine.store.rows.get('conversations', (await messagesFrom(sid))[0]?.conversationId ?? ''));
    expect(conv?.groupId).toBe(org.groups.sales.id);

    const forged = 'SM' + '2'.repeat(32);
    expect((await twilioPost(`/webhooks/twilio/${accountId}`, inbound(forged, 'x'), 'wrong-token-123')).status).toBe(403);
    expect((await twilioPost(`/webhooks/twilio/unknown-account`, inbound(forged, 'x'))).status).toBe(404);
    expect(await messagesFrom(forged)).toHaveLength(0);
  });

  it('passes STOP through to the domain, which opts the contact out', async () => {
    await twilioPost(`/webhooks/twilio/${accountId}`, inbound('SM' + '3'.repeat(32), 'STOP'));
    const contact = (await org.relay.services.engine.store.rows.find('contacts', { phone: CONTACT }))[0];
    expect(contact?.optedOut).toBe(true);
  });

  it('sends through the Twilio API and never moves a status backwards on out-of-order callbacks', async () => {
    await twilioPost(`/webhooks/twilio/${accountId}`, inbound('SM' + '4'.repeat(32), 'hello'));
    const contact = (await org.relay.services.engine.store.rows.find('contacts', { phone: CONTACT }))[0];
    const id = uuidv7();
    await org.relay.services.engine.runAs({ userId: org.alice.id, role: 'agent' }, 'sendMessage', { id, contactId: contact?.id, groupId: org.groups.sales.id, channel: 'sms', body: 'Your order is ready' });
    const sent = await until(async () => {
      const m = (await org.relay.services.engine.store.rows.get('messages', id));
      return m?.status === 'sent' ? m : undefined;
    }, 'the message to be sent');
    const form = api.requests[0]?.form();
    expect(form).toMatchObject({ To: CONTACT, From: OUR, Body: 'Your order is ready', StatusCallback: `${org.relay.httpUrl}/webhooks/twilio/${accountId}/status?m=${id}` });
    const status = (MessageStatus: string, extra: Record<string, string> = {}) =>
      twilioPost(`/webhooks/twilio/${accountId}/status?m=${id}`, { MessageSid: sent.providerMessageId ?? '', MessageStatus, AccountSid: SID, ...extra });
    expect((await status('delivered')).status).toBe(200);
    expect((await status('sent')).status).toBe(200);
    expect((await org.relay.services.engine.store.rows.get('messages', id))?.status).toBe('delivered');
  });

  it('records the readable reason of a failed delivery', async () => {
    await twilioPost(`/webhooks/twilio/${accountId}`, inbound('SM' + '5'.repeat(32), 'hello'));
    const contact = (await org.relay.services.engine.store.rows.find('contacts', { phone: CONTACT }))[0];
    api.reply((_q, res) => sendJson(res, 400, { code: 21614, message: "'To' number is not a valid mobile number", status: 400 }));
    const id = uuidv7();
    await org.relay.services.engine.runAs({ userId: org.alice.id, role: 'agent' }, 'sendMessage', { id, contactId: contact?.id, groupId: org.groups.sales.id, channel: 'sms', body: 'hi' });
    const failed = await until(async () => {
      const m = (await org.relay.services.engine.store.rows.get('messages', id));
      return m?.status === 'failed' ? m : undefined;
    }, 'the message to fail');
    expect(failed.failureReason).toContain('not a mobile number');
  });
});
