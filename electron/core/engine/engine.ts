// Optimistic mutations and rebase on the replica: local writes run the shared
// mutator through a RecordingTx and queue in the outbox; a poke undoes every pending
// effect, applies the relay's rows, drops acknowledged mutations and re-runs the rest.
import type { Statement } from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { args as argSchemas, isMutationName, systemMutations, type AnyMutator } from '../../../shared/mutators/index';
import { scopeChildren } from '../../../shared/scopes';
import { tableNames, type Role, type RowOf, type TableName } from '../../../shared/schema';
import { MutationError, type MutatorContext } from '../../../shared/tx';
import type { MutateResult } from '../../../shared/bridge';
import type { PokeFrame } from '../../../shared/protocol/index';
import type { Replica } from '../db/replica';
import { ChangeSet } from './changeSet';
import { RecordingTx } from './recordingTx';
import { backfillReportTables } from '../db/reportTables';
import { issuesSentence } from '../../../shared/refusals';

export type Registry = Partial<Record<string, AnyMutator>>;

export interface OutboxRow {
  id: number;
  name: string;
  args: unknown;
  createdAt: number;
}

export interface PokeOutcome {
  changes: ChangeSet;
  /** messages, chat messages and mentions that were not in the replica before this poke, and conversations it woke from a snooze */
  newRows: { table: 'messages' | 'chatMessages' | 'mentions' | 'conversations'; id: string }[];
}

export class MutationEngine {
  private readonly insertUndo: Statement;
  private readonly insertOutbox: Statement;
  private readonly selectOutbox: Statement;
  private readonly selectUndo: Statement;
  /** applyPoke's own statements, prepared once (a full sync applies thousands of chunks) */
  private readonly acknowledgesStmt: Statement;
  private readonly dropAcknowledged: Statement;
  private readonly exists = new Map<TableName, Statement>();
  private clientId: string | undefined;

  constructor(
    private readonly replica: Replica,
    private readonly registry: Registry,
    private readonly user: () => { userId: string; role: Role },
  ) {
    const db = replica.db;
    this.insertUndo = db.prepare('INSERT INTO undo_log (mutation_id, tbl, row_id, before) VALUES (?, ?, ?, ?)');
    this.insertOutbox = db.prepare('INSERT INTO outbox (id, name, args, created_at) VALUES (?, ?, ?, ?)');
    this.selectOutbox = db.prepare('SELECT id, name, args, created_at AS createdAt FROM outbox ORDER BY id');
    this.selectUndo = db.prepare('SELECT tbl, row_id AS rowId, before FROM undo_log ORDER BY seq DESC');
    this.acknowledgesStmt = db.prepare('SELECT 1 FROM outbox WHERE id <= ? LIMIT 1');
    this.dropAcknowledged = db.prepare('DELETE FROM outbox WHERE id <= ?');
  }

