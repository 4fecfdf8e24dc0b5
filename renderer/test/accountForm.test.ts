// The provider account form's input: required fields, secrets kept on edit, per-kind shapes.
import { describe, expect, it } from 'vitest';
import { buildAccountInput, initialState, secretsSummary } from '../src/components/channels/accountForm.logic';

const twilio = { kind: 'twilio-sms' as const, groupId: 'g1', rate: '', values: { accountSid: 'AC123', number: '+14155552671', authToken: 'tok-123456' } };

describe('provider account form', () => {
  it('builds a Twilio input with its channel and secrets', () => {
    const r = buildAccountInput(twilio, false);
    expect(r).toEqual({ ok: true, input: { kind: 'twilio', groupId: 'g1', channel: 'sms', public: { accountSid: 'AC123', number: '+14155552671' }, secrets: { authToken: 'tok-123456' } } });
  });
  it('a new account needs every secret and required field', () => {
    const r = buildAccountInput({ ...twilio, values: { number: '+14155552671' } }, false);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(Object.keys(r.errors).sort()).toEqual(['accountSid', 'authToken']);
  });
  it('on edit, blank secrets are left out (kept); some but not all is refused', () => {
    const keep = buildAccountInput({ kind: 'whatsapp-cloud', groupId: 'g1', rate: '5', values: { phoneNumberId: '12345', number: '+14155552671' } }, true);
    expect(keep.ok && keep.input).toEqual({ kind: 'whatsapp-cloud', groupId: 'g1', channel: 'whatsapp', sendRatePerSecond: '5', public: { phoneNumberId: '12345', number: '+14155552671' } });
    const partial = buildAccountInput({ kind: 'whatsapp-cloud', groupId: 'g1', rate: '', values: { phoneNumberId: '12345', number: '+1', accessToken: 'x' } }, true);
    expect(!partial.ok && partial.errors.appSecret).toMatch(/leave them all blank/);
  });
  it('Stripe has no team; a bad rate is explained', () => {
    const s = buildAccountInput({ kind: 'stripe', groupId: 'g1', rate: '', values: { secretKey: 'sk_test_1', webhookSecret: 'whsec_1' } }, false);
    expect(s.ok && s.input).toEqual({ kind: 'stripe', public: {}, secrets: { secretKey: 'sk_test_1', webhookSecret: 'whsec_1' } });
    const bad = buildAccountInput({ ...twilio, rate: 'fast' }, false);
    expect(!bad.ok && bad.errors.rate).toMatch(/whole number/);
  });
  it('edits start from the stored public fields; secrets show as set, never their values', () => {
    const view = { id: 'a', kind: 'twilio' as const, groupId: 'g1', groupName: 'Sales', channel: 'whatsapp' as const, sendRatePerSecond: 2, public: { accountSid: 'AC1', number: '+1', apiBaseUrl: null }, secrets: ['authToken'], webhooks: [], updatedAt: 0 };
    expect(initialState(view, 'g0')).toEqual({ kind: 'twilio-whatsapp', groupId: 'g1', rate: '2', values: { accountSid: 'AC1', number: '+1' } });
    expect(secretsSummary(['authToken'])).toBe('authToken: set');
    expect(secretsSummary({ error: 'key missing' })).toMatch(/key missing/);
  });
});
