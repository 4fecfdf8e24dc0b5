import { createHash, createHmac } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AttachmentRef } from '../../../shared/schema';
import { outbound, sendJson, startFakeApi, startHarness, type FakeApi, type Harness } from '../test/helpers';

const PHONE_ID = '1234567890';
const APP_SECRET = 'meta-app-secret-1';
const VERIFY = 'verify-token-1';
const CONTACT_WA = '14155552671';

let h: Harness;
let api: FakeApi;
let accountId: string;
/** a content-addressed store like the relay's, in memory: the interface boundary for media */
const blobs = new Map<string, { bytes: Buffer; ref: AttachmentRef }>();
const attachments = {
  put(bytes: Buffer, meta: { name: string; mime: string }): AttachmentRef {
    const ref = { id: createHash('sha256').update(bytes).digest('hex'), name: meta.name, mime: meta.mime, size: bytes.length };
    blobs.set(ref.id, { bytes, ref });
    return ref;
  },
  read: (id: string) => blobs.get(id)?.bytes,
};

beforeEach(async () => {
  h = startHarness({ attachments });
  api = await startFakeApi();
  accountId = (await h.registry.accounts.upsert({
    kind: 'whatsapp-cloud', groupId: 'g-sales', channel: 'whatsapp', sendRatePerSecond: 50,
    public: { phoneNumberId: PHONE_ID, number: '+15005550006', graphBaseUrl: api.url }, secrets: { accessToken: 'EAAG-token-1', appSecret: APP_SECRET, verifyToken: VERIFY },
  })).id;
});
afterEach(async () => {
  await api.close();
  await h.close();
});

const sign = (body: string, secret = APP_SECRET) => 'sha256=' + createHmac('sha256', secret).update(body).digest('hex');
const delivery = (value: Record<string, unknown>) =>
  JSON.stringify({ object: 'whatsapp_business_account', entry: [{ id: 'WABA', changes: [{ field: 'messages', value: { messaging_product: 'whatsapp', metadata: { display_phone_number: '15005550006', phone_number_id: PHONE_ID }, ...value } }] }] });
const post = (body: string, signature = sign(body)) => h.webhook(`/webhooks/whatsapp/${accountId}`, { headers: { 'X-Hub-Signature-256': signature, 'content-type': 'application/json' }, body });
const textMessage = (id: string, body: string) => ({ contacts: [{ profile: { name: 'Ann' }, wa_id: CONTACT_WA }], messages: [{ from: CONTACT_WA, id, timestamp: '1700000000', type: 'text', text: { body } }] });

describe('Meta webhook verification and signatures', () => {
  it('answers the verification handshake only with the right verify token', async () => {
    const ok = await h.webhook(`/webhooks/whatsapp/${accountId}?hub.mode=subscribe&hub.verify_token=${VERIFY}&hub.challenge=12345`, { method: 'GET' });
    expect(ok).toMatchObject({ status: 200, body: '12345' });
    const bad = await h.webhook(`/webhooks/whatsapp/${accountId}?hub.mode=subscribe&hub.verify_token=wrong&hub.challenge=12345`, { method: 'GET' });
    expect(bad.status).toBe(403);
  });

  it('answers 403 and stores nothing on a bad or missing X-Hub-Signature-256', async () => {
    const body = delivery(textMessage('wamid.1', 'hi'));
    expect((await post(body, sign(body, 'another-secret'))).status).toBe(403);
    expect((await h.webhook(`/webhooks/whatsapp/${accountId}`, { body })).status).toBe(403);
    expect((await post(body.replace('hi', 'ho'), sign(body))).status).toBe(403);
    expect(h.sink.inbounds).toHaveLength(0);
  });

  it('refuses malformed payloads and ignores other phone-number-ids', async () => {
    expect((await post('{"object":"whatsapp_business_account","entry":"x"}')).status).toBe(400);
    expect((await post('not json')).status).toBe(400);
    const other = delivery(textMessage('wamid.2', 'hi')).replace(PHONE_ID, '999999999');
    expect((await post(other)).status).toBe(200);
    expect(h.sink.inbounds).toHaveLength(0);
  });
});

