// Runs mutations with full authority: one SQLite transaction per mutation, together
// with the client's lastMutationId; then publishes the change set for fan-out and effects.
import { uuidv7 } from 'uuidv7';
import type { z } from 'zod';
import type { Role } from '../../shared/schema';
import { RowStore, type SqlStatement } from '../../shared/store/rowStore';
import { MutationError, type MutationErrorCode, type MutatorContext, type ServerEffect } from '../../shared/tx';
import type { MutatorDef } from '../../shared/mutators/define';
import { systemMutations, type MutationName } from '../../shared/mutators/index';
import type { MutationResult } from '../../shared/protocol/pushResult';
import type { Db } from '../db/open';
import { MetaStore } from '../db/meta';
import { AuditLog } from '../audit/auditLog';
import type { ChangeSet } from './changeSet';
import { ServerTx } from './serverTx';
import { issuesSentence } from '../../shared/refusals';
import { createLogger, errorLog, type ErrorLog } from '../log';

export type AnyMutatorDef = MutatorDef<z.ZodType>;
/** name → mutator; the product's registry (shared/mutators) or a test registry */
export type MutatorLookup = Readonly<Record<string, AnyMutatorDef | undefined>>;

export interface Actor {
  userId: string;
  role: Role;
}
export const SYSTEM_ACTOR: Actor = { userId: 'system', role: 'admin' };

export interface Commit {
  changes: ChangeSet;
  effects: ServerEffect[];
  /** the pushing client, whose poke is sent after its pushResult */
  clientId?: string;
}
export type CommitListener = (c: Commit) => void;
/** Runs inside the writing transaction, after the mutation: relay-only tables kept in step (timers). */
export type WriteHook = (changes: ChangeSet) => void;

export type PushOutcome =
  | { kind: 'applied'; result: MutationResult; commit: Commit | null }
  | { kind: 'duplicate'; result: MutationResult }
  | { kind: 'order'; expected: number };

export class Engine {
  readonly store: RowStore;
  readonly meta: MetaStore;
  private readonly listeners: CommitListener[] = [];
  private readonly writeHooks: WriteHook[] = [];
  private readonly getClient: SqlStatement;
  private readonly setClient: SqlStatement;
  private readonly pruneStmt: SqlStatement;
  private readonly keepRejection: SqlStatement;
  private readonly pruneRejections: SqlStatement;
  private readonly rejectedOf: SqlStatement;
  private readonly forgetRejections: SqlStatement;
  /** the organisation's audit log (server/audit/) */
  readonly audit: AuditLog;
  private minRetained: number;
  /** counters for /metrics */
  readonly stats = { applied: 0, rejected: 0, duplicates: 0, system: 0 };

  constructor(
    readonly db: Db,
    private mutators: MutatorLookup,
    readonly retention: number,
    private readonly log: ErrorLog = errorLog(createLogger()),
  ) {
    this.store = new RowStore(db);
    this.meta = new MetaStore(db);
    this.getClient = db.prepare('SELECT user_id AS userId, last_mutation_id AS lastMutationId FROM clients WHERE client_id = ?');
    this.setClient = db.prepare(
      'INSERT INTO clients (client_id, user_id, last_mutation_id) VALUES (?, ?, ?) ON CONFLICT(client_id) DO UPDATE SET last_mutation_id = excluded.last_mutation_id',
    );
    this.pruneStmt = db.prepare('DELETE FROM tombstones WHERE version <= ?');
    this.keepRejection = db.prepare(
      'INSERT OR REPLACE INTO rejected_mutations (client_id, mutation_id, code, message, version) VALUES (?, ?, ?, ?, ?)',
    );
    this.pruneRejections = db.prepare('DELETE FROM rejected_mutations WHERE version <= ?');
    this.rejectedOf = db.prepare(
      'SELECT mutation_id AS id, code, message FROM rejected_mutations WHERE client_id = ? AND mutation_id > ? ORDER BY mutation_id LIMIT 10000',
    );
    this.forgetRejections = db.prepare('DELETE FROM rejected_mutations WHERE client_id = ? AND mutation_id <= ?');
    this.audit = new AuditLog(db, () => this.meta.get('orgName') ?? '');
    this.minRetained = this.meta.minRetainedVersion();
  }

  onCommit(l: CommitListener): void {
    this.listeners.push(l);
  }

  /** `hook` runs in every writing transaction, before it commits; a throw rolls it back. */
  onWrite(hook: WriteHook): void {
    this.writeHooks.push(hook);
  }

  setMutators(m: MutatorLookup): void {
    this.mutators = m;
  }

  version(): number {
    return this.meta.version();
  }

  minRetainedVersion(): number {
    return this.minRetained;
  }

  client(clientId: string): { userId: string; lastMutationId: number } | undefined {
    return this.getClient.get(clientId) as { userId: string; lastMutationId: number } | undefined;
  }

  registerClient(clientId: string, userId: string): void {
    if (!this.client(clientId)) this.setClient.run(clientId, userId, 0);
  }

  /**
   * The refusals this client has not confirmed (protocol 2: hello.handledUpTo), oldest first;
   * those it confirmed are forgotten first.
   */
  pendingRejections(clientId: string, handledUpTo: number): MutationResult[] {
    this.forgetRejections.run(clientId, handledUpTo);
    return (this.rejectedOf.all(clientId, handledUpTo) as { id: number; code: MutationErrorCode; message: string }[]).map((r) => ({
      id: r.id,
      status: 'rejected' as const,
      code: r.code,
      message: r.message,
    }));
  }

