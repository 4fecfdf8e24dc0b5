// Pure renderer logic: which queries a change invalidates, J/K stepping, timeline merge, formats.
import { describe, expect, it } from 'vitest';
import { affects } from '../src/lib/queries.logic';
import { step } from '../src/lib/step';
import { timelineItems } from '../src/components/conversation/timelineItems';
import { initials, money, shortTime, windowLeft } from '../src/lib/format';
import { toBridgeError } from '../bridge/errors';

describe('query invalidation', () => {
  it('invalidates only queries that read a changed table', () => {
    const change = { tables: ['contacts'] };
    expect(affects('contacts', change)).toBe(true);
    expect(affects('tags', change)).toBe(true);
    expect(affects('directory', change)).toBe(false);
    expect(affects('broadcasts', change)).toBe(false);
    expect(affects('session', change)).toBe(false);
  });
  it('an empty table list means everything may have changed', () => {
    expect(affects('directory', { tables: [] })).toBe(true);
    expect(affects('broadcasts', { tables: [] })).toBe(true);
  });
  it('failures follow every change', () => {
    expect(affects('failures', { tables: ['users'] })).toBe(true);
  });
});

describe('J/K', () => {
  const ids = ['a', 'b', 'c'];
  it('moves down and up and stops at the ends', () => {
    expect(step(ids, null, 1)).toBe('a');
    expect(step(ids, null, -1)).toBe('c');
    expect(step(ids, 'a', 1)).toBe('b');
    expect(step(ids, 'c', 1)).toBe('c');
    expect(step(ids, 'a', -1)).toBe('a');
    expect(step([], 'a', 1)).toBeNull();
  });
});

describe('timeline', () => {
  const day = (d: number, h: number) => new Date(2026, 0, d, h).getTime();
  const base = { pending: false, version: 1 };
  it('merges messages, notes and payment cards in time order with one separator per day', () => {
    const items = timelineItems({
      messages: [
        { ...base, id: 'm2', createdAt: day(2, 9) },
        { ...base, id: 'm1', createdAt: day(1, 10) },
      ] as never,
      notes: [{ ...base, id: 'n1', createdAt: day(1, 11) }] as never,
      invoices: [{ ...base, id: 'i1', createdAt: day(2, 8) }] as never,
      checkouts: [],
    });
    expect(items.map((i) => i.kind)).toEqual(['day', 'message', 'note', 'day', 'invoice', 'message']);
  });
});

describe('formats', () => {
  it('shows list times relative and short', () => {
    const now = new Date(2026, 5, 10, 12, 0).getTime();
    expect(shortTime(now - 30_000, now)).toBe('now');
    expect(shortTime(now - 5 * 60_000, now)).toBe('5m');
    expect(shortTime(now - 3 * 3_600_000, now)).toBe('3h');
  });
  it('formats money from minor units, initials and the WhatsApp window', () => {
    expect(money(20400, 'GBP')).toMatch(/204\.00/);
    expect(initials('Jane  Cooper')).toBe('JC');
    expect(initials('Cher')).toBe('C');
    // issue 12 item 15: a contact known only by its number gets the person glyph, not "+"
    expect(initials('+44 7700 900123')).toBe('');
    expect(initials('(Ann) O’Neil')).toBe('AO');
    expect(windowLeft(3 * 3_600_000 + 60_000, 0)).toBe('3 h');
    expect(windowLeft(25 * 60_000, 0)).toBe('25 min');
  });
  it('normalises errors from IPC and the socket into plain messages', () => {
    expect(toBridgeError(new Error("Error invoking remote method 'bridge': Error: Wrong password")).message).toBe('Wrong password');
    expect(toBridgeError({ bridgeError: true, code: 'forbidden', message: 'Not allowed' })).toMatchObject({ code: 'forbidden', message: 'Not allowed' });
  });
});

describe('WhatsApp templates', () => {
  it('fills blanks by number, leaving unfilled ones visible', async () => {
    const { filledTemplate, templateSlots } = await import('../src/components/conversation/templateValues');
    expect(templateSlots('Hi {{1}}, your order {{2}} is ready, {{1}}!')).toEqual([1, 2]);
    expect(filledTemplate('Hi {{1}}, order {{2}}', { 1: ' Jane ' })).toBe('Hi Jane, order {{2}}');
  });
  it('says which blank is missing or wrong, and accepts a fully filled template', async () => {
    const { templateProblem } = await import('../src/components/conversation/templateValues');
    const body = 'Hi {{1}}, order {{2}} ships {{3}}';
    expect(templateProblem(body, { 1: 'Jane', 3: 'today' })).toBe('Fill in blank {{2}}.');
    expect(templateProblem(body, { 1: 'Jane', 2: '{{2}}', 3: 'today' })).toMatch(/not a placeholder/);
    expect(templateProblem(body, { 1: 'Jane', 2: 'x'.repeat(201), 3: 'today' })).toMatch(/at most 200/);
    expect(templateProblem(body, { 1: 'Jane', 2: '#42', 3: 'today' })).toBeNull();
    expect(templateProblem('No blanks here', {})).toBeNull();
  });
});

describe('links in text', () => {
  it('previews replace URLs with a short token; timeline links show the host', async () => {
    const { linkLabel, linkParts, previewText } = await import('../src/lib/links');
    const body = 'Pay here: http://127.0.0.1:41873/pay/invoice/0193abc?t=x. Thanks';
    expect(previewText(body)).toBe('Pay here: (link). Thanks');
    expect(linkParts(body)).toEqual([
      { kind: 'text', value: 'Pay here: ' },
      { kind: 'url', value: 'http://127.0.0.1:41873/pay/invoice/0193abc?t=x' },
      { kind: 'text', value: '. Thanks' },
    ]);
    expect(linkLabel('https://buy.stripe.com/abc')).toBe('buy.stripe.com');
    expect(previewText('no links')).toBe('no links');
  });
});

describe('sync status line', () => {
  it('counts what the first full fetch has brought (issue 12 item 15)', async () => {
    const { describeSync } = await import('../src/components/ConnectionStatus');
    const first = { state: 'syncing' as const, pending: 0, lastSyncedAt: null, error: null };
    expect(describeSync(first, true).label).toBe('Fetching your inbox…');
    expect(describeSync(first, true, 1234).label).toBe('Fetching your inbox · 1234 conversations');
    expect(describeSync({ ...first, lastSyncedAt: 1 }, true, 1234).label).toBe('Syncing');
    expect(describeSync({ ...first, state: 'online', lastSyncedAt: 1 }, true).label).toBe('Online');
  });
});
