import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import twilio from 'twilio';
import { attachmentBlobs } from '../../attachmentBlobs';
import { relayAttachmentStore } from '../attachmentStore';
import { outbound, PUBLIC_URL, sendJson, startFakeApi, startHarness, type FakeApi, type Harness } from '../test/helpers';

const SID = 'AC' + 'a1'.repeat(16);
const TOKEN = 'twilio-auth-token-123';
const OUR_NUMBER = '+15005550006';
const CONTACT = '+14155552671';

let h: Harness;
let api: FakeApi;
let accountId: string;
let seq = 0;
const created = () => (_req: unknown, res: Parameters<typeof sendJson>[0]) => sendJson(res, 201, { sid: `SM${String(++seq).padStart(32, '0')}`, status: 'queued', account_sid: SID });

beforeEach(async () => {
  h = startHarness();
  api = await startFakeApi();
  api.reply(created());
  accountId = (await h.registry.accounts.upsert({
    kind: 'twilio', groupId: 'g-sales', channel: 'sms', sendRatePerSecond: 50,
    public: { accountSid: SID, number: OUR_NUMBER, apiBaseUrl: api.url }, secrets: { authToken: TOKEN },
  })).id;
  (await h.registry.accounts.upsert({
    kind: 'twilio', groupId: 'g-sales', channel: 'whatsapp', sendRatePerSecond: 50,
    public: { accountSid: SID, number: OUR_NUMBER, apiBaseUrl: api.url }, secrets: { authToken: TOKEN },
  }));
});
afterEach(async () => {
  await api.close();
  await h.close();
});

