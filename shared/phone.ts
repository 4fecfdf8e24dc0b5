// Phone numbers are stored E.164. Input comes in any common format; the default
// country (GB) lets people type national numbers such as "07700 900123".
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';

export type PhoneResult = { ok: true; e164: string } | { ok: false; message: string };

export const DEFAULT_COUNTRY: CountryCode = 'GB';

// Ofcom's ranges reserved for drama and documentation (07700 900xxx, 020 7946 0xxx,
// 0113 496 0xxx, …) are not "valid" in libphonenumber's metadata, but demos, docs
// and tests use them, so they are accepted as numbers that will never be a customer.
const fictionRanges = [/^\+447700900\d{3}$/, /^\+44207946\d{4}$/, /^\+44(113|114|115|116|117|118|121|131|141|151|161)4960\d{3}$/, /^\+441914980\d{3}$/, /^\+442890180\d{3}$/, /^\+442920180\d{3}$/, /^\+441632960\d{3}$/];

export function normalisePhone(input: string, defaultCountry: CountryCode = DEFAULT_COUNTRY): PhoneResult {
  const raw = input.trim();
  if (!raw) return { ok: false, message: 'Enter a phone number.' };
  // "00" is the international prefix in most of the world; treat it as "+".
  const text = raw.startsWith('00') ? `+${raw.slice(2)}` : raw;
  const parsed = parsePhoneNumberFromString(text, defaultCountry);
  if (!parsed) return { ok: false, message: `"${raw}" is not a phone number.` };
  const e164 = parsed.number;
  if (parsed.isValid() || fictionRanges.some((r) => r.test(e164))) return { ok: true, e164 };
  return { ok: false, message: `"${raw}" is not a valid phone number (include the country code, e.g. +44 7700 900123).` };
}

/** A readable international form for display, e.g. "+44 7700 900123"; the input when it cannot be parsed. */
export function formatPhone(e164: string): string {
  const parsed = parsePhoneNumberFromString(e164);
  return parsed ? parsed.formatInternational() : e164;
}
