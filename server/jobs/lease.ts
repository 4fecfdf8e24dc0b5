// Leases on rows of a work table (issue 15): `jobs` (effects after commit) and `timers`. A relay
// claims a due row by writing its id in `owner` and a deadline in `lease_until`; while it works it
// renews the deadline; when it is done it deletes the row (in the transaction of the work's
// result where it can) or gives it back. A row whose lease expired — its relay died — is claimed
// again by any relay. So several relays on one database run each row once (once per claim: a
// relay that dies after its side effect but before recording the result leaves the row to run
// again; see docs/SCALING.md "Effects").
//
// PostgreSQL: the claim is one statement on the pool, outside the organisation's write lock,
// `FOR UPDATE SKIP LOCKED` in its subquery, so relays claiming at once take different rows and
// never wait for each other. SQLite: one writer, so the same conditional UPDATE in a write
// transaction is already exclusive.
import type { RelayStore } from '../store/types';

/**
 * One write statement that returns rows (`… RETURNING`), committed on its own. PostgreSQL: on the
 * pool, outside the organisation's write lock (row locks only). SQLite: a write transaction of its
 * one writer (the store's reads go to a read-only connection).
 */
export function writeReturning<T>(store: RelayStore, sql: string, params: readonly unknown[]): Promise<T[]> {
  return store.dialect === 'postgres' ? store.all<T>(sql, params) : store.write((tx) => tx.all<T>(sql, params));
}

export interface LeaseOptions {
  /** `jobs` or `timers` */
  table: string;
  /** the column holding when a row is due */
  dueColumn: string;
  /** the columns a claim returns, as a select list (`id, kind, …`) */
  returning: string;
  /** this relay's id (a uuid drawn at start) */
  owner: string;
  /** how long a claim holds without renewal */
  leaseMs: number;
}

export class Leases<Row extends { id: string }> {
  constructor(
    private readonly store: RelayStore,
    private readonly o: LeaseOptions,
  ) {}

  get owner(): string {
    return this.o.owner;
  }

  get leaseMs(): number {
    return this.o.leaseMs;
  }

  /** Claims up to `limit` rows due at `now` whose lease is free or expired, earliest first. */
  claimDue(now: number, limit: number): Promise<Row[]> {
    const { table, dueColumn, returning } = this.o;
    const skipLocked = this.store.dialect === 'postgres' ? ' FOR UPDATE SKIP LOCKED' : '';
    const sql =
      `UPDATE ${table} SET owner = ?, lease_until = ? WHERE id IN (` +
      `SELECT id FROM ${table} WHERE ${dueColumn} <= ? AND (lease_until IS NULL OR lease_until <= ?) ORDER BY ${dueColumn} LIMIT ?${skipLocked}` +
      `) RETURNING ${returning}`;
    return writeReturning<Row>(this.store, sql, [this.o.owner, now + this.o.leaseMs, now, now, limit]);
  }

  /** Extends the lease of every row this relay holds. */
  async renew(now: number): Promise<number> {
    return this.store.run(`UPDATE ${this.o.table} SET lease_until = ? WHERE owner = ?`, [now + this.o.leaseMs, this.o.owner]);
  }

  /**
   * Before an act that cannot be taken back (a provider call): true when this relay still holds
   * the row, and its lease is extended; false when it lost it (it expired and another relay took it).
   * `mark`: a column set to `now` in the same statement (the jobs' `attempted_at`: the act began).
   */
  async hold(id: string, now: number, mark?: string): Promise<boolean> {
    const set = mark ? `lease_until = ?, ${mark} = ?` : 'lease_until = ?';
    const params = mark ? [now + this.o.leaseMs, now, id, this.o.owner] : [now + this.o.leaseMs, id, this.o.owner];
    return (await this.store.run(`UPDATE ${this.o.table} SET ${set} WHERE id = ? AND owner = ?`, params)) === 1;
  }

  /** Gives a row back (due again at once, or at `dueAt`) if this relay still holds it. */
  async release(id: string, dueAt?: number): Promise<void> {
    const { table, dueColumn } = this.o;
    if (dueAt === undefined) await this.store.run(`UPDATE ${table} SET owner = NULL, lease_until = NULL WHERE id = ? AND owner = ?`, [id, this.o.owner]);
    else await this.store.run(`UPDATE ${table} SET owner = NULL, lease_until = NULL, ${dueColumn} = ? WHERE id = ? AND owner = ?`, [dueAt, id, this.o.owner]);
  }

  /**
   * Frees every lease of the table: only where no other relay can hold one (SQLite: one relay per
   * database, so leases found at start belong to a process that is gone).
   */
  async releaseAll(): Promise<void> {
    await this.store.run(`UPDATE ${this.o.table} SET owner = NULL, lease_until = NULL WHERE owner IS NOT NULL`);
  }

  /**
   * When a row next becomes claimable: the earliest due row with no lease, or the earliest lease
   * to end (both by index); null when the table is empty.
   */
  async next(): Promise<number | null> {
    const { table, dueColumn: due } = this.o;
    const free = await this.store.get<{ at: number }>(`SELECT ${due} AS at FROM ${table} WHERE lease_until IS NULL ORDER BY ${due} LIMIT 1`);
    const leased = await this.store.get<{ at: number | null }>(`SELECT min(lease_until) AS at FROM ${table} WHERE lease_until IS NOT NULL`);
    const times = [free?.at, leased?.at].filter((t): t is number => typeof t === 'number');
    return times.length ? Math.min(...times) : null;
  }

  /** Rows not due yet at `now` (retries waiting: /metrics). */
  async waiting(now: number): Promise<number> {
    return (await this.store.get<{ n: number }>(`SELECT count(*) AS n FROM ${this.o.table} WHERE ${this.o.dueColumn} > ?`, [now]))?.n ?? 0;
  }
}

/**
 * The one timer a claimer (the effect runner, the timer scheduler) sleeps on until a row becomes
 * claimable (`Leases.next()`), at most `pollMs` ahead: what other relays committed and it was not
 * told of, it finds by polling. It only moves earlier: asked for a later time than it is armed
 * for, it keeps the earlier one.
 */
export class WakeTimer {
  private timer: NodeJS.Timeout | undefined;
  private armedFor = Infinity;

  constructor(
    private readonly fire: () => void,
    private readonly pollMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Wakes at `at` (null: nothing is waiting), or after `pollMs` if that is sooner. */
  arm(at: number | null): void {
    const wakeAt = Math.min(at ?? Infinity, this.now() + this.pollMs);
    if (this.timer && wakeAt >= this.armedFor) return;
    if (this.timer) clearTimeout(this.timer);
    this.armedFor = wakeAt;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.armedFor = Infinity;
      this.fire();
    }, Math.max(0, wakeAt - this.now()));
    this.timer.unref();
  }

  cancel(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.armedFor = Infinity;
  }
}