describe('Meta inbound', () => {
  it('delivers text (STOP unchanged) with the profile name, once per message id', async () => {
    const body = delivery(textMessage('wamid.A', 'STOP'));
    expect((await post(body)).status).toBe(200);
    expect((await post(body)).status).toBe(200);
    expect(h.sink.inbounds).toEqual([{ groupId: 'g-sales', channel: 'whatsapp', from: '+14155552671', body: 'STOP', providerMessageId: 'wamid.A', contactName: 'Ann' }]);
  });

  it('shows reactions as text and drops removed reactions', async () => {
    await post(delivery({ messages: [{ from: CONTACT_WA, id: 'wamid.R1', timestamp: '1', type: 'reaction', reaction: { message_id: 'wamid.X', emoji: '👍' } }] }));
    await post(delivery({ messages: [{ from: CONTACT_WA, id: 'wamid.R2', timestamp: '1', type: 'reaction', reaction: { message_id: 'wamid.X' } }] }));
    expect(h.sink.inbounds.map((m) => m.body)).toEqual(['Reacted 👍']);
  });

  it('delivers locations', async () => {
    await post(delivery({ messages: [{ from: CONTACT_WA, id: 'wamid.L', timestamp: '1', type: 'location', location: { latitude: 48.85, longitude: 2.35, name: 'Cafe' } }] }));
    expect(h.sink.inbounds[0]).toMatchObject({ body: '', location: { lat: 48.85, lng: 2.35, label: 'Cafe' } });
  });

  it('downloads media (metadata, then bytes with the token) into the attachment store', async () => {
    const png = Buffer.from('89504e470d0a1a0a', 'hex');
    api.reply((q, res) => {
      if (q.url.pathname === '/v21.0/media-77') sendJson(res, 200, { url: `${api.url}/files/media-77`, mime_type: 'image/png', id: 'media-77' });
      else if (q.url.pathname === '/files/media-77' && q.headers.authorization === 'Bearer EAAG-token-1') {
        res.writeHead(200, { 'content-type': 'image/png' });
        res.end(png);
      } else sendJson(res, 404, {});
    });
    await post(delivery({ messages: [{ from: CONTACT_WA, id: 'wamid.M', timestamp: '1', type: 'image', image: { id: 'media-77', mime_type: 'image/png', caption: 'look' } }] }));
    const got = h.sink.inbounds[0];
    expect(got?.body).toBe('look');
    expect(got?.attachments?.[0]).toMatchObject({ mime: 'image/png', size: png.length, id: createHash('sha256').update(png).digest('hex') });
  });
});

describe('Meta statuses', () => {
  const statuses = (...s: Record<string, unknown>[]) => delivery({ statuses: s.map((x) => ({ id: 'wamid.S', recipient_id: CONTACT_WA, timestamp: '1', biz_opaque_callback_data: 'msg-9', ...x })) });

  it('reports sent, delivered, read with our message id and each status once', async () => {
    await post(statuses({ status: 'sent' }, { status: 'delivered' }));
    await post(statuses({ status: 'delivered' }, { status: 'read' }));
    expect(h.sink.statuses.map((s) => [s.messageId, s.status])).toEqual([['msg-9', 'sent'], ['msg-9', 'delivered'], ['msg-9', 'read']]);
  });

  it('maps error 131047 to the re-engagement reason', async () => {
    await post(statuses({ status: 'failed', errors: [{ code: 131047, title: 'Re-engagement message' }] }));
    expect(h.sink.statuses[0]).toMatchObject({ status: 'failed', failureReason: expect.stringContaining('24 hours') as string });
  });
});

