// Issue 12 item 9: no validator text ever reaches a user — every refusal is a sentence.
import { describe, expect, it } from 'vitest';
import { args } from './mutators/args';
import { bodyLimit } from './domain/outbound';
import { issuesSentence, looksLikeValidatorText, refusalSentence } from './refusals';

const validatorWords = /Too big|Too small|expected|received|Invalid input|body:/;

describe('refusals in sentences', () => {
  it('a 10,000-character message: the length and the limit, in words', () => {
    const r = args.sendMessage.safeParse({ id: 'm', contactId: 'c', groupId: 'g', channel: 'sms', body: 'x'.repeat(10_000) });
    expect(r.success).toBe(false);
    if (r.success) return;
    const s = issuesSentence(r.error.issues);
    expect(s).toBe('The message is too long: at most 4,096 characters.');
    expect(s).not.toMatch(validatorWords);
  });
  it('missing, malformed and unknown values read as sentences; authors’ messages are kept', () => {
    const missing = args.createContact.safeParse({ id: 'c', name: '', phone: '+447700900123' });
    expect(!missing.success && issuesSentence(missing.error.issues)).toBe('Name is required.');
    const email = args.createContact.safeParse({ id: 'c', name: 'Ann', phone: '+447700900123', email: 'not-an-email' });
    expect(!email.success && issuesSentence(email.error.issues)).toBe('The email address is not in the right format.');
    const type = args.sendMessage.safeParse({ id: 'm', contactId: 'c', groupId: 'g', channel: 'fax', body: 1 });
    const t = !type.success ? issuesSentence(type.error.issues) : '';
    expect(t).toMatch(/^The (channel|message) is .*\(1 more problem\)$/);
    expect(t).not.toMatch(validatorWords);
  });
  it('a refusal whose message is validator or program output becomes the code’s sentence', () => {
    expect(refusalSentence('invalid', 'body: Too big: expected string to have <=4096 characters')).toBe('This request is not valid.');
    expect(refusalSentence('forbidden', '{"issues":[]}')).toBe('You are not allowed to do this.');
    expect(refusalSentence('unpaid_invoice', 'This conversation has an unpaid invoice: mark it paid or void it first')).toBe('This conversation has an unpaid invoice: mark it paid or void it first.');
    expect(refusalSentence(undefined, undefined)).toBe('Something went wrong. Try again.');
    expect(looksLikeValidatorText('Invalid input: expected string, received undefined')).toBe(true);
    expect(looksLikeValidatorText('Ben cannot see this conversation.')).toBe(false);
  });
  it('the composer knows each limit before sending', () => {
    expect(bodyLimit('sms', 10_000).tooLong).toBe('Too long: an SMS can be at most 1,600 characters; this one has 10,000. Shorten it to send.');
    expect(bodyLimit('sms', 1600).tooLong).toBeNull();
    expect(bodyLimit('whatsapp', 4097).tooLong).toMatch(/at most 4,096/);
    expect(bodyLimit('note', 10_000).tooLong).toBeNull();
  });
});