/** POST a form to one of our Twilio webhooks, signed like Twilio signs it (over the public URL). */
function signedPost(path: string, params: Record<string, string>, token = TOKEN) {
  const signature = twilio.getExpectedTwilioSignature(token, PUBLIC_URL + path, params);
  return h.webhook(path, { headers: { 'X-Twilio-Signature': signature, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(params).toString() });
}

describe('Twilio outbound', () => {
  it('sends each SMS part as its own Messages API call with From, To, Body and a StatusCallback naming our message', async () => {
    const r = await (await h.registry.channelFor('g-sales', 'sms')).send(outbound({ parts: ['part one ', 'part two'] }));
    expect(r).toEqual({ ok: true, providerMessageId: expect.stringMatching(/^SM/) as string });
    expect(api.requests).toHaveLength(2);
    const [a, b] = api.requests.map((q) => q.form());
    expect(api.requests[0]?.url.pathname).toBe(`/2010-04-01/Accounts/${SID}/Messages.json`);
    expect(api.requests[0]?.headers.authorization).toBe(`Basic ${Buffer.from(`${SID}:${TOKEN}`).toString('base64')}`);
    expect(a).toMatchObject({ To: CONTACT, From: OUR_NUMBER, Body: 'part one ', StatusCallback: `${PUBLIC_URL}/webhooks/twilio/${accountId}/status?m=msg-1` });
    expect(b).toMatchObject({ Body: 'part two' });
  });

  it('prefixes WhatsApp addresses and sends templates as ContentSid + ContentVariables', async () => {
    const wa = (await h.registry.channelFor('g-sales', 'whatsapp'));
    await wa.send(outbound({ channel: 'whatsapp', parts: ['hi'] }));
    await wa.send(outbound({ channel: 'whatsapp', parts: ['x'], template: { name: 'reminder', providerId: 'HX' + '0'.repeat(32), language: 'en', variables: ['Ann', 'Friday'] } }));
    const [text, tpl] = api.requests.map((q) => q.form());
    expect(text).toMatchObject({ To: `whatsapp:${CONTACT}`, From: `whatsapp:${OUR_NUMBER}`, Body: 'hi' });
    expect(tpl).toMatchObject({ ContentSid: 'HX' + '0'.repeat(32), ContentVariables: JSON.stringify({ 1: 'Ann', 2: 'Friday' }) });
    expect(tpl?.Body).toBeUndefined();
  });

  it('sends WhatsApp attachments as signed, expiring MediaUrls that serve the stored bytes', async () => {
    const pdf = Buffer.from('%PDF-1.4 quote');
    const ref = await relayAttachmentStore(h.db, h.dataDir).put(pdf, { name: 'quote.pdf', mime: 'application/pdf' });
    expect((await (await h.registry.channelFor('g-sales', 'whatsapp')).send(outbound({ channel: 'whatsapp', parts: ['Your quote'], attachments: [ref] }))).ok).toBe(true);
    const mediaUrl = api.requests[0]?.form().MediaUrl ?? '';
    expect(mediaUrl).toContain(`${PUBLIC_URL}/webhooks/twilio/`);
    const served = await h.webhook(mediaUrl, { method: 'GET' });
    expect(served.status).toBe(200);
    expect(served.headers?.['content-type']).toBe('application/pdf');
    expect(served.body).toEqual(pdf);
    const forged = new URL(mediaUrl);
    forged.searchParams.set('s', 'AAAA');
    expect((await h.webhook(forged.href, { method: 'GET' })).status).toBe(403);
    expect((await h.webhook(mediaUrl.replace(ref.id, 'f'.repeat(64)), { method: 'GET' })).status).toBe(403);
  });

  it('retries a 429 after its Retry-After and a 500, then succeeds', async () => {
    api.reply(
      (_q, res) => sendJson(res, 429, { code: 20429, message: 'Too Many Requests', status: 429 }, { 'retry-after': '0' }),
      (_q, res) => sendJson(res, 500, { message: 'oops', status: 500 }),
      created(),
    );
    const r = await (await h.registry.channelFor('g-sales', 'sms')).send(outbound());
    expect(r.ok).toBe(true);
    expect(api.requests).toHaveLength(3);
  });

  it('gives up on a persistent 5xx with a retryable failure', async () => {
    api.reply((_q, res) => sendJson(res, 503, { message: 'unavailable', status: 503 }));
    const r = await (await h.registry.channelFor('g-sales', 'sms')).send(outbound());
    expect(r).toMatchObject({ ok: false, retryable: true });
    expect(api.requests).toHaveLength(4);
  });

  it('maps an invalid number (21211) to a readable, permanent failure without retrying', async () => {
    api.reply((_q, res) => sendJson(res, 400, { code: 21211, message: "The 'To' number +1415 is not a valid phone number.", status: 400 }));
    const r = await (await h.registry.channelFor('g-sales', 'sms')).send(outbound());
    expect(r).toMatchObject({ ok: false, retryable: false, code: '21211' });
    expect(!r.ok && r.reason).toContain('not valid');
    expect(api.requests).toHaveLength(1);
  });
});

describe('Twilio inbound webhook', () => {
  const inbound = (over: Record<string, string> = {}) => ({ MessageSid: 'SM' + 'b'.repeat(32), AccountSid: SID, From: CONTACT, To: OUR_NUMBER, Body: 'STOP', NumMedia: '0', ...over });

  it('hands a verified message to the relay with its body unchanged (STOP included)', async () => {
    const res = await signedPost(`/webhooks/twilio/${accountId}`, inbound());
    expect(res.status).toBe(200);
    expect(res.body).toContain('<Response>');
    expect(h.sink.inbounds).toEqual([{ groupId: 'g-sales', channel: 'sms', from: CONTACT, body: 'STOP', providerMessageId: 'SM' + 'b'.repeat(32) }]);
  });

  it('recognises WhatsApp senders, locations and profile names', async () => {
    await signedPost(`/webhooks/twilio/${accountId}`, inbound({ From: `whatsapp:${CONTACT}`, To: `whatsapp:${OUR_NUMBER}`, Body: '', ProfileName: 'Ann', Latitude: '51.5', Longitude: '-0.12', Label: 'Office' }));
    expect(h.sink.inbounds[0]).toMatchObject({ channel: 'whatsapp', from: CONTACT, contactName: 'Ann', location: { lat: 51.5, lng: -0.12, label: 'Office' } });
  });

  it('downloads media with the account credentials into the relay attachment store', async () => {
    const jpeg = Buffer.from('ffd8ffe000104a464946', 'hex');
    api.reply((q, res) => {
      if (q.url.pathname !== '/media/ME1' || q.headers.authorization !== `Basic ${Buffer.from(`${SID}:${TOKEN}`).toString('base64')}`) return sendJson(res, 401, {});
      res.writeHead(200, { 'content-type': 'image/jpeg' });
      res.end(jpeg);
    });
    await signedPost(`/webhooks/twilio/${accountId}`, inbound({ From: `whatsapp:${CONTACT}`, To: `whatsapp:${OUR_NUMBER}`, Body: 'photo', NumMedia: '1', MediaUrl0: `${api.url}/media/ME1`, MediaContentType0: 'image/jpeg' }));
    const ref = h.sink.inbounds[0]?.attachments?.[0];
    expect(ref).toMatchObject({ mime: 'image/jpeg', size: jpeg.length });
    expect(await attachmentBlobs(h.db, h.dataDir).read(ref?.id ?? 'none')).toEqual(jpeg);
    expect(await h.db.get('SELECT uploaded_by FROM attachments WHERE sha256 = ?', [ref?.id])).toEqual({ uploaded_by: 'system' });
  });

  it('stores a duplicate delivery once', async () => {
    await signedPost(`/webhooks/twilio/${accountId}`, inbound());
    const again = await signedPost(`/webhooks/twilio/${accountId}`, inbound());
    expect(again.status).toBe(200);
    expect(h.sink.inbounds).toHaveLength(1);
  });

  it('answers 403 and stores nothing when the signature is wrong or missing', async () => {
    expect((await signedPost(`/webhooks/twilio/${accountId}`, inbound(), 'some-other-token')).status).toBe(403);
    const unsigned = await h.webhook(`/webhooks/twilio/${accountId}`, { body: new URLSearchParams(inbound()).toString() });
    expect(unsigned.status).toBe(403);
    expect(h.sink.inbounds).toHaveLength(0);
  });

  it('refuses malformed payloads, unknown accounts and numbers that are not ours', async () => {
    expect((await signedPost(`/webhooks/twilio/${accountId}`, { MessageSid: 'SM' + 'c'.repeat(32), To: OUR_NUMBER })).status).toBe(400);
    expect((await signedPost('/webhooks/twilio/no-such-account', inbound())).status).toBe(404);
    expect((await signedPost(`/webhooks/twilio/${accountId}`, inbound({ To: '+14155550199' }))).status).toBe(200);
    expect(h.sink.inbounds).toHaveLength(0);
  });
});

describe('Twilio status callbacks', () => {
  const path = () => `/webhooks/twilio/${accountId}/status?m=msg-1`;
  const status = (MessageStatus: string, over: Record<string, string> = {}) => ({ MessageSid: 'SM' + 'd'.repeat(32), MessageStatus, AccountSid: SID, ...over });

  it('reports sent, delivered and read with our message id; queued adds nothing', async () => {
    for (const s of ['queued', 'sent', 'delivered', 'read']) expect((await signedPost(path(), status(s))).status).toBe(200);
    expect(h.sink.statuses.map((s) => s.status)).toEqual(['sent', 'delivered', 'read']);
    expect(h.sink.statuses[0]).toMatchObject({ messageId: 'msg-1', providerMessageId: 'SM' + 'd'.repeat(32) });
  });

  it('turns undelivered + ErrorCode into a failure with a readable reason, once', async () => {
    await signedPost(path(), status('undelivered', { ErrorCode: '30006' }));
    await signedPost(path(), status('undelivered', { ErrorCode: '30006' }));
    expect(h.sink.statuses).toEqual([{ messageId: 'msg-1', providerMessageId: 'SM' + 'd'.repeat(32), status: 'failed', failureReason: expect.stringContaining('landline') as string }]);
  });

  it('refuses a forged status callback', async () => {
    expect((await signedPost(path(), status('delivered'), 'forged-token-000')).status).toBe(403);
    expect(h.sink.statuses).toHaveLength(0);
  });
});
