import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatSmsCounter, nonGsmChars, smsInfo, smsLength, splitSms, SMS_LIMITS } from './sms';

const hasLoneSurrogate = (s: string) => /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(s);

describe('splitSms', () => {
  it('keeps 160 GSM characters in one text and needs two for 161', () => {
    expect(splitSms('a'.repeat(160)).parts).toHaveLength(1);
    const two = splitSms('a'.repeat(161));
    expect(two.encoding).toBe('GSM-7');
    expect(two.parts.map((p) => p.length)).toEqual([153, 8]);
  });

  it('counts extension characters twice', () => {
    expect(smsLength('€^{}[]~|\\\f')).toBe(20);
    expect(splitSms('€'.repeat(80)).parts).toHaveLength(1);
    expect(splitSms('€'.repeat(81)).parts).toHaveLength(2);
    // 153 septets hold 76 euros (152), never half an escape
    expect(splitSms('€'.repeat(81)).parts.map((p) => p.length)).toEqual([76, 5]);
  });

  it('switches to UCS-2 for characters outside GSM-7 and counts UTF-16 units', () => {
    expect(splitSms('Hello ✓').encoding).toBe('UCS-2');
    expect(splitSms('ж'.repeat(70)).parts).toHaveLength(1);
    expect(splitSms('ж'.repeat(71)).parts.map((p) => p.length)).toEqual([67, 4]);
    expect(smsLength('😀')).toBe(2);
  });

  it('never cuts a surrogate pair', () => {
    const text = 'a' + '😀'.repeat(40); // 81 units, UCS-2
    const { parts } = splitSms(text);
    expect(parts.join('')).toBe(text);
    for (const p of parts) expect(hasLoneSurrogate(p)).toBe(false);
    expect(parts[0]).toBe('a' + '😀'.repeat(33)); // 67 units
  });

  it('splits at word boundaries where possible', () => {
    const words = Array.from({ length: 40 }, (_, i) => `word${i}`).join(' ');
    const { parts } = splitSms(words);
    expect(parts.length).toBeGreaterThan(1);
    for (const p of parts.slice(0, -1)) expect(p.endsWith(' ')).toBe(true);
    expect(parts.join('')).toBe(words);
  });

  it('cuts a single long word where it must', () => {
    const { parts } = splitSms('x'.repeat(400));
    expect(parts.map((p) => p.length)).toEqual([153, 153, 94]);
  });

  it('sends nothing for an empty text', () => {
    expect(splitSms('')).toEqual({ encoding: 'GSM-7', parts: [] });
    expect(smsInfo('')).toMatchObject({ used: 0, limit: 160, parts: 0 });
  });

  it('property: parts join back to the text, fit the limit and hold no lone surrogates', () => {
    const alphabet = fc.constantFrom('a', 'B', ' ', '\n', '€', '{', '^', 'é', 'ж', '😀', '✓', '.', '1');
    const texts = fc.oneof(fc.array(alphabet, { maxLength: 700 }).map((a) => a.join('')), fc.string({ maxLength: 500, unit: 'binary' }));
    fc.assert(
      fc.property(texts, (text) => {
        if (hasLoneSurrogate(text)) return; // not a text anyone can type
        const { encoding, parts } = splitSms(text);
        expect(parts.join('')).toBe(text);
        const limit = parts.length > 1 ? SMS_LIMITS[encoding].multi : SMS_LIMITS[encoding].single;
        for (const p of parts) {
          expect(smsLength(p, encoding)).toBeLessThanOrEqual(limit);
          expect(p.length).toBeGreaterThan(0);
          expect(hasLoneSurrogate(p)).toBe(false);
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe('smsInfo', () => {
  it('gives the composer counter', () => {
    const info = smsInfo('a'.repeat(87));
    expect(info).toEqual({ encoding: 'GSM-7', used: 87, limit: 160, parts: 1, nonGsmChars: [] });
    expect(formatSmsCounter(info)).toBe('87 / 160 · 1 text');
    expect(formatSmsCounter(smsInfo('a'.repeat(200)))).toBe('200 / 306 · 2 texts');
  });

  it('names the characters that force UCS-2', () => {
    expect(nonGsmChars('Café ✓ “quoted” ✓')).toEqual(['✓', '“', '”']);
    expect(smsInfo('ok ✓')).toMatchObject({ encoding: 'UCS-2', limit: 70, nonGsmChars: ['✓'] });
  });
});
