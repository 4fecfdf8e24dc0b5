// SMS segmentation: how many texts a body is sent as, and where it is cut.
// GSM 03.38: the basic set costs one septet a character; the extension table
// (^ { } \ [ ~ ] | € and form feed) costs two (an escape plus the character).
// Any character outside both makes the whole message UCS-2, counted in UTF-16 units.
// A single text holds 160 septets / 70 UCS-2 units. A concatenated text carries a
// 6-byte User Data Header, which leaves 153 septets / 67 units per part.

export type SmsEncoding = 'GSM-7' | 'UCS-2';

const GSM_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?' +
  '¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const GSM_EXTENSION = '^{}\\[~]|€\f';
const basic = new Set(GSM_BASIC);
const extension = new Set(GSM_EXTENSION);

export const SMS_LIMITS = {
  'GSM-7': { single: 160, multi: 153 },
  'UCS-2': { single: 70, multi: 67 },
} as const;

export function isGsmChar(ch: string): boolean {
  return basic.has(ch) || extension.has(ch);
}

/** Distinct characters (code points) that force UCS-2, in order of appearance. */
export function nonGsmChars(text: string): string[] {
  const out = new Set<string>();
  for (const ch of text) if (!isGsmChar(ch)) out.add(ch);
  return [...out];
}

export function smsEncoding(text: string): SmsEncoding {
  for (const ch of text) if (!isGsmChar(ch)) return 'UCS-2';
  return 'GSM-7';
}

/** Cost of one code point in the given encoding. */
function cost(ch: string, encoding: SmsEncoding): number {
  if (encoding === 'UCS-2') return ch.length; // UTF-16 units: 2 for a surrogate pair
  return extension.has(ch) ? 2 : 1;
}

export function smsLength(text: string, encoding: SmsEncoding = smsEncoding(text)): number {
  let n = 0;
  for (const ch of text) n += cost(ch, encoding);
  return n;
}

const isSpace = (ch: string) => /\s/u.test(ch);

/**
 * Splits a body into the texts it is sent as. Cuts after the last whitespace that
 * fits when there is one, otherwise at the last whole character that fits; code
 * points are atomic, so a surrogate pair or an extension character is never cut.
 * `parts.join('') === text` always. Empty text → no parts (nothing to send).
 */
export function splitSms(text: string): { encoding: SmsEncoding; parts: string[] } {
  const encoding = smsEncoding(text);
  const limits = SMS_LIMITS[encoding];
  if (text === '') return { encoding, parts: [] };
  if (smsLength(text, encoding) <= limits.single) return { encoding, parts: [text] };

  const chars = [...text];
  const parts: string[] = [];
  let start = 0;
  while (start < chars.length) {
    let used = 0;
    let end = start; // exclusive
    let lastBreak = -1; // index just after the last whitespace inside the part
    while (end < chars.length) {
      const ch = chars[end] as string;
      const c = cost(ch, encoding);
      if (used + c > limits.multi) break;
      used += c;
      end++;
      if (isSpace(ch)) lastBreak = end;
    }
    // Prefer a word boundary unless the rest fits entirely in this part.
    const cut = end < chars.length && lastBreak > start ? lastBreak : end;
    parts.push(chars.slice(start, cut).join(''));
    start = cut;
  }
  return { encoding, parts };
}

export interface SmsInfo {
  encoding: SmsEncoding;
  /** septets (GSM-7) or UTF-16 units (UCS-2) of the whole body */
  used: number;
  /** what the current number of texts can hold: 160/70 for one text, parts × 153/67 beyond */
  limit: number;
  /** how many texts will be sent (0 for an empty body) */
  parts: number;
  nonGsmChars: string[];
}

/** What the composer's counter shows, e.g. "87 / 160 · 1 text". */
export function smsInfo(text: string): SmsInfo {
  const { encoding, parts } = splitSms(text);
  const limits = SMS_LIMITS[encoding];
  return {
    encoding,
    used: smsLength(text, encoding),
    limit: parts.length <= 1 ? limits.single : parts.length * limits.multi,
    parts: parts.length,
    nonGsmChars: nonGsmChars(text),
  };
}

export function formatSmsCounter(info: SmsInfo): string {
  const texts = Math.max(info.parts, 1);
  return `${info.used} / ${info.limit} · ${texts} ${texts === 1 ? 'text' : 'texts'}`;
}