  /** Writes directly (admin operations, seed), in one transaction and one version; publishes. */
  write<R>(fn: (tx: ServerTx) => R): R {
    const { value, commit } = this.db.transaction(() => {
      const tx = new ServerTx(this.store, this.db, this.version() + 1);
      const value = fn(tx);
      return { value, commit: this.finish(tx, []) };
    })();
    if (commit) this.publish(commit);
    return value;
  }

  /** The mutator of that name, never a member of Object.prototype (`constructor`, `__proto__`…). */
  private mutator(name: string): AnyMutatorDef | undefined {
    return Object.hasOwn(this.mutators, name) ? this.mutators[name] : undefined;
  }

  /** Runs a mutation as the relay (system mutations, admin); throws MutationError on refusal. */
  runAs(actor: Actor, name: string, rawArgs: unknown): Commit | null {
    const m = this.mutator(name);
    if (!m) throw new MutationError('invalid', `unknown mutation ${name}`);
    const parsed = m.args.safeParse(rawArgs);
    if (!parsed.success) throw new MutationError('invalid', issuesSentence(parsed.error.issues));
    const effects: ServerEffect[] = [];
    this.stats.system++;
    const commit = this.db.transaction(() => {
      const tx = new ServerTx(this.store, this.db, this.version() + 1);
      m.run(tx, this.context(actor, effects), parsed.data);
      return this.finish(tx, effects);
    })();
    if (commit) this.publish(commit);
    return commit;
  }

  /** One pushed mutation: validated, run in a transaction with the client's lastMutationId. Never throws for mutation errors. */
  runPushed(clientId: string, actor: Actor, mut: { id: number; name: string; args: unknown }): PushOutcome {
    const last = this.client(clientId)?.lastMutationId ?? 0;
    if (mut.id <= last) {
      this.stats.duplicates++;
      return { kind: 'duplicate', result: { id: mut.id, status: 'ok' } };
    }
    if (mut.id !== last + 1) return { kind: 'order', expected: last + 1 };
    const effects: ServerEffect[] = [];
    const run = this.db.transaction(() => {
      let result: MutationResult = { id: mut.id, status: 'ok' };
      let commit: Commit | null = null;
      try {
        commit = this.db.transaction(() => this.applyPushed(actor, mut, effects))();
      } catch (e) {
        this.meta.invalidate();
        effects.length = 0;
        result = this.rejection(mut, e);
        // the refusal is as durable as the lastMutationId that makes it final
        this.keepRejection.run(clientId, mut.id, result.code ?? 'internal', result.message ?? '', this.version());
      }
      this.setClient.run(clientId, actor.userId, mut.id);
      return { result, commit };
    });
    let out: { result: MutationResult; commit: Commit | null };
    try {
      out = run();
    } catch (e) {
      this.meta.invalidate();
      this.log(`relay: push transaction failed for ${mut.name}`, e);
      throw e;
    }
    if (out.result.status === 'ok') this.stats.applied++;
    else this.stats.rejected++;
    if (out.commit) {
      out.commit.clientId = clientId;
      this.publish(out.commit);
    }
    return { kind: 'applied', ...out };
  }

  private applyPushed(actor: Actor, mut: { name: string; args: unknown }, effects: ServerEffect[]): Commit | null {
    const m = this.mutator(mut.name);
    if (!m) throw new MutationError('invalid', `unknown mutation ${mut.name.slice(0, 60)}`);
    if (m.system || systemMutations.has(mut.name as MutationName)) throw new MutationError('forbidden', `${mut.name} is run by the relay only`);
    const parsed = m.args.safeParse(mut.args);
    if (!parsed.success) throw new MutationError('invalid', issuesSentence(parsed.error.issues));
    const tx = new ServerTx(this.store, this.db, this.version() + 1);
    m.run(tx, this.context(actor, effects), parsed.data);
    return this.finish(tx, effects);
  }

  private rejection(mut: { id: number; name: string }, e: unknown): MutationResult {
    if (e instanceof MutationError) return { id: mut.id, status: 'rejected', code: e.code, message: e.message };
    this.log(`relay: mutation ${mut.name} failed`, e);
    const code: MutationErrorCode = 'internal';
    return { id: mut.id, status: 'rejected', code, message: 'internal error' };
  }

  private context(actor: Actor, effects: ServerEffect[]): MutatorContext {
    const now = Date.now();
    return {
      userId: actor.userId, role: actor.role, now, side: 'server', newId: () => uuidv7(), effect: (e) => effects.push(e),
      // inside the mutation's transaction: a refused mutation leaves no audit row
      audit: (action, target, entry) => this.audit.record({ actorId: actor.userId, action, target, targetName: entry?.targetName, details: entry?.details, at: now }),
    };
  }

  /** Inside the transaction: bump the version when something was written, prune old tombstones. */
  private finish(tx: ServerTx, effects: ServerEffect[]): Commit | null {
    if (!tx.wrote) return effects.length ? { changes: tx.changes, effects } : null;
    for (const h of this.writeHooks) h(tx.changes);
    this.meta.set('version', String(tx.version));
    tx.changes.version = tx.version;
    const cutoff = tx.version - this.retention;
    if (cutoff > this.minRetained) {
      this.pruneStmt.run(cutoff);
      this.pruneRejections.run(cutoff);
      this.meta.set('minRetainedVersion', String(cutoff));
      this.minRetained = cutoff;
    }
    return { changes: tx.changes, effects };
  }

  publish(c: Commit): void {
    for (const l of this.listeners) {
      try {
        l(c);
      } catch (e) {
        this.log('relay: commit listener failed', e);
      }
    }
  }
}
