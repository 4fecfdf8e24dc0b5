// Automatic assignment on the relay (issue 13 part 2). The decision itself is the shared system
// mutation `autoAssign` (shared/domain/autoAssign.ts): run in one write transaction that
// re-checks the conversation still waits and the member still has capacity, and moves the
// group's round-robin pointer, so two relays racing over one conversation assign it once.
// This module only decides *when* to try and *whom to offer*: the group's members that presence
// (RelayPresence, the one source of who is online) shows online — or online or away, per the
// group's mode.
//
// Triggers, after a commit (never inside one): a conversation of a group was written (a new
// waiting conversation; an archive, unassignment or reassignment that may free capacity), or
// deleted; a group's setting changed; a user changed (accepting turned back on) or joined a group;
// and a user's presence changed (came online, went away). Each marks groups dirty; one pass
// (setImmediate) offers each dirty group's waiting conversations, oldest first.
//
// Reads go through the engine's store and writes through engine.runAs, nothing else.
import { presenceQualifies } from '../../shared/domain/autoAssign';
import type { Conversation, RowOf } from '../../shared/schema';
import type { Commit, Engine } from '../sync/engine';
import { SYSTEM_ACTOR } from '../sync/engine';

/** What automatic assignment needs of presence (server/sync/presence.ts RelayPresence). */
export interface PresenceSource {
  stateOf(userId: string): { status: 'online' | 'away' } | null;
  onChange(fn: (userId: string) => void): void;
}

export class AutoAssigner {
  private readonly dirty = new Set<string>();
  private pending: NodeJS.Immediate | undefined;
  private running = false;
  /** membership reads under way (a user's change marks their groups once read) */
  private lookups = 0;
  private closed = false;
  /** each user's last seen presence status, to act on changes only */
  private readonly statusOf = new Map<string, 'online' | 'away' | null>();
  /** counters for tests and /metrics */
  readonly stats = { passes: 0, assigned: 0, failed: 0 };
  private readonly idleWaiters: (() => void)[] = [];

  constructor(
    private readonly engine: Engine,
    private readonly presence: PresenceSource,
    private readonly log: (msg: string, err?: unknown) => void,
  ) {
    engine.onCommit((c) => this.onCommit(c));
    presence.onChange((userId) => this.onPresence(userId));
  }

  close(): void {
    this.closed = true;
    if (this.pending) clearImmediate(this.pending);
    this.pending = undefined;
    this.settle();
  }

  /** Resolves once no pass is due (tests). */
  idle(): Promise<void> {
    if (!this.pending && !this.running && this.lookups === 0) return Promise.resolve();
    return new Promise((r) => this.idleWaiters.push(r));
  }

  private onCommit(c: Commit): void {
    for (const p of c.changes.puts.values()) {
      if (p.t === 'conversations') this.mark((p.row as Conversation).groupId);
      else if (p.t === 'groups') this.mark(p.id);
      else if (p.t === 'memberships') this.mark((p.row as RowOf<'memberships'>).groupId);
      else if (p.t === 'users') this.markUser(p.id);
    }
    for (const v of c.changes.visibility.values()) {
      if (v.after === null && v.before?.kind === 'conv') this.mark(v.before.groupId);
    }
  }

  private onPresence(userId: string): void {
    const status = this.presence.stateOf(userId)?.status ?? null;
    if (this.statusOf.get(userId) === status) return;
    if (status === null) this.statusOf.delete(userId);
    else this.statusOf.set(userId, status);
    // going away or offline frees nobody; coming online (or away, for online+away groups) may
    if (status !== null) this.markUser(userId);
  }

  private markUser(userId: string): void {
    this.lookups++;
    void this.engine.store.rows
      .find('memberships', { userId })
      .then(
        (ms) => {
          for (const m of ms) this.mark(m.groupId);
        },
        (e: unknown) => this.log(`relay: automatic assignment: memberships of ${userId} unreadable`, e),
      )
      .finally(() => {
        this.lookups--;
        if (!this.pending && !this.running && this.lookups === 0) this.settle();
      });
  }

  private mark(groupId: string): void {
    if (this.closed) return;
    this.dirty.add(groupId);
    if (this.pending || this.running) return;
    this.pending = setImmediate(() => void this.run());
  }

  /** One pass at a time; marks made while it runs get the next pass. */
  private async run(): Promise<void> {
    this.pending = undefined;
    this.running = true;
    try {
      await this.pass();
    } finally {
      this.running = false;
    }
    if (this.dirty.size && !this.closed) this.pending = setImmediate(() => void this.run());
    else if (this.lookups === 0) this.settle();
  }

  private settle(): void {
    for (const r of this.idleWaiters.splice(0)) r();
  }

  /** Offers every dirty group's waiting conversations, oldest first. */
  private async pass(): Promise<void> {
    const groups = [...this.dirty];
    this.dirty.clear();
    this.stats.passes++;
    for (const groupId of groups) {
      if (this.closed) return;
      try {
        await this.offerGroup(groupId);
      } catch (e) {
        this.stats.failed++;
        this.log(`relay: automatic assignment failed in group ${groupId}`, e);
      }
    }
  }

  private async offerGroup(groupId: string): Promise<void> {
    const store = this.engine.store.rows;
    const group = await store.get('groups', groupId);
    if (!group || group.autoAssign === 'off') return;
    const waiting = (await store.find('conversations', { groupId, autoAssignWaiting: true }))
      .filter((c) => c.status === 'open')
      .sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1));
    if (waiting.length === 0) return;
    const candidates = (await store.find('memberships', { groupId }))
      .map((m) => m.userId)
      .filter((u) => presenceQualifies(group.autoAssign, this.presence.stateOf(u)?.status ?? null))
      .sort();
    if (candidates.length === 0) return;
    // Once an unrestricted conversation found nobody, no later unrestricted one will: only
    // restricted ones (other readers) are still worth offering.
    let full = false;
    for (const c of waiting) {
      if (this.closed) return;
      if (full && c.visibleTo === null) continue;
      await this.engine.runAs(SYSTEM_ACTOR, 'autoAssign', { conversationId: c.id, candidates });
      const after = await store.get('conversations', c.id);
      if (after && after.assignees.length > 0) this.stats.assigned++;
      else if (c.visibleTo === null) full = true;
    }
  }
}
