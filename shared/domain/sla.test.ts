import { describe, expect, it } from 'vitest';
import { businessHoursProblem, businessMinutesBetween, dueAt, slaTargetProblem, slaText, tzOffset, type BusinessHours } from './sla';

const H = 3_600_000;
const M = 60_000;
const utc = (s: string) => Date.parse(s.endsWith('Z') ? s : `${s}Z`);
const iso = (t: number) => new Date(t).toISOString().slice(0, 16);

const weekdays = (open: string, close: string, tz = 'Europe/London'): BusinessHours => ({
  tz,
  days: { mon: [open, close], tue: [open, close], wed: [open, close], thu: [open, close], fri: [open, close] },
});
const london = weekdays('09:00', '17:30');

describe('around the clock (no business hours)', () => {
  it('is plain elapsed time', () => {
    expect(dueAt(utc('2026-06-06T23:30'), 60, null)).toBe(utc('2026-06-07T00:30'));
    expect(businessMinutesBetween(utc('2026-06-06T23:30'), utc('2026-06-07T01:00'), null)).toBe(90);
    expect(businessMinutesBetween(utc('2026-06-07T01:00'), utc('2026-06-06T23:30'), null)).toBe(0);
  });
});

describe('business hours (Europe/London, weekdays 09:00–17:30)', () => {
  // June: London is UTC+1
  it('inside hours: the target counts straight on', () => {
    expect(iso(dueAt(utc('2026-06-03T09:00'), 60, london))).toBe('2026-06-03T10:00'); // Wed 10:00 local
    expect(businessMinutesBetween(utc('2026-06-03T09:00'), utc('2026-06-03T10:00'), london)).toBe(60);
  });
  it('near closing: what is left carries to the next morning', () => {
    // Wed 17:00 local: 30 min today, 30 tomorrow from 09:00 → Thu 09:30 local = 08:30Z
    expect(iso(dueAt(utc('2026-06-03T16:00'), 60, london))).toBe('2026-06-04T08:30');
    expect(businessMinutesBetween(utc('2026-06-03T16:00'), utc('2026-06-04T08:30'), london)).toBe(60);
  });
  it('before opening: the clock starts at opening', () => {
    expect(iso(dueAt(utc('2026-06-03T05:00'), 60, london))).toBe('2026-06-03T09:00');
    expect(businessMinutesBetween(utc('2026-06-03T05:00'), utc('2026-06-03T08:00'), london)).toBe(0);
  });
  it('weekend: a Friday evening message is due Monday morning', () => {
    // Fri 2026-06-05 20:00 local → Mon 2026-06-08 10:00 local = 09:00Z
    expect(iso(dueAt(utc('2026-06-05T19:00'), 60, london))).toBe('2026-06-08T09:00');
    expect(businessMinutesBetween(utc('2026-06-05T19:00'), utc('2026-06-08T09:00'), london)).toBe(60);
    // Saturday counts nothing
    expect(businessMinutesBetween(utc('2026-06-06T08:00'), utc('2026-06-06T18:00'), london)).toBe(0);
  });
  it('a target longer than a day spans several days', () => {
    // 8.5 h a day: 10 h from Mon 09:00 local = Tue 10:30 local
    expect(iso(dueAt(utc('2026-06-08T08:00'), 600, london))).toBe('2026-06-09T09:30');
  });
  it('closed days in the middle of the week are skipped', () => {
    const noWed: BusinessHours = { tz: 'UTC', days: { mon: ['09:00', '17:00'], tue: ['09:00', '17:00'], thu: ['09:00', '17:00'] } };
    // Tue 16:30 + 60 → 30 min Tue, Wed closed, Thu 09:30
    expect(iso(dueAt(utc('2026-06-09T16:30'), 60, noWed))).toBe('2026-06-11T09:30');
    expect(businessMinutesBetween(utc('2026-06-09T16:30'), utc('2026-06-11T09:30'), noWed)).toBe(60);
  });
});

describe('overnight hours', () => {
  const nights: BusinessHours = { tz: 'UTC', days: { mon: ['22:00', '06:00'], tue: ['22:00', '06:00'] } };
  it('a shift opening late runs into the next morning', () => {
    expect(iso(dueAt(utc('2026-06-09T05:30'), 60, nights))).toBe('2026-06-09T22:30'); // Tue 05:30: 30 of Monday's shift, then Tue 22:00
    expect(iso(dueAt(utc('2026-06-08T23:00'), 60, nights))).toBe('2026-06-09T00:00');
    expect(businessMinutesBetween(utc('2026-06-08T12:00'), utc('2026-06-09T12:00'), nights)).toBe(8 * 60);
  });
  it('overlapping shifts are counted once', () => {
    const overlap: BusinessHours = { tz: 'UTC', days: { mon: ['20:00', '08:00'], tue: ['00:00', '10:00'] } };
    // Mon 20:00 → Tue 10:00 = 14 h, not 22
    expect(businessMinutesBetween(utc('2026-06-08T00:00'), utc('2026-06-10T00:00'), overlap)).toBe(14 * 60);
  });
  it('open all day with 24:00', () => {
    const allDay: BusinessHours = { tz: 'UTC', days: { sat: ['00:00', '24:00'], sun: ['00:00', '24:00'] } };
    expect(businessMinutesBetween(utc('2026-06-05T00:00'), utc('2026-06-08T00:00'), allDay)).toBe(48 * 60);
    expect(iso(dueAt(utc('2026-06-06T23:30'), 60, allDay))).toBe('2026-06-07T00:30');
  });
});

