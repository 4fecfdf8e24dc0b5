// The send scheduler counts in a turn the work a drain started that finishes after it (a catch-up
// step on SQLite runs as microtasks once the turn returns): a turn never starts more than its budget.
import { describe, expect, it } from 'vitest';
import { SendScheduler, TURN_BUDGET_MS, type Drainable } from '../sync/scheduler';

const checkPhase = () => new Promise<void>((r) => setImmediate(r));

describe('SendScheduler', () => {
  it('stops a turn once the work it started (debt) reaches the budget', async () => {
    const debt = { debtMs: 0 };
    const s = new SendScheduler<Drainable>(debt);
    const drained: number[] = [];
    const conns = [0, 1, 2, 3].map((i) => ({
      drain: () => {
        drained.push(i);
        // a step started: it will cost more than a turn's budget after the turn
        debt.debtMs += TURN_BUDGET_MS;
        return 'idle' as const;
      },
      writable: () => true,
    }));
    for (const c of conns) s.wake(c);
    await checkPhase();
    expect(drained).toEqual([0]);
    await checkPhase();
    expect(drained).toEqual([0, 1]);
    for (let i = 0; i < 5 && drained.length < 4; i++) await checkPhase();
    expect(drained).toEqual([0, 1, 2, 3]);
    s.stop();
  });

});