  /** newId is deterministic per (client, mutation, call): a rebase re-creates the same rows, not new ones. */
  private ctx(now: number, mutationId: number): MutatorContext {
    const u = this.user();
    const clientId = (this.clientId ??= this.replica.meta()?.clientId ?? '');
    let n = 0;
    const newId = () => {
      const h = createHash('sha256').update(`${clientId}:${mutationId}:${n++}`).digest('hex');
      return `${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
    };
    return { userId: u.userId, role: u.role, now, side: 'client', newId, effect: () => undefined };
  }

  private countOutbox: Statement | null = null;

  pendingCount(): number {
    return ((this.countOutbox ??= this.replica.db.prepare('SELECT count(*) AS n FROM outbox')).get() as { n: number }).n;
  }

  outbox(afterId = 0, limit = 100): OutboxRow[] {
    const rows = this.replica.db
      .prepare('SELECT id, name, args, created_at AS createdAt FROM outbox WHERE id > ? ORDER BY id LIMIT ?')
      .all(afterId, limit) as { id: number; name: string; args: string; createdAt: number }[];
    return rows.map((r) => ({ ...r, args: JSON.parse(r.args) as unknown }));
  }

  /** Validates, runs optimistically and queues; a local refusal queues nothing. */
  mutate(name: string, rawArgs: unknown, changes: ChangeSet): MutateResult {
    if (!isMutationName(name)) return { ok: false, code: 'invalid', message: `unknown mutation ${name}` };
    if (systemMutations.has(name)) return { ok: false, code: 'forbidden', message: `${name} is run by the relay only` };
    const parsed = argSchemas[name].safeParse(rawArgs);
    if (!parsed.success) return { ok: false, code: 'invalid', message: issuesSentence(parsed.error.issues) };
    const def = Object.hasOwn(this.registry, name) ? this.registry[name] : undefined;
    if (!def) return { ok: false, code: 'internal', message: `mutation ${name} is not available in this build` };
    const db = this.replica.db;
    const now = Date.now();
    const local = new ChangeSet();
    try {
      const id = db.transaction(() => {
        const meta = db.prepare('SELECT next_mutation_id AS n FROM meta WHERE id = 1').get() as { n: number } | undefined;
        if (!meta) throw new Error('replica has no session');
        const mid = meta.n;
        def.run(new RecordingTx(this.replica.store, this.insertUndo, mid, local), this.ctx(now, mid), parsed.data);
        this.insertOutbox.run(mid, name, JSON.stringify(parsed.data), now);
        db.prepare('UPDATE meta SET next_mutation_id = ? WHERE id = 1').run(mid + 1);
        return mid;
        // IMMEDIATE: takes the write lock first, waiting (busy timeout) if the index worker holds
        // it; a deferred transaction that read first could not write after the worker's commit
      }).immediate();
      changes.merge(local);
      return { ok: true, mutationId: id };
    } catch (e) {
      if (e instanceof MutationError) return { ok: false, code: e.code, message: e.message };
      throw e;
    }
  }

  /** Restores every before-image in reverse order and clears the undo log. */
  private undoAll(changes: ChangeSet): void {
    const rows = this.selectUndo.all() as { tbl: TableName; rowId: string; before: string | null }[];
    if (rows.length === 0) return;
    const store = this.replica.store;
    for (const r of rows) {
      if (r.before === null) store.del(r.tbl, r.rowId);
      else store.put(r.tbl, JSON.parse(r.before) as RowOf<typeof r.tbl>);
      changes.add(r.tbl, r.rowId);
    }
    this.replica.db.prepare('DELETE FROM undo_log').run();
  }

  /** Re-runs every queued mutation on top of the replica; one that now fails stays queued but has no effect. */
  private redoAll(changes: ChangeSet): void {
    const rows = this.selectOutbox.all() as { id: number; name: string; args: string; createdAt: number }[];
    const db = this.replica.db;
    for (const r of rows) {
      const def = Object.hasOwn(this.registry, r.name) ? this.registry[r.name] : undefined;
      if (!def) continue;
      const local = new ChangeSet();
      try {
        db.transaction(() => {
          const a = def.args.parse(JSON.parse(r.args));
          def.run(new RecordingTx(this.replica.store, this.insertUndo, r.id, local), this.ctx(r.createdAt, r.id), a);
        })();
        changes.merge(local);
      } catch {
        // dropped from the view; the relay decides and its pushResult reports it
      }
    }
  }

  /** Re-applies pending effects if they are not in the replica (e.g. after a crash between parts). */
  ensureRebased(): ChangeSet {
    const changes = new ChangeSet();
    const db = this.replica.db;
    db.transaction(() => {
      this.undoAll(changes);
      this.redoAll(changes);
    })();
    return changes;
  }

  private rowExists(table: TableName, id: string): boolean {
    let s = this.exists.get(table);
    if (!s) {
      s = this.replica.db.prepare(`SELECT 1 FROM "${this.replica.store.sqlNames(table).table}" WHERE id = ?`);
      this.exists.set(table, s);
    }
    return s.get(id) !== undefined;
  }

  /** The relay woke this conversation: snoozed here (as the relay last said), woken in the poke. */
  private wokeUp(next: RowOf<'conversations'>): boolean {
    const before = this.replica.store.get('conversations', next.id);
    return !!before && before.snoozedBy !== null && next.snoozedBy === null && next.wokenAt !== null && next.wokenAt !== before.wokenAt;
  }

  /** One poke (or part) in one transaction. */
  applyPoke(frame: PokeFrame, opts: { trackNew: boolean; setCookie: boolean }): PokeOutcome {
    const changes = new ChangeSet();
    const newRows: PokeOutcome['newRows'] = [];
    const db = this.replica.db;
    const store = this.replica.store;
    const acknowledges = this.acknowledgesStmt.get(frame.lastMutationId) !== undefined;
    if (frame.puts.length === 0 && frame.dels.length === 0 && !acknowledges) {
      // nothing to apply or acknowledge: pending effects stay as they are
      if (opts.setCookie) this.replica.setCookie(frame.cookie, Date.now());
      return { changes, newRows };
    }
    db.transaction(() => {
      this.undoAll(changes);
      for (const d of frame.dels) {
        if ('scope' in d) this.deleteScope(d.scope, changes);
        else {
          store.del(d.t, d.id);
          changes.add(d.t, d.id);
        }
      }
      for (const p of frame.puts) {
        const id = p.r.id;
        if (typeof id !== 'string') continue;
        if (opts.trackNew && (p.t === 'messages' || p.t === 'chatMessages' || p.t === 'mentions') && !this.rowExists(p.t, id)) newRows.push({ table: p.t, id });
        if (opts.trackNew && p.t === 'conversations' && this.wokeUp(p.r as RowOf<'conversations'>)) newRows.push({ table: 'conversations', id });
        store.put(p.t, p.r as RowOf<typeof p.t>);
        changes.add(p.t, id);
      }
      this.dropAcknowledged.run(frame.lastMutationId);
      this.redoAll(changes);
      if (opts.setCookie) this.replica.setCookie(frame.cookie, Date.now());
    })();
    return { changes, newRows };
  }

  private deleteScope(scope: string, changes: ChangeSet): void {
    const m = /^(conv|chat):(.+)$/.exec(scope);
    if (!m) return;
    const kind = m[1] as 'conv' | 'chat';
    const id = m[2] as string;
    this.replica.requestScrub(); // after this transaction: no old WAL frame keeps the rows
    for (const child of scopeChildren[kind]) {
      const names = this.replica.store.sqlNames(child.table, child.column as never);
      this.replica.db.prepare(`DELETE FROM "${names.table}" WHERE "${names.column}" = ?`).run(id);
      changes.add(child.table, id);
    }
  }

  /**
   * Initial sync: stop the per-row index work (message text, conversation side tables) for
   * rows arriving from now on; backfillIndexes() does it afterwards in small steps. The secondary
   * indexes of messages and conversations, the insert triggers that now skip every row, and the
   * contacts' text index triggers are dropped until the fetch is past them (Replica.deferIndexes,
   * Replica.restoreIndexes).
   */
  deferIndexing(): void {
    const db = this.replica.db;
    // the marks first: they say which insert triggers have nothing left to do
    (this.markFts ??= db.prepare('UPDATE fts_backfill SET upto = (SELECT COALESCE(max(rowid), 0) FROM messages) WHERE upto = 9223372036854775807')).run();
    (this.markConversations ??= db.prepare('UPDATE conversation_backfill SET upto = (SELECT COALESCE(max(rowid), 0) FROM conversations) WHERE upto = 9223372036854775807')).run();
    this.replica.deferIndexes();
  }

  private markFts: Statement | null = null;
  private markConversations: Statement | null = null;

  indexBackfillPending(): boolean {
    const r = this.replica.db
      .prepare('SELECT (SELECT upto FROM fts_backfill) = 9223372036854775807 AND (SELECT upto FROM conversation_backfill) = 9223372036854775807 AS done')
      .get() as { done: number };
    return r.done !== 1 || this.replica.indexesPending;
  }

  /** One step of the backfill (about `limit` rows); true when every index is complete again. */
  backfillIndexes(limit = 1000): boolean {
    // indexes a full fetch dropped come first (the sync client has a worker build them before this)
    if (this.replica.indexesPending) {
      this.replica.restoreIndexesNow();
      return false;
    }
    const db = this.replica.db;
    return db.transaction(() => {
      const conv = db.prepare('SELECT upto FROM conversation_backfill WHERE upto <> 9223372036854775807').get() as { upto: number } | undefined;
      if (conv) {
        this.backfillConversations(conv.upto, limit);
        return false;
      }
      const fts = db.prepare('SELECT upto FROM fts_backfill WHERE upto <> 9223372036854775807').get() as { upto: number } | undefined;
      if (!fts) return true;
      const rows = db.prepare('SELECT rowid AS rid, body FROM messages WHERE rowid > ? ORDER BY rowid LIMIT ?').all(fts.upto, limit) as { rid: number; body: string }[];
      const ins = db.prepare('INSERT INTO messages_fts(rowid, body) VALUES (?, ?)');
      for (const r of rows) ins.run(r.rid, r.body);
      const last = rows[rows.length - 1];
      if (last) backfillReportTables(db, fts.upto, last.rid);
      if (rows.length < limit) db.prepare('UPDATE fts_backfill SET upto = 9223372036854775807').run();
      else db.prepare('UPDATE fts_backfill SET upto = ?').run((rows[rows.length - 1] as { rid: number }).rid);
      return false;
    })();
  }

  /** What the insert triggers skipped for conversations with rowid in (lo, hi]. */
  private backfillConversations(lo: number, limit: number): void {
    const db = this.replica.db;
    const max = (db.prepare('SELECT COALESCE(max(rowid), 0) AS m FROM conversations').get() as { m: number }).m;
    const hi = lo + limit;
    const range = { lo, hi };
    db.prepare(`INSERT OR IGNORE INTO conversation_assignees(user_id, conversation_id)
      SELECT j.value, c.id FROM conversations c, json_each(c.assignees) j WHERE c.rowid > @lo AND c.rowid <= @hi`).run(range);
    db.prepare(`INSERT OR IGNORE INTO conversation_labels(label_id, conversation_id)
      SELECT j.value, c.id FROM conversations c, json_each(c.labels) j WHERE c.rowid > @lo AND c.rowid <= @hi`).run(range);
    // a snoozed conversation counts under 'snoozed' (as the triggers of 0010_snooze_labels_triggers.sql)
    const status = (c: string) => `CASE WHEN ${c}.snoozed_by IS NOT NULL AND ${c}.status = 'open' THEN 'snoozed' ELSE ${c}.status END`;
    db.prepare(`INSERT INTO conversation_counts(group_id, status, n)
      SELECT * FROM (SELECT group_id, ${status('c')} AS s, count(*) FROM conversations c WHERE rowid > @lo AND rowid <= @hi GROUP BY group_id, s) WHERE true
      ON CONFLICT(group_id, status) DO UPDATE SET n = n + excluded.n`).run(range);
    db.prepare('DELETE FROM unread_conversations WHERE conversation_id IN (SELECT id FROM conversations WHERE rowid > @lo AND rowid <= @hi)').run(range);
    db.prepare(`INSERT INTO unread_conversations(conversation_id, group_id, status)
      SELECT c.id, c.group_id, ${status('c')} FROM conversations c WHERE c.rowid > @lo AND c.rowid <= @hi AND c.last_inbound_at IS NOT NULL
        AND NOT EXISTS (SELECT 1 FROM read_states r WHERE r.target_id = c.id AND r.last_read_at >= c.last_inbound_at)`).run(range);
    if (hi >= max) db.prepare('UPDATE conversation_backfill SET upto = 9223372036854775807').run();
    else db.prepare('UPDATE conversation_backfill SET upto = ?').run(hi);
  }

  /** The highest mutation id the relay has acknowledged to this replica (0: none yet). */
  acknowledgedUpTo(): number {
    const r = this.replica.db.prepare('SELECT (SELECT min(id) FROM outbox) AS lo, next_mutation_id AS n FROM meta WHERE id = 1').get() as { lo: number | null; n: number } | undefined;
    if (!r) return 0;
    return (r.lo ?? r.n) - 1;
  }

  /**
   * The relay lost this client's history (restored or replaced database): become a new client.
   * Pending mutations are renumbered from 1 in order with the same args (the undo log goes with
   * the wipe; redo re-creates their effects on the refetched rows); every synced row is dropped.
   */
  becomeNewClient(clientId: string): void {
    const db = this.replica.db;
    db.transaction(() => {
      const rows = this.selectOutbox.all() as { id: number; name: string; args: string; createdAt: number }[];
      db.prepare('DELETE FROM outbox').run();
      rows.forEach((r, i) => this.insertOutbox.run(i + 1, r.name, r.args, r.createdAt));
      db.prepare('DELETE FROM failures WHERE dismissed = 1').run();
      db.prepare('UPDATE meta SET client_id = ?, next_mutation_id = ? WHERE id = 1').run(clientId, rows.length + 1);
      this.wipeSynced();
    })();
    this.clientId = undefined;
  }

  /** Reset: forget every synced row (the outbox stays and is re-applied after the refetch). */
  wipeSynced(): void {
    const db = this.replica.db;
    db.transaction(() => {
      db.prepare('DELETE FROM undo_log').run();
      for (const t of tableNames) db.prepare(`DELETE FROM "${this.replica.store.sqlNames(t).table}"`).run();
      this.replica.setCookie(null, null);
    })();
    this.replica.requestScrub();
  }
}

/** The conversation, contact or chat a mutation is about, to show its failure on the item. */
export function targetOf(args: unknown): string | null {
  if (!args || typeof args !== 'object') return null;
  const a = args as Record<string, unknown>;
  for (const k of ['conversationId', 'chatId', 'newConversationId', 'invoiceId', 'checkoutId', 'contactId', 'targetId', 'intoId', 'id', 'groupId', 'userId']) {
    if (typeof a[k] === 'string') return a[k];
  }
  return null;
}
