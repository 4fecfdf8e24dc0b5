// Sends what connections have queued, a few milliseconds at a time, round-robin: a fan-out to
// 1,000 sockets or 1,000 catch-ups at once never hold the event loop for long, pings and other
// users' pushes are served between turns, and every catch-up gets its share of each turn.
import { performance } from 'node:perf_hooks';

export interface Drainable {
  /**
   * 'more': has more ready to send; 'blocked': waits for its socket to drain; 'idle': nothing
   * queued; 'parked': waits for something else to wake it (a catch-up slot)
   */
  drain(): 'more' | 'blocked' | 'idle' | 'parked';
  /** whether its socket has drained below its high-water mark again */
  writable(): boolean;
}

/** work per turn before yielding to the event loop */
export const TURN_BUDGET_MS = 8;
const BLOCKED_POLL_MS = 4;

/** Work a turn starts that runs after it (catch-up steps finishing as microtasks): counted in it. */
export interface TurnDebt {
  /** estimated ms of work started in this turn that runs after `drain` returned */
  debtMs: number;
}

export class SendScheduler<C extends Drainable = Drainable> {
  /** insertion order is the round-robin order */
  private readonly ready = new Set<C>();
  private readonly blocked = new Set<C>();
  private armed = false;
  private poll: NodeJS.Timeout | null = null;
  private stopped = false;
  /** turns run, for metrics */
  turns = 0;

  constructor(private readonly debt: TurnDebt = { debtMs: 0 }) {}

  wake(c: C): void {
    if (this.stopped || this.blocked.has(c)) return;
    this.ready.add(c);
    this.arm();
  }

  /** The socket wrote out what it held (a send callback): no need to wait for the next poll. */
  unblock(c: C): void {
    if (this.stopped || !this.blocked.has(c) || !c.writable()) return;
    this.blocked.delete(c);
    this.ready.add(c);
    this.arm();
  }

  forget(c: C): void {
    this.ready.delete(c);
    this.blocked.delete(c);
  }

  stop(): void {
    this.stopped = true;
    this.ready.clear();
    this.blocked.clear();
    if (this.poll) clearTimeout(this.poll);
    this.poll = null;
  }

  get blockedCount(): number {
    return this.blocked.size;
  }

  get pending(): number {
    return this.ready.size + this.blocked.size;
  }

  private arm(): void {
    if (this.armed || this.stopped) return;
    this.armed = true;
    setImmediate(() => this.turn());
  }

  private turn(): void {
    this.armed = false;
    if (this.stopped) return;
    this.turns++;
    const end = performance.now() + TURN_BUDGET_MS;
    this.debt.debtMs = 0;
    for (const c of this.ready) {
      this.ready.delete(c);
      const r = c.drain();
      if (r === 'more') this.ready.add(c);
      else if (r === 'blocked') this.block(c);
      if (performance.now() + this.debt.debtMs >= end) break;
    }
    if (this.ready.size) this.arm();
  }

  private block(c: C): void {
    this.blocked.add(c);
    if (!this.poll) this.poll = setTimeout(() => this.recheck(), BLOCKED_POLL_MS);
  }

  private recheck(): void {
    this.poll = null;
    if (this.stopped) return;
    for (const c of this.blocked) {
      if (!c.writable()) continue;
      this.blocked.delete(c);
      this.ready.add(c);
    }
    if (this.ready.size) this.arm();
    if (this.blocked.size) this.poll = setTimeout(() => this.recheck(), BLOCKED_POLL_MS);
  }
}
