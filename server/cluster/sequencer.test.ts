import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CommitSequencer, type SequencedCommit, type SequencerTimers } from './sequencer';

/** Timers the test fires by hand (no clock, no sleeps). */
class ManualTimers implements SequencerTimers {
  private next = 1;
  readonly pending = new Map<number, () => void>();
  setTimeout(fn: () => void): unknown {
    const h = this.next++;
    this.pending.set(h, fn);
    return h;
  }
  clearTimeout(h: unknown): void {
    this.pending.delete(h as number);
  }
  /** fires every timer pending now; true when one fired */
  fire(): boolean {
    const due = [...this.pending];
    this.pending.clear();
    for (const [, fn] of due) fn();
    return due.length > 0;
  }
}

type Event = { k: 'deliver'; from: number; to: number; payload: string } | { k: 'catchUp'; from: number; to: number };

function harness(start = 0, opts: { gapMs?: number; maxBuffered?: number; catchUp?: (from: number, to: number) => Promise<void> | void } = {}) {
  const timers = new ManualTimers();
  const events: Event[] = [];
  const seq = new CommitSequencer<string>({
    start,
    timers,
    ...(opts.maxBuffered !== undefined ? { maxBuffered: opts.maxBuffered } : {}),
    deliver: (c) => events.push({ k: 'deliver', from: c.prev, to: c.version, payload: c.payload }),
    catchUp: (from, to) => {
      events.push({ k: 'catchUp', from, to });
      return opts.catchUp?.(from, to);
    },
  });
  const c = (v: number, big = false): SequencedCommit<string> => ({ prev: v - 1, version: v, payload: big ? null : `c${v}` });
  return { seq, timers, events, c };
}

const tick = () => new Promise<void>((r) => setImmediate(r));

