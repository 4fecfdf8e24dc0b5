import { describe, expect, it } from 'vitest';
import { formatPhone, normalisePhone } from './phone';

describe('normalisePhone', () => {
  it.each(['07700 900123', '+44 7700 900123', '00447700900123', '(07700) 900-123'])('accepts %s as +447700900123', (input) => {
    expect(normalisePhone(input)).toEqual({ ok: true, e164: '+447700900123' });
  });
  it('accepts real numbers of other countries', () => {
    expect(normalisePhone('+1 202 555 0143')).toEqual({ ok: true, e164: '+12025550143' });
    expect(normalisePhone('020 7946 0018')).toEqual({ ok: true, e164: '+442079460018' });
  });
  it.each(['12345', 'hello', '', '+44 7700', '+999 123456789'])('refuses %s with a message', (input) => {
    const r = normalisePhone(input);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message.length).toBeGreaterThan(5);
  });
  it('formats for display', () => {
    expect(formatPhone('+447700900123')).toBe('+44 7700 900123');
  });
});