describe('daylight saving time', () => {
  it('London offsets: +0 in winter, +1 in summer', () => {
    expect(tzOffset('Europe/London', utc('2026-01-15T12:00'))).toBe(0);
    expect(tzOffset('Europe/London', utc('2026-07-15T12:00'))).toBe(H);
  });
  it('opening follows the wall clock across the spring change', () => {
    // Fri 2026-03-27 17:00 GMT (= 17:00Z); clocks go forward Sun 29 March; Mon 09:00 BST = 08:00Z
    expect(iso(dueAt(utc('2026-03-27T17:00'), 60, london))).toBe('2026-03-30T08:30');
  });
  it('and across the autumn change', () => {
    // Fri 2026-10-23 17:00 BST = 16:00Z; clocks go back Sun 25 October; Mon 09:00 GMT = 09:00Z
    expect(iso(dueAt(utc('2026-10-23T16:00'), 60, london))).toBe('2026-10-26T09:30');
  });
  it('a night shift over the change counts real minutes (23 h / 25 h days)', () => {
    const night: BusinessHours = { tz: 'Europe/London', days: { sat: ['22:00', '06:00'] } };
    // Sat 28 March 22:00 GMT → Sun 06:00 BST = 05:00Z: 7 real hours
    expect(businessMinutesBetween(utc('2026-03-28T00:00'), utc('2026-03-30T00:00'), night)).toBe(7 * 60);
    // Sat 24 October 22:00 BST = 21:00Z → Sun 06:00 GMT = 06:00Z: 9 real hours
    expect(businessMinutesBetween(utc('2026-10-24T00:00'), utc('2026-10-26T00:00'), night)).toBe(9 * 60);
  });
  it('other zones: New York and Kolkata (half-hour offset)', () => {
    const ny = weekdays('09:00', '17:00', 'America/New_York');
    // Mon 2026-03-09 (EDT since Sun 8 March, UTC-4): 09:00 local = 13:00Z
    expect(iso(dueAt(utc('2026-03-09T05:00'), 30, ny))).toBe('2026-03-09T13:30');
    const kol = weekdays('09:00', '17:00', 'Asia/Kolkata');
    expect(iso(dueAt(utc('2026-06-08T00:00'), 60, kol))).toBe('2026-06-08T04:30'); // 09:00 IST = 03:30Z
  });
});

describe('dueAt and businessMinutesBetween agree', () => {
  it('on a grid of starts and targets', () => {
    for (let i = 0; i < 7 * 24 * 4; i += 7) {
      const start = utc('2026-03-23T00:00') + i * 15 * M;
      for (const target of [1, 45, 60, 510, 2000]) {
        const due = dueAt(start, target, london);
        expect(businessMinutesBetween(start, due, london)).toBeCloseTo(target, 6);
      }
    }
  });
});

describe('validation sentences', () => {
  it('hours', () => {
    expect(businessHoursProblem(london)).toBeNull();
    expect(businessHoursProblem({ tz: 'Mars/Olympus', days: { mon: ['09:00', '17:00'] } })).toMatch(/not a time zone/);
    expect(businessHoursProblem({ tz: 'UTC', days: { mon: ['9am', '17:00'] } })).toMatch(/Monday must be times like 09:00/);
    expect(businessHoursProblem({ tz: 'UTC', days: { tue: ['09:00', '09:00'] } })).toMatch(/Tuesday opens and closes at the same time/);
    expect(businessHoursProblem({ tz: 'UTC', days: {} })).toMatch(/at least one open day/);
  });
  it('targets', () => {
    expect(slaTargetProblem(60)).toBeNull();
    expect(slaTargetProblem(0)).toMatch(/at least 1/);
    expect(slaTargetProblem(20_000)).toMatch(/at most a week/);
  });
});

describe('slaText', () => {
  const now = utc('2026-06-08T10:00');
  it('time left and overdue', () => {
    expect(slaText(now + 32 * M + 10_000, now)).toBe('32m left');
    expect(slaText(now + 65 * M, now)).toBe('1h 05m left');
    expect(slaText(now - 65 * M, now)).toBe('Overdue 1h 05m');
    expect(slaText(now + 20_000, now)).toBe('<1m left');
    expect(slaText(now - 26 * H, now)).toBe('Overdue 1d 2h');
  });
});