describe('CommitSequencer', () => {
  it('delivers commits that arrive in order at once, without a timer or catch-up', () => {
    const { seq, timers, events, c } = harness(10);
    seq.push(c(11));
    seq.push(c(12));
    expect(events).toEqual([
      { k: 'deliver', from: 10, to: 11, payload: 'c11' },
      { k: 'deliver', from: 11, to: 12, payload: 'c12' },
    ]);
    expect(timers.pending.size).toBe(0);
    expect(seq.version).toBe(12);
  });

  it('restores the order of commits that arrive out of order, and ignores duplicates', () => {
    const { seq, timers, events, c } = harness(0);
    seq.push(c(3));
    seq.push(c(2));
    expect(events).toEqual([]);
    expect(timers.pending.size).toBe(1);
    seq.push(c(3));
    seq.push(c(1));
    seq.push(c(2));
    seq.push(c(1));
    expect(events.map((e) => e.to)).toEqual([1, 2, 3]);
    expect(events.every((e) => e.k === 'deliver')).toBe(true);
    expect(timers.pending.size).toBe(0);
    expect(seq.stats.duplicates).toBe(3);
  });

  it('follows prev, not version - 1 (versions may jump)', () => {
    const { seq, events } = harness(5);
    seq.push({ prev: 9, version: 12, payload: 'b' });
    seq.push({ prev: 5, version: 9, payload: 'a' });
    expect(events).toEqual([
      { k: 'deliver', from: 5, to: 9, payload: 'a' },
      { k: 'deliver', from: 9, to: 12, payload: 'b' },
    ]);
  });

  it('bridges a gap that is not filled in time with one catch-up, then delivers what waited', () => {
    const { seq, timers, events, c } = harness(0);
    seq.push(c(1));
    seq.push(c(4));
    seq.push(c(3));
    expect(events.length).toBe(1);
    timers.fire();
    expect(events).toEqual([
      { k: 'deliver', from: 0, to: 1, payload: 'c1' },
      { k: 'catchUp', from: 1, to: 2 },
      { k: 'deliver', from: 2, to: 3, payload: 'c3' },
      { k: 'deliver', from: 3, to: 4, payload: 'c4' },
    ]);
    // the lost commit arriving late is ignored
    seq.push(c(2));
    expect(events.length).toBe(4);
  });

  it('catches a big commit up from the database instead of delivering it, merging consecutive big ones', () => {
    const { seq, events, c } = harness(0);
    seq.push(c(3, true));
    seq.push(c(2, true));
    seq.push(c(4));
    seq.push(c(1));
    expect(events).toEqual([
      { k: 'deliver', from: 0, to: 1, payload: 'c1' },
      { k: 'catchUp', from: 1, to: 3 },
      { k: 'deliver', from: 3, to: 4, payload: 'c4' },
    ]);
  });

  it('prefers the full copy of a commit over a version-only one', () => {
    const { seq, events, c } = harness(0);
    seq.push(c(2, true));
    seq.push(c(2));
    seq.push(c(1));
    expect(events.map((e) => e.k)).toEqual(['deliver', 'deliver']);
  });

  it('holds deliveries while an asynchronous catch-up runs, and continues after it', async () => {
    let release!: () => void;
    const { seq, timers, events, c } = harness(0, { catchUp: () => new Promise<void>((r) => (release = r)) });
    seq.push(c(2));
    timers.fire();
    expect(seq.catchingUp).toBe(true);
    seq.push(c(3));
    seq.push(c(1)); // covered by the catch-up: ignored once it ends
    expect(events).toEqual([{ k: 'catchUp', from: 0, to: 1 }]);
    release();
    await tick();
    expect(events.map((e) => `${e.k}:${e.from}-${e.to}`)).toEqual(['catchUp:0-1', 'deliver:1-2', 'deliver:2-3']);
  });

  it('retries a catch-up that failed, after the gap delay', async () => {
    let failures = 1;
    const errors: unknown[] = [];
    const timers = new ManualTimers();
    const calls: string[] = [];
    const seq = new CommitSequencer<string>({
      start: 0,
      timers,
      deliver: (x) => calls.push(`d${x.version}`),
      catchUp: async (from, to) => {
        calls.push(`c${from}-${to}`);
        if (failures-- > 0) throw new Error('database away');
      },
      onError: (e) => errors.push(e),
    });
    seq.push({ prev: 0, version: 1, payload: null });
    seq.push({ prev: 1, version: 2, payload: 'x' });
    await tick();
    expect(calls).toEqual(['c0-1']);
    expect(errors.length).toBe(1);
    expect(seq.version).toBe(0);
    expect(timers.pending.size).toBe(1);
    timers.fire();
    await tick();
    expect(calls).toEqual(['c0-1', 'c0-1', 'd2']);
    expect(seq.stats.catchUpFailures).toBe(1);
  });

  it('catches up at once when too many commits wait behind a gap (bounded memory)', () => {
    const { seq, events, c } = harness(0, { maxBuffered: 3 });
    for (const v of [2, 3, 4]) seq.push(c(v));
    expect(events).toEqual([]);
    seq.push(c(5));
    expect(events).toEqual([{ k: 'catchUp', from: 0, to: 5 }]);
    expect(seq.buffered).toBe(0);
    expect(seq.stats.overflows).toBe(1);
  });

  it('catches up to a version known from elsewhere when nothing arrives for it', () => {
    const { seq, timers, events } = harness(4);
    seq.known(3);
    expect(timers.pending.size).toBe(0);
    seq.known(7);
    expect(events).toEqual([]);
    timers.fire();
    expect(events).toEqual([{ k: 'catchUp', from: 4, to: 7 }]);
    expect(seq.version).toBe(7);
  });

  it('goes on after a delivery that threw', () => {
    const timers = new ManualTimers();
    const got: number[] = [];
    const errors: unknown[] = [];
    const seq = new CommitSequencer<string>({
      start: 0,
      timers,
      deliver: (x) => {
        got.push(x.version);
        if (x.version === 2) throw new Error('fan-out failed');
      },
      catchUp: () => undefined,
      onError: (e) => errors.push(e),
    });
    seq.push({ prev: 2, version: 3, payload: 'c' });
    seq.push({ prev: 1, version: 2, payload: 'b' });
    seq.push({ prev: 0, version: 1, payload: 'a' });
    expect(got).toEqual([1, 2, 3]);
    expect(errors.length).toBe(1);
    expect(seq.version).toBe(3);
  });

  it('delivers commits pushed from inside deliver in order', () => {
    const timers = new ManualTimers();
    const got: number[] = [];
    const seq: CommitSequencer<string> = new CommitSequencer<string>({
      start: 0,
      timers,
      deliver: (x) => {
        got.push(x.version);
        if (x.version === 1) seq.push({ prev: 1, version: 2, payload: 'y' });
      },
      catchUp: () => undefined,
    });
    seq.push({ prev: 0, version: 1, payload: 'x' });
    seq.push({ prev: 2, version: 3, payload: 'z' });
    expect(got).toEqual([1, 2, 3]);
  });

  it('property: in any order, with drops, duplicates, big commits and failing catch-ups, every version is delivered or caught up exactly once, in order', async () => {
    const arb = fc.record({
      start: fc.nat(1000),
      steps: fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 1, maxLength: 40 }),
      big: fc.array(fc.boolean(), { minLength: 40, maxLength: 40 }),
      copies: fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 40, maxLength: 40 }),
      order: fc.array(fc.nat(), { minLength: 200, maxLength: 200 }),
      actions: fc.array(fc.constantFrom('push', 'push', 'push', 'timer', 'resolve', 'fail'), { minLength: 200, maxLength: 200 }),
      async: fc.boolean(),
      maxBuffered: fc.integer({ min: 2, max: 50 }),
    });
    await fc.assert(
      fc.asyncProperty(arb, async (p) => {
        // a history: versions increase by 1–3; each commit knows the one before it
        const commits: SequencedCommit<string>[] = [];
        let v = p.start;
        p.steps.forEach((step, i) => {
          commits.push({ prev: v, version: v + step, payload: p.big[i] ? null : `p${v + step}` });
          v += step;
        });
        const head = v;
        // messages: each commit 0–3 times, shuffled
        const msgs: SequencedCommit<string>[] = [];
        commits.forEach((c, i) => {
          for (let k = 0; k < (p.copies[i] ?? 1); k++) msgs.push(c);
        });
        for (let i = msgs.length - 1; i > 0; i--) {
          const j = (p.order[i] ?? 0) % (i + 1);
          [msgs[i], msgs[j]] = [msgs[j] as SequencedCommit<string>, msgs[i] as SequencedCommit<string>];
        }
        const timers = new ManualTimers();
        const events: Event[] = [];
        const pendingCatchUps: { resolve: () => void; reject: (e: Error) => void }[] = [];
        const seq = new CommitSequencer<string>({
          start: p.start,
          timers,
          maxBuffered: p.maxBuffered,
          deliver: (c) => events.push({ k: 'deliver', from: c.prev, to: c.version, payload: c.payload }),
          catchUp: (from, to) => {
            if (!p.async) {
              events.push({ k: 'catchUp', from, to });
              return;
            }
            return new Promise<void>((resolve, reject) => {
              pendingCatchUps.push({ resolve: () => (events.push({ k: 'catchUp', from, to }), resolve()), reject });
            });
          },
        });
        let a = 0;
        while (msgs.length) {
          const act = p.actions[a++ % p.actions.length];
          if (act === 'timer') timers.fire();
          else if (act === 'resolve') pendingCatchUps.shift()?.resolve();
          else if (act === 'fail') pendingCatchUps.shift()?.reject(new Error('lost'));
          else seq.push(msgs.shift() as SequencedCommit<string>);
          await tick();
        }
        // the head becomes known (a heartbeat, the database), and everything settles
        seq.known(head);
        for (let i = 0; i < 1000 && seq.version < head; i++) {
          timers.fire();
          pendingCatchUps.shift()?.resolve();
          await tick();
        }
        expect(seq.version).toBe(head);
        // one chain from start to head: each event starts where the last ended
        let at = p.start;
        const seen = new Set<number>();
        for (const e of events) {
          expect(e.from).toBe(at);
          expect(e.to).toBeGreaterThan(e.from);
          if (e.k === 'deliver') {
            expect(seen.has(e.to)).toBe(false);
            seen.add(e.to);
            expect(e.payload).toBe(`p${e.to}`);
          }
          at = e.to;
        }
        expect(at).toBe(head);
        // a version-only commit is never delivered
        for (const c of commits) if (c.payload === null) expect(seen.has(c.version)).toBe(false);
      }),
      { numRuns: 300 },
    );
  });
});
