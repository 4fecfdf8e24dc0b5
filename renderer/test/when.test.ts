// The times Snooze and Send later offer.
import { describe, expect, it } from 'vitest';
import { fromLocalInput, toLocalInput, whenLabel, whenPresets, whenProblem } from '../src/lib/when';

const at = (y: number, mo: number, d: number, h: number, mi = 0) => new Date(y, mo - 1, d, h, mi).getTime();

describe('snooze and send-later times', () => {
  it('offers later today (on the hour, 3 h ahead), tomorrow 9:00 and next Monday 9:00', () => {
    const wed10 = at(2026, 12, 2, 10, 20); // a Wednesday
    expect(whenPresets(wed10).map((p) => [p.key, p.at])).toEqual([
      ['later', at(2026, 12, 2, 13)],
      ['tomorrow', at(2026, 12, 3, 9)],
      ['week', at(2026, 12, 7, 9)],
    ]);
  });
  it('has no "later today" in the evening', () => {
    expect(whenPresets(at(2026, 12, 2, 19, 5)).map((p) => p.key)).toEqual(['tomorrow', 'week']);
    expect(whenPresets(at(2026, 12, 2, 22, 30)).map((p) => p.key)).toEqual(['tomorrow', 'week']);
  });
  it('labels times as people read them', () => {
    const now = at(2026, 12, 2, 10);
    expect(whenLabel(at(2026, 12, 2, 15), now)).toBe('Today 15:00');
    expect(whenLabel(at(2026, 12, 3, 9), now)).toBe('Tomorrow 09:00');
    expect(whenLabel(at(2026, 12, 7, 9), now)).toBe('Mon 7 Dec 09:00');
    expect(whenLabel(at(2027, 1, 4, 9), now)).toBe('Mon 4 Jan 2027 09:00');
  });
  it('round-trips the datetime input and says what is wrong with a time', () => {
    const t = at(2026, 12, 2, 10, 45);
    expect(fromLocalInput(toLocalInput(t))).toBe(t);
    expect(whenProblem(fromLocalInput(''), t)).toBe('Choose a date and a time.');
    expect(whenProblem(t - 60_000, t)).toBe('Choose a time in the future.');
    expect(whenProblem(t + 400 * 86_400_000, t)).toBe('Choose a time within a year.');
    expect(whenProblem(t + 60_000, t)).toBeNull();
  });
});
