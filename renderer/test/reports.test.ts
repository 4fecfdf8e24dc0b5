// Reports view logic: the period picker, durations, deltas, the heatmap's shades and the CSV.
import { describe, expect, it } from 'vitest';
import { affects } from '../src/lib/queries.logic';
import { customPeriod, delta, duration, durationUnit, heatLevel, percent, presetPeriod, previousPeriod, reportCsv, targetText, targetsText } from '../src/lib/reports';

describe('reports logic', () => {
  it('gives the last N days as local midnights, today included, and the period before', () => {
    const now = new Date(2026, 10, 30, 15, 20).getTime();
    const p = presetPeriod(7, now);
    expect(new Date(p.from)).toEqual(new Date(2026, 10, 24));
    expect(new Date(p.to)).toEqual(new Date(2026, 11, 1));
    expect(p.tzOffsetMinutes).toBe(-new Date(p.from).getTimezoneOffset());
    const before = previousPeriod(p);
    expect([new Date(before.from), new Date(before.to)]).toEqual([new Date(2026, 10, 17), new Date(2026, 10, 24)]);
  });

  it('takes a custom period with both days included, and says what is wrong with a bad one', () => {
    const r = customPeriod('2026-03-01', '2026-03-10');
    expect(r.ok && [new Date(r.period.from), new Date(r.period.to)]).toEqual([new Date(2026, 2, 1), new Date(2026, 2, 11)]);
    expect(customPeriod('2026-03-10', '2026-03-01')).toEqual({ ok: false, message: 'The end date must be on or after the start date.' });
    expect(customPeriod('', '2026-03-01')).toEqual({ ok: false, message: 'Pick a start and an end date.' });
    expect(customPeriod('2024-01-01', '2026-03-01')).toEqual({ ok: false, message: 'Pick a period of at most 400 days.' });
  });

  it('writes durations and changes in words', () => {
    expect([duration(null), duration(42_000), duration(12 * 60_000), duration(185 * 60_000), duration(52 * 3_600_000), duration(48 * 3_600_000)]).toEqual(['—', '42 s', '12 min', '3 h 5 min', '2 d 4 h', '2 d']);
    expect(delta(120, 100)).toEqual({ text: '+20% vs previous period', tone: 'up' });
    expect(delta(80, 100, true)).toEqual({ text: '-20% vs previous period', tone: 'good' });
    expect(delta(120, 100, true)?.tone).toBe('bad');
    expect(delta(5, 0)).toBeNull();
    expect(delta(null, 4)).toBeNull();
    expect([durationUnit(90 * 60_000).label, durationUnit(20 * 3_600_000).label, durationUnit(5 * 86_400_000).label]).toEqual(['min', 'h', 'd']);
    expect([heatLevel(0, 10), heatLevel(1, 10), heatLevel(10, 10), heatLevel(3, 0)]).toEqual([0, 1, 4, 0]);
  });

  it('exports each chart as CSV, formulas in names neutralised', () => {
    const stat = { count: 2, medianMs: 600_000, p90Ms: 1_800_000 };
    const csv = reportCsv.times({
      firstResponse: { overall: stat, byGroup: [{ id: 'g', name: '=HYPERLINK("x")', ...stat }], byAgent: [], unanswered: 0 },
      resolution: { overall: { count: 0, medianMs: null, p90Ms: null }, byGroup: [], byAgent: [] },
    }).split(/\r?\n/);
    expect(csv[0]).toBe('measure,by,name,conversations,median_minutes,p90_minutes');
    expect(csv[1]).toBe('first response,all,All,2,10.0,30.0');
    expect(csv[2]).toBe(`first response,group,"'=HYPERLINK(""x"")",2,10.0,30.0`);
    expect(csv[3]).toBe('resolution,all,All,0,,');
    expect(reportCsv.volume({ days: [{ day: '2026-01-05', opened: 3, archived: 1 }], totals: { opened: 3, archived: 1 } })).toBe('day,opened,archived\r\n2026-01-05,3,1');
  });

  it('answered within target: shares, targets and CSV', () => {
    expect(percent(null)).toBe('–');
    expect(percent(2 / 3)).toBe('67%');
    expect(targetText(60)).toBe('1 h');
    expect(targetText(90)).toBe('1 h 30 min');
    expect(targetText(15)).toBe('15 min');
    expect(targetsText([60])).toBe('1 h target');
    expect(targetsText([60, 30])).toBe('1 h, then 30 min target'); // changed during the period
    const csv = reportCsv
      .sla({
        overall: { met: 2, missed: 1, pending: 1, share: 2 / 3 },
        byGroup: [{ id: 'g', name: 'Sales', targets: [60], met: 2, missed: 1, pending: 1, share: 2 / 3 }, { id: 'h', name: 'Support', targets: [60, 30], met: 1, missed: 1, pending: 0, share: 0.5 }],
        byAgent: [{ id: 'u', name: 'Amira', met: 0, missed: 0, pending: 0, share: null }],
      })
      .split(/\r?\n/);
    expect(csv).toEqual(['by,name,target_minutes,met,missed,pending,share_within_target', 'all,All,,2,1,1,0.667', 'group,Sales,60,2,1,1,0.667', 'group,Support,60 then 30,1,1,0,0.500', 'agent,Amira,,0,0,0,']);
  });

  it('refreshes when the tables a report reads change', () => {
    expect(affects('reportTimes', { tables: ['messages'] })).toBe(true);
    expect(affects('reportVolume', { tables: ['messages'] })).toBe(false);
    expect(affects('reportBacklog', { tables: ['conversations'] })).toBe(true);
    expect(affects('reportSla', { tables: ['groups'] })).toBe(true);
  });
});