describe('Meta outbound', () => {
  const ok = (_q: unknown, res: Parameters<typeof sendJson>[0]) => sendJson(res, 200, { messaging_product: 'whatsapp', contacts: [{ input: CONTACT_WA, wa_id: CONTACT_WA }], messages: [{ id: 'wamid.OUT' }] });

  it('sends text as Graph API JSON with our message id as callback data', async () => {
    api.reply(ok);
    const r = await (await h.registry.channelFor('g-sales', 'whatsapp')).send(outbound({ channel: 'whatsapp', parts: ['Hello'] }));
    expect(r).toEqual({ ok: true, providerMessageId: 'wamid.OUT' });
    const q = api.requests[0];
    expect(q?.url.pathname).toBe(`/v21.0/${PHONE_ID}/messages`);
    expect(q?.headers.authorization).toBe('Bearer EAAG-token-1');
    expect(q?.json()).toEqual({ messaging_product: 'whatsapp', recipient_type: 'individual', to: CONTACT_WA, biz_opaque_callback_data: 'msg-1', type: 'text', text: { body: 'Hello', preview_url: true } });
  });

  it('uploads attachment bytes to /{phone-number-id}/media, then sends the media id with the caption', async () => {
    const ref = attachments.put(Buffer.from('%PDF-1.4 test'), { name: 'quote.pdf', mime: 'application/pdf' });
    api.reply((q, res) => (q.url.pathname.endsWith('/media') ? sendJson(res, 200, { id: 'up-1' }) : ok(q, res)));
    const r = await (await h.registry.channelFor('g-sales', 'whatsapp')).send(outbound({ channel: 'whatsapp', parts: ['Your quote'], attachments: [ref] }));
    expect(r.ok).toBe(true);
    const [upload, send] = api.requests;
    expect(upload?.url.pathname).toBe(`/v21.0/${PHONE_ID}/media`);
    expect(upload?.headers['content-type']).toMatch(/^multipart\/form-data/);
    expect(upload?.body.toString()).toContain('%PDF-1.4 test');
    expect(upload?.body.toString()).toContain('name="messaging_product"');
    expect(send?.json()).toMatchObject({ type: 'document', document: { id: 'up-1', caption: 'Your quote', filename: 'quote.pdf' } });
    expect(api.requests).toHaveLength(2);
  });

  it('sends templates with body parameters and locations', async () => {
    api.reply(ok);
    const ch = (await h.registry.channelFor('g-sales', 'whatsapp'));
    await ch.send(outbound({ channel: 'whatsapp', template: { name: 'reminder', language: 'en_GB', variables: ['Ann'] } }));
    await ch.send(outbound({ channel: 'whatsapp', parts: [''], location: { lat: 1.5, lng: 2.5, label: 'Shop' } }));
    expect(api.requests[0]?.json()).toMatchObject({ type: 'template', template: { name: 'reminder', language: { code: 'en_GB' }, components: [{ type: 'body', parameters: [{ type: 'text', text: 'Ann' }] }] } });
    expect(api.requests[1]?.json()).toMatchObject({ type: 'location', location: { latitude: 1.5, longitude: 2.5, name: 'Shop' } });
  });

  it('maps 131047 to a permanent, readable failure and retries 429 then succeeds', async () => {
    api.reply((_q, res) => sendJson(res, 400, { error: { message: 'Re-engagement message', type: 'OAuthException', code: 131047, error_data: { details: 'Message failed to send because more than 24 hours have passed' } } }));
    const r = await (await h.registry.channelFor('g-sales', 'whatsapp')).send(outbound({ channel: 'whatsapp' }));
    expect(r).toMatchObject({ ok: false, retryable: false, code: '131047' });
    expect(!r.ok && r.reason).toContain('only an approved template');
    api.requests.length = 0;
    api.reply((_q, res) => sendJson(res, 429, { error: { message: 'rate', code: 130429 } }, { 'retry-after': '0' }), ok);
    expect((await (await h.registry.channelFor('g-sales', 'whatsapp')).send(outbound({ channel: 'whatsapp' }))).ok).toBe(true);
    expect(api.requests).toHaveLength(2);
  });
});
