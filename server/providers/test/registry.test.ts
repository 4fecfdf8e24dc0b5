import { randomBytes } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadSecretKey, open, seal } from '../secrets';
import { TokenBucket } from '../rateLimiter';
import { startHarness, type Harness } from './helpers';

const SID = 'AC' + '1f'.repeat(16);
const twilioAccount = (over: Record<string, unknown> = {}) => ({
  kind: 'twilio', groupId: 'g-sales', channel: 'sms', public: { accountSid: SID, number: '+1 415 555 2671' }, secrets: { authToken: 'very-secret-token' }, ...over,
});

let h: Harness;
beforeEach(() => {
  h = startHarness();
});
afterEach(() => h.close());

describe('provider accounts', () => {
  it('seals credentials at rest with a 0600 key file in the data dir', async () => {
    const row = (await h.registry.accounts.upsert(twilioAccount()));
    const raw = (await h.db.get<Record<string, string>>('SELECT * FROM provider_accounts WHERE id = ?', [row.id])) ?? {};
    expect(JSON.stringify(raw)).not.toContain('very-secret-token');
    expect(JSON.parse(raw.public_config ?? '{}')).toMatchObject({ accountSid: SID, number: '+14155552671' });
    const keyFile = join(h.dataDir, 'provider-secrets.key');
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    const key = Buffer.from(readFileSync(keyFile, 'utf8').trim(), 'base64');
    expect(JSON.parse(open(key, raw.secrets ?? ''))).toEqual({ authToken: 'very-secret-token' });
  });

  it('prefers PARLEY_SECRET_KEY and refuses tampered ciphertext', async () => {
    const key = randomBytes(32);
    expect(loadSecretKey(undefined, { PARLEY_SECRET_KEY: key.toString('base64') })).toEqual(key);
    expect(() => loadSecretKey(undefined, { PARLEY_SECRET_KEY: 'c2hvcnQ=' })).toThrow(/32 bytes/);
    const sealed = seal(key, 'x');
    expect(() => open(key, sealed.slice(0, -2) + (sealed.endsWith('A') ? 'BB' : 'AA'))).toThrow();
  });

  it('keeps stored secrets when an update omits them, and rejects a new account without them', async () => {
    const first = (await h.registry.accounts.upsert(twilioAccount()));
    const second = (await h.registry.accounts.upsert(twilioAccount({ secrets: undefined, sendRatePerSecond: 7 })));
    expect(second.id).toBe(first.id);
    expect(second.sendRatePerSecond).toBe(7);
    expect((await h.registry.sendRatePerSecond('g-sales', 'sms'))).toBe(7);
    const cfg = h.registry.accounts.config(second);
    expect(cfg.kind === 'twilio' && cfg.config.authToken).toBe('very-secret-token');
    await expect(h.registry.accounts.upsert(twilioAccount({ groupId: 'g-other', secrets: undefined }))).rejects.toThrow(/credentials are required/);
    await expect(h.registry.accounts.upsert(twilioAccount({ secrets: undefined, public: { accountSid: SID, number: '+14155552671', apiBaseUrl: 'https://evil.example.com' } }))).rejects.toThrow(/API address changes/);
    await expect(h.registry.accounts.upsert(twilioAccount({ public: { accountSid: SID, number: '12' } }))).rejects.toThrow(/not a valid phone number/);
  });
});

describe('registry', () => {
  it('uses the simulator where nothing is configured and the configured provider elsewhere', async () => {
    expect((await h.registry.channelFor('g-sales', 'sms')).kind).toBe('simulator');
    expect((await h.registry.payments()).kind).toBe('manual');
    expect((await h.registry.sendRatePerSecond('g-sales', 'sms'))).toBe(50);
    await h.registry.accounts.upsert(twilioAccount());
    expect((await h.registry.channelFor('g-sales', 'sms')).kind).toBe('twilio');
    expect((await h.registry.channelFor('g-sales', 'whatsapp')).kind).toBe('simulator');
    expect((await h.registry.channelFor('g-support', 'sms')).kind).toBe('simulator');
  });

  it('mounts webhooks only for configured accounts and lists the URLs to paste', async () => {
    const row = (await h.registry.accounts.upsert(twilioAccount()));
    expect((await h.registry.webhook(['twilio', row.id]))).toBeTypeOf('function');
    expect((await h.registry.webhook(['twilio', row.id, 'status']))).toBeTypeOf('function');
    expect((await h.registry.webhook(['twilio', row.id, 'other']))).toBeUndefined();
    expect((await h.registry.webhook(['whatsapp', row.id]))).toBeUndefined();
    expect((await h.registry.webhook(['twilio', 'unknown']))).toBeUndefined();
    expect(h.registry.webhookUrls(row).map((u) => u.url)).toEqual([`https://parley.example.com/webhooks/twilio/${row.id}`, `https://parley.example.com/webhooks/twilio/${row.id}/status`]);
  });

  it('fails sends with a clear reason when stored credentials cannot be opened', async () => {
    const row = (await h.registry.accounts.upsert(twilioAccount()));
    await h.db.run('UPDATE provider_accounts SET secrets = ?, updated_at = updated_at + 1 WHERE id = ?', [seal(randomBytes(32), '{}'), row.id]);
    const r = await (await h.registry.channelFor('g-sales', 'sms')).send({ messageId: 'm', groupId: 'g-sales', channel: 'sms', to: '+14155552671', from: null, parts: ['x'], attachments: [], location: null, template: null });
    expect(r).toMatchObject({ ok: false, retryable: false, reason: expect.stringContaining('cannot be used') as string });
  });
});

describe('token bucket', () => {
  it('hands out the burst at once, then serves waiters in arrival order', async () => {
    const bucket = new TokenBucket(20, 2);
    const order: number[] = [];
    await Promise.all([1, 2, 3, 4].map((n) => bucket.take().then(() => order.push(n))));
    expect(order).toEqual([1, 2, 3, 4]);
  });

  it('makes a send wait once the burst is spent', async () => {
    const bucket = new TokenBucket(1, 2);
    await bucket.take();
    await bucket.take();
    let third = false;
    const pending = bucket.take().then(() => (third = true));
    await new Promise((r) => setImmediate(r));
    expect(third).toBe(false); // the next token is a second away
    bucket.setRate(1000);
    await pending;
    expect(third).toBe(true);
  });
});
