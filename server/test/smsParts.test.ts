// Multi-part SMS over Twilio: one status callback per part, each with its own SID and the same
// ?m=<messageId>. The message is delivered only when every part is, failed when any part fails.
import twilio from 'twilio';
import { uuidv7 } from 'uuidv7';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestRelay, type TestOrg } from '../testing';
import { sendJson, startFakeApi, type FakeApi } from '../providers/test/helpers';
import type { Message } from '../../shared/schema';

const SID = 'AC' + 'f7'.repeat(16);
const TOKEN = 'sms-parts-auth-token';
const OUR = '+15005550006';
const CONTACT = '+14155552671';
const LONG = 'Your repair is booked for Monday at nine. '.repeat(7).trim(); // > 160 characters: 2 parts

let org: TestOrg;
let api: FakeApi;
let accountId: string;
let seq = 0;
const store = () => org.relay.services.engine.store.rows;

function twilioPost(path: string, params: Record<string, string>) {
  const signature = twilio.getExpectedTwilioSignature(TOKEN, org.relay.httpUrl + path, params);
  return fetch(org.relay.httpUrl + path, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature }, body: new URLSearchParams(params).toString() });
}

async function until<T>(f: () => T | undefined | Promise<T | undefined>, what: string): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const v = await f();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`timed out waiting for ${what}`);
}

beforeEach(async () => {
  org = await startTestRelay();
  api = await startFakeApi();
  api.reply((_q, res) => sendJson(res, 201, { sid: `SM${String(++seq).padStart(32, '0')}`, status: 'queued' }));
  const adminToken = (await org.login(org.admin.email)).accessToken;
  const put = await fetch(`${org.relay.httpUrl}/admin/providers`, {
    method: 'PUT', headers: { 'content-type': 'application/json', authorization: `Bearer ${adminToken}` },
    body: JSON.stringify({ kind: 'twilio', groupId: org.groups.sales.name, channel: 'sms', sendRatePerSecond: 100, public: { accountSid: SID, number: OUR, apiBaseUrl: api.url }, secrets: { authToken: TOKEN } }),
  });
  expect(put.status).toBe(200);
  accountId = ((await put.json()) as { id: string }).id;
  await twilioPost(`/webhooks/twilio/${accountId}`, { MessageSid: 'SM' + '9'.repeat(32), AccountSid: SID, From: CONTACT, To: OUR, Body: 'hello', NumMedia: '0' });
});
afterEach(async () => {
  await api.close();
  await org.relay.close();
});

/** Sends `body` as Alice; resolves with the message once sent and the SIDs of its parts. */
async function send(body: string): Promise<{ id: string; sids: string[] }> {
  const contact = (await store().find('contacts', { phone: CONTACT }))[0];
  const before = api.requests.length;
  const id = uuidv7();
  await org.relay.services.engine.runAs({ userId: org.alice.id, role: 'agent' }, 'sendMessage', { id, contactId: contact?.id, groupId: org.groups.sales.id, channel: 'sms', body });
  await until(async () => ((await store().get('messages', id))?.status === 'sent' ? true : undefined), 'the message to be sent');
  const count = api.requests.length - before;
  return { id, sids: Array.from({ length: count }, (_, i) => `SM${String(seq - count + 1 + i).padStart(32, '0')}`) };
}

const callback = (id: string, sid: string, MessageStatus: string, extra: Record<string, string> = {}) =>
  twilioPost(`/webhooks/twilio/${accountId}/status?m=${id}`, { MessageSid: sid, MessageStatus, AccountSid: SID, ...extra });
const message = async (id: string) => (await store().get('messages', id)) as Message;

describe('multi-part SMS delivery', () => {
  it('is delivered only when every part is', async () => {
    const { id, sids } = await send(LONG);
    expect(sids).toHaveLength(2);
    const [first, second] = sids as [string, string];
    expect((await callback(id, first, 'delivered')).status).toBe(200);
    expect((await message(id)).status).toBe('sent');
    await callback(id, second, 'sent');
    expect((await message(id)).status).toBe('sent');
    await callback(id, second, 'delivered');
    expect(await message(id)).toMatchObject({ status: 'delivered', providerMessageId: first });
    await callback(id, first, 'sent');
    expect((await message(id)).status).toBe('delivered');
  });

  it('fails when one part fails, with that part\'s reason, and stays failed', async () => {
    const { id, sids } = await send(LONG);
    const [first, second] = sids as [string, string];
    await callback(id, first, 'delivered');
    await callback(id, second, 'undelivered', { ErrorCode: '30006' });
    expect((await message(id)).status).toBe('failed');
    expect((await message(id)).failureReason).toContain('landline');
    await callback(id, second, 'delivered');
    expect((await message(id)).status).toBe('failed');
  });

  it('treats a one-part SMS as before: one callback delivers it', async () => {
    const { id, sids } = await send('Short one');
    expect(sids).toHaveLength(1);
    await callback(id, sids[0] as string, 'delivered');
    expect((await message(id)).status).toBe('delivered');
  });
});
