// Relay timers: snoozed conversations to wake and scheduled messages to send, at their time,
// whether or not anyone is online. One module: what a timer is, how it is kept and how it runs.
//
// - Kept: `timers` (server/db/localSchema.ts) is derived from the synced rows *inside the
//   transaction that writes them* (Engine.onWrite): a conversation snoozed until T has a 'wake'
//   row due at T, a message scheduled for T a 'send' row; unsnoozing, sending, cancelling or
//   deleting removes it. So a timer is never lost by a crash and never outlives its row.
// - Run: one setTimeout for the earliest due row (re-armed after every commit that touched
//   timers, and at most a minute away: a poll that catches any clock jump). Due rows are read
//   by the due_at index and each runs its system mutation (wakeConversation,
//   sendScheduledMessage) in its own transaction; that write removes the row. Those mutations
//   are idempotent (they check the row's state and time), so a timer run twice does nothing
//   more. Across several relays (PostgreSQL) a relay first claims due rows with a lease
//   (server/jobs/lease.ts: `owner`, `lease_until`, `FOR UPDATE SKIP LOCKED`), so each timer is
//   fired by one relay, once; a claim whose relay died is taken by another after the lease.
//   A relay arms itself for the timers its own commits set and, in a cluster, for those of the
//   others' commits it is told of (observe); what it missed it finds by polling (at most `pollMs`
//   late, 60 s by default).
import type { RowOf } from '../../shared/schema';
import type { SyncRows } from '../store/types';
import type { ChangeSet } from '../sync/changeSet';
import { SYSTEM_ACTOR, type Engine } from '../sync/engine';
import { Leases, WakeTimer } from '../jobs/lease';

export type TimerKind = 'wake' | 'send';
const mutationOf: Record<TimerKind, (targetId: string) => { name: string; args: unknown }> = {
  wake: (conversationId) => ({ name: 'wakeConversation', args: { conversationId } }),
  send: (messageId) => ({ name: 'sendScheduledMessage', args: { messageId } }),
};
/** The longest the scheduler sleeps: a poll, whatever the next due time. */
const MAX_SLEEP_MS = 60_000;
const LEASE_MS = 30_000;
const BATCH = 50;

// a timer set again (another time) is free to be claimed at that time
const UPSERT =
  'INSERT INTO timers (id, kind, target_id, due_at) VALUES (?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET due_at = excluded.due_at, owner = NULL, lease_until = NULL';
const REMOVE = 'DELETE FROM timers WHERE id = ?';
const REMOVE_IF_DUE = 'DELETE FROM timers WHERE id = ? AND due_at <= ?';
const NEXT = 'SELECT min(due_at) AS at FROM timers';

export interface TimerOptions {
  /** this relay's id: the owner written in the leases it takes */
  relayId: string;
  /** how long a claimed timer is this relay's (default 30 s) */
  leaseMs?: number;
  /** the longest the scheduler sleeps (default 60 s) */
  pollMs?: number;
}

/** The timers a transaction's writes imply (written through `rows`); true when one was set or removed. */
export function keepTimers(rows: Pick<SyncRows, 'exec'>, changes: ChangeSet): boolean {
  let touched = false;
  const set = (kind: TimerKind, id: string, dueAt: number | null) => {
    touched = true;
    if (dueAt === null) rows.exec(REMOVE, [`${kind}:${id}`]);
    else rows.exec(UPSERT, [`${kind}:${id}`, kind, id, dueAt]);
  };
  for (const p of changes.puts.values()) {
    if (p.t === 'conversations') {
      const c = p.row as RowOf<'conversations'>;
      set('wake', c.id, c.snoozedBy !== null && c.snoozedUntil !== null ? c.snoozedUntil : null);
    } else if (p.t === 'messages') {
      const m = p.row as RowOf<'messages'>;
      if (m.status === 'scheduled' && m.scheduledAt !== null) set('send', m.id, m.scheduledAt);
      else if (m.scheduledAt !== null) set('send', m.id, null);
    }
  }
  for (const d of changes.dels.values()) {
    if (d.t === 'conversations') set('wake', d.id, null);
    else if (d.t === 'messages') set('send', d.id, null);
  }
  return touched;
}

