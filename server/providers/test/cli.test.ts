import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runProviderCommand } from '../cli';
import { startHarness, type Harness } from './helpers';

let h: Harness;
let out: string[];
let err: string[];
const run = (...argv: string[]) => runProviderCommand(argv, { db: h.db, dataDir: h.dataDir, publicUrl: 'https://parley.example.com', out: (l) => out.push(l), err: (l) => err.push(l) });

beforeEach(async () => {
  h = startHarness();
  out = [];
  err = [];
  await h.db.run("INSERT INTO groups (id, name, sms_number, whatsapp_number, templates, created_at, version) VALUES ('g-1', 'Sales', NULL, NULL, '[]', 0, 1)");
});
afterEach(() => h.close());

describe('provider CLI', () => {
  it('sets a Twilio account for a group by name and lists it with its webhook URLs', async () => {
    expect(await run('set', '--group', 'sales', '--kind', 'twilio', '--channel', 'sms', '--number', '+1 415 555 2671', '--account-sid', 'AC' + '0'.repeat(32), '--auth-token', 'secret-token-1', '--rate', '3')).toBe(0);
    expect((await h.registry.channelFor('g-1', 'sms')).kind).toBe('twilio');
    expect((await h.registry.sendRatePerSecond('g-1', 'sms'))).toBe(3);
    out = [];
    expect(await run('list')).toBe(0);
    const text = out.join('\n');
    expect(text).toContain('group "Sales" sms');
    expect(text).toMatch(/https:\/\/parley\.example\.com\/webhooks\/twilio\/[\w-]+\/status/);
    expect(text).toContain('secrets: authToken');
    expect(text).not.toContain('secret-token-1');
  });

  it('explains what is wrong and changes nothing', async () => {
    expect(await run('set', '--group', 'Nope', '--kind', 'twilio')).toBe(1);
    expect(err.join('\n')).toContain('no group named Nope');
    expect(await run('set', '--group', 'Sales', '--kind', 'twilio', '--number', '+14155552671', '--account-sid', 'XX1', '--auth-token', 'secret-token-1')).toBe(1);
    expect(err.join('\n')).toContain('account SID starts with AC');
    expect(await run('set', '--kind', 'stripe', '--secret-key', 'sk_test_1', '--webhook-secret', 'whsec_1')).toBe(0);
    expect((await h.registry.payments()).kind).toBe('stripe');
    expect(await run('frobnicate')).toBe(2);
    expect(await h.registry.accounts.list()).toHaveLength(1);
  });
});