export class TimerScheduler {
  private readonly wake: WakeTimer;
  private closed = false;
  private running = false;
  /** a write since the last commit set or removed a timer */
  private dirty = false;
  /** counters for /metrics and tests */
  readonly stats = { fired: 0, failed: 0 };

  private readonly leases: Leases<{ id: string; kind: TimerKind; targetId: string }>;

  constructor(
    private readonly engine: Engine,
    private readonly log: (msg: string, err?: unknown) => void,
    opts: TimerOptions,
    private readonly now: () => number = Date.now,
  ) {
    this.leases = new Leases(engine.store, {
      table: 'timers', dueColumn: 'due_at', returning: 'id, kind, target_id AS "targetId"', owner: opts.relayId, leaseMs: opts.leaseMs ?? LEASE_MS,
    });
    this.wake = new WakeTimer(() => void this.runDue().catch((e: unknown) => this.log('relay: timers failed', e)), opts.pollMs ?? MAX_SLEEP_MS, now);
    engine.onWrite((changes, rows) => {
      if (keepTimers(rows, changes)) this.dirty = true;
    });
    engine.onCommit(() => {
      if (this.dirty) {
        this.dirty = false;
        this.rearm();
      }
    });
  }

  /**
   * Starts: runs what fell due while the relay was stopped, then sleeps until the next. SQLite: one
   * relay per database, so a claim found now is a dead process's and is freed at once.
   */
  async start(): Promise<void> {
    if (this.engine.store.dialect === 'sqlite') await this.leases.releaseAll();
    this.rearm();
  }

  close(): void {
    this.closed = true;
    this.wake.cancel();
  }

  /**
   * Another relay committed `changes` (server/cluster): when they set a timer, wake for it as well,
   * so a timer fires on time even if the relay that set it dies before then.
   */
  observe(changes: ChangeSet): void {
    for (const p of changes.puts.values()) {
      if (p.t === 'conversations' && (p.row as RowOf<'conversations'>).snoozedUntil !== null) return this.rearm();
      if (p.t === 'messages' && (p.row as RowOf<'messages'>).status === 'scheduled') return this.rearm();
    }
  }

  /** The earliest pending timer (tests, /metrics). */
  async nextDueAt(): Promise<number | null> {
    return (await this.engine.store.get<{ at: number | null }>(NEXT))?.at ?? null;
  }

  private rearm(): void {
    this.arm().catch((e: unknown) => this.log('relay: timers could not be armed', e));
  }

  private async arm(): Promise<void> {
    if (this.closed || this.running) return;
    // the next due time, or a claim's end if later (another relay holds it; it may die)
    const at = await this.leases.next();
    if (this.closed || this.running) return;
    this.wake.arm(at);
  }

  /** Claims and runs every due timer, a batch at a time, then re-arms. */
  async runDue(): Promise<void> {
    if (this.closed || this.running) return;
    this.running = true;
    try {
      for (;;) {
        const due = await this.leases.claimDue(this.now(), BATCH);
        for (const t of due) await this.fire(t);
        if (due.length < BATCH || this.closed) break;
      }
    } finally {
      this.running = false;
    }
    await this.arm();
  }

  private async fire(t: { id: string; kind: TimerKind; targetId: string }): Promise<void> {
    const m = mutationOf[t.kind](t.targetId);
    try {
      await this.engine.runAs(SYSTEM_ACTOR, m.name, m.args);
      this.stats.fired++;
    } catch (e) {
      this.stats.failed++;
      this.log(`relay: timer ${t.id} failed`, e);
    }
    // The mutation removed its row when it acted; a timer whose row no longer qualifies (or that
    // failed) must not run again and again. One set again for later was freed by its upsert.
    if (this.closed) return;
    await this.engine.store.run(REMOVE_IF_DUE, [t.id, this.now()]);
  }
}
