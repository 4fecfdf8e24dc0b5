// Runs mutations with full authority: one store transaction per mutation, together with the
// client's lastMutationId; then publishes the change set for fan-out and effects, commit by
// commit in version order. The mutator itself runs synchronously inside `WriteTx.sync` (the
// shared mutators are synchronous); its ids, time, effects and audit entries are replayed or
// collected afresh on every run, since PostgreSQL may run it more than once.
import { uuidv7 } from 'uuidv7';
import type { z } from 'zod';
import type { Role } from '../../shared/schema';
import { MutationError, type MutationErrorCode, type MutatorContext, type ServerEffect } from '../../shared/tx';
import type { MutatorDef } from '../../shared/mutators/define';
import { systemMutations, type MutationName } from '../../shared/mutators/index';
import type { MutationResult } from '../../shared/protocol/pushResult';
import { MetaStore, SET_META } from '../db/meta';
import type { RelayStore, SyncOptions, SyncRows, WriteTx } from '../store/types';
import { Mutex } from '../store/sqlite';
import { AuditLog, type AuditRecord } from '../audit/auditLog';
import type { ChangeSet } from './changeSet';
import { ServerTx } from './serverTx';
import { issuesSentence } from '../../shared/refusals';
import { missingAttachment } from '../attachmentsGc';
import { enqueueJobs } from '../effects/jobs';
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
/** Called once per commit, in commit order (the next waits for an asynchronous listener). */
export type CommitListener = (c: Commit) => void | Promise<void>;
/**
 * Runs inside the writing transaction, after the mutation: relay-only tables kept in step
 * (timers), through `rows` only (it may run more than once on PostgreSQL).
 */
export type WriteHook = (changes: ChangeSet, rows: SyncRows) => void;

/** Extra work of a system mutation's transaction (`also` runs only when the mutation succeeded). */
export interface RunOptions {
  also?: (rows: SyncRows, now: number) => void;
}

export type PushOutcome =
  | { kind: 'applied'; result: MutationResult; commit: Commit | null }
  | { kind: 'duplicate'; result: MutationResult }
  | { kind: 'order'; expected: number };

export class Engine {
  readonly meta: MetaStore;
  private readonly listeners: CommitListener[] = [];
  private readonly writeHooks: WriteHook[] = [];
  /** engine writes, one at a time: a commit is queued for publishing before the next begins */
  private readonly writeLock = new Mutex();
  /** commits are published one after another, in commit order */
  private publishing: Promise<void> = Promise.resolve();
  private minRetained = 0;
  private committed = 0;
  /** the organisation's audit log (server/audit/) */
  readonly audit: AuditLog;
  /** counters for /metrics */
  readonly stats = { applied: 0, rejected: 0, duplicates: 0, system: 0 };

  private constructor(
    readonly store: RelayStore,
    private mutators: MutatorLookup,
    readonly retention: number,
    private readonly log: ErrorLog,
  ) {
    this.meta = new MetaStore(store);
    this.audit = new AuditLog(store, async (sql) => (await sql.get<{ value: string }>(GET_ORG, ['orgName']))?.value ?? '');
  }

  static async open(store: RelayStore, mutators: MutatorLookup, retention: number, log: ErrorLog = errorLog(createLogger())): Promise<Engine> {
    const e = new Engine(store, mutators, retention, log);
    e.minRetained = await e.meta.minRetainedVersion();
    e.committed = Number((await e.meta.get('version')) ?? '0');
    return e;
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

  /** The last version this engine committed (or found at start). */
  version(): number {
    return this.committed;
  }

  minRetainedVersion(): number {
    return this.minRetained;
  }

  /**
   * Another relay of the organisation committed `version` (issue 15, server/cluster): the version
   * and the retained change log move as if this engine had committed it (same retention everywhere).
   */
  observe(version: number): void {
    if (version > this.committed) this.committed = version;
    const retained = version - this.retention;
    if (retained > this.minRetained) this.minRetained = retained;
  }

  /** Rereads the committed version (a tool wrote the meta row directly). */
  async refreshVersion(): Promise<number> {
    this.committed = Number((await this.meta.get('version')) ?? '0');
    return this.committed;
  }

  async client(clientId: string): Promise<{ userId: string; lastMutationId: number } | undefined> {
    return this.store.get<{ userId: string; lastMutationId: number }>(GET_CLIENT, [clientId]);
  }

  async registerClient(clientId: string, userId: string): Promise<void> {
    if (await this.client(clientId)) return;
    await this.store.run('INSERT INTO clients (client_id, user_id, last_mutation_id) VALUES (?, ?, ?) ON CONFLICT (client_id) DO NOTHING', [clientId, userId, 0]);
  }

  /**
   * The refusals this client has not confirmed (protocol 2: hello.handledUpTo), oldest first;
   * those it confirmed are forgotten first.
   */
  async pendingRejections(clientId: string, handledUpTo: number): Promise<MutationResult[]> {
    const rows = await this.store.write(async (tx) => {
      await tx.run('DELETE FROM rejected_mutations WHERE client_id = ? AND mutation_id <= ?', [clientId, handledUpTo]);
      return tx.all<{ id: number; code: MutationErrorCode; message: string }>(
        'SELECT mutation_id AS id, code, message FROM rejected_mutations WHERE client_id = ? AND mutation_id > ? ORDER BY mutation_id LIMIT 10000',
        [clientId, handledUpTo],
      );
    });
    return rows.map((r) => ({ id: r.id, status: 'rejected' as const, code: r.code, message: r.message }));
  }

  /**
   * Writes directly (admin operations, seed), in one transaction and one version; publishes.
   * `fn` is synchronous over the ServerTx (use `tx.newId()` and `tx.now`, never uuidv7()/Date.now():
   * it may run more than once). Resolves once the commit was published.
   */
  async write<R>(fn: (tx: ServerTx) => R): Promise<R> {
    const { value, published } = await this.commit(async (wtx) => {
      const r = await this.runSync(wtx, SYSTEM_ACTOR, (tx) => fn(tx), { deferWrites: true });
      return { value: r.value, commit: r.commit };
    });
    await published;
    return value;
  }

  /** The mutator of that name, never a member of Object.prototype (`constructor`, `__proto__`…). */
  private mutator(name: string): AnyMutatorDef | undefined {
    return Object.hasOwn(this.mutators, name) ? this.mutators[name] : undefined;
  }

  /** Runs a mutation as the relay (system mutations, admin); rejects with MutationError on refusal. */
  async runAs(actor: Actor, name: string, rawArgs: unknown, opts: RunOptions = {}): Promise<Commit | null> {
    const m = this.mutator(name);
    if (!m) throw new MutationError('invalid', `unknown mutation ${name}`);
    const parsed = m.args.safeParse(rawArgs);
    if (!parsed.success) throw new MutationError('invalid', issuesSentence(parsed.error.issues));
    this.stats.system++;
    const { commit, published } = await this.commit(async (wtx) => {
      const r = await this.runSync(wtx, actor, (tx, ctx) => m.run(tx, ctx, parsed.data), { deferWrites: true }, opts.also);
      return { value: undefined, commit: r.commit };
    });
    await published;
    return commit;
  }

  /**
   * One pushed mutation: validated, run in a transaction with the client's lastMutationId. Never
   * rejects for mutation errors. Resolves once its commit was published (fanned out).
   */
  async runPushed(clientId: string, actor: Actor, mut: { id: number; name: string; args: unknown }): Promise<PushOutcome> {
    let out: { value: PushOutcome; commit: Commit | null; published: Promise<void> };
    try {
      out = await this.commit(async (wtx): Promise<{ value: PushOutcome; commit: Commit | null }> => {
        const last = (await wtx.get<{ lastMutationId: number }>(GET_CLIENT, [clientId]))?.lastMutationId ?? 0;
        if (mut.id <= last) return { value: { kind: 'duplicate', result: { id: mut.id, status: 'ok' } }, commit: null };
        if (mut.id !== last + 1) return { value: { kind: 'order', expected: last + 1 }, commit: null };
        let result: MutationResult = { id: mut.id, status: 'ok' };
        let commit: Commit | null = null;
        try {
          commit = (await this.applyPushed(wtx, actor, mut)).commit;
        } catch (e) {
          result = this.rejection(mut, e);
          // the refusal is as durable as the lastMutationId that makes it final
          await wtx.run(
            'INSERT INTO rejected_mutations (client_id, mutation_id, code, message, version) VALUES (?, ?, ?, ?, ?) ' +
              'ON CONFLICT (client_id, mutation_id) DO UPDATE SET code = excluded.code, message = excluded.message, version = excluded.version',
            [clientId, mut.id, result.code ?? 'internal', result.message ?? '', wtx.version],
          );
        }
        await wtx.run(
          'INSERT INTO clients (client_id, user_id, last_mutation_id) VALUES (?, ?, ?) ON CONFLICT (client_id) DO UPDATE SET last_mutation_id = excluded.last_mutation_id',
          [clientId, actor.userId, mut.id],
        );
        if (commit) commit.clientId = clientId;
        return { value: { kind: 'applied', result, commit }, commit };
      });
    } catch (e) {
      this.log(`relay: push transaction failed for ${mut.name}`, e);
      throw e;
    }
    const v = out.value;
    if (v.kind === 'duplicate') this.stats.duplicates++;
    else if (v.kind === 'applied') {
      if (v.result.status === 'ok') this.stats.applied++;
      else this.stats.rejected++;
    }
    await out.published;
    return v;
  }

  private async applyPushed(wtx: WriteTx, actor: Actor, mut: { name: string; args: unknown }): Promise<{ commit: Commit | null }> {
    const m = this.mutator(mut.name);
    if (!m) throw new MutationError('invalid', `unknown mutation ${mut.name.slice(0, 60)}`);
    if (m.system || systemMutations.has(mut.name as MutationName)) throw new MutationError('forbidden', `${mut.name} is run by the relay only`);
    const parsed = m.args.safeParse(mut.args);
    if (!parsed.success) throw new MutationError('invalid', issuesSentence(parsed.error.issues));
    // a file uploaded earlier may have been released by the GC since (server/attachmentsGc.ts):
    // refused here, in the transaction that would reference it, rather than sent without bytes
    const missing = await missingAttachment(wtx, parsed.data);
    if (missing) throw new MutationError('not_found', `The attached file "${missing.name}" is no longer on the server. Attach it again.`);
    return this.runSync(wtx, actor, (tx, ctx) => m.run(tx, ctx, parsed.data));
  }

  private rejection(mut: { id: number; name: string }, e: unknown): MutationResult {
    if (e instanceof MutationError) return { id: mut.id, status: 'rejected', code: e.code, message: e.message };
    this.log(`relay: mutation ${mut.name} failed`, e);
    const code: MutationErrorCode = 'internal';
    return { id: mut.id, status: 'rejected', code, message: 'internal error' };
  }

  /**
   * One engine write: the store transaction, then (still holding the engine's lock, so commits
   * are queued in commit order) its publication queued. `published` resolves when every commit
   * listener has seen it.
   */
  private async commit<T>(fn: (wtx: WriteTx) => Promise<{ value: T; commit: Commit | null }>): Promise<{ value: T; commit: Commit | null; published: Promise<void> }> {
    return this.writeLock.run(async () => {
      const out = await this.store.write(fn);
      const c = out.commit;
      if (!c) return { ...out, published: Promise.resolve() };
      if (c.changes.version > this.committed) this.committed = c.changes.version;
      const retained = c.changes.version - this.retention;
      if (c.changes.version && retained > this.minRetained) this.minRetained = retained;
      const published = (this.publishing = this.publishing.then(() => this.publish(c)));
      return { ...out, published };
    });
  }

  /**
   * Runs `fn` (a mutator, an admin write) synchronously over a ServerTx, then the write hooks and
   * the version bump, all in one `sync` run; ids and time are replayed and effects and audit
   * entries collected afresh when the run is repeated. A throw leaves nothing written.
   */
  private async runSync<R>(
    wtx: WriteTx,
    actor: Actor,
    fn: (tx: ServerTx, ctx: MutatorContext) => R,
    opts: SyncOptions = {},
    also?: (rows: SyncRows, now: number) => void,
  ): Promise<{ value: R; commit: Commit | null }> {
    const ids: string[] = [];
    const now = Date.now();
    const version = wtx.version + 1;
    let effects: ServerEffect[] = [];
    let audits: AuditRecord[] = [];
    const out = await wtx.sync((rows) => {
      let i = 0;
      effects = [];
      audits = [];
      const newId = () => {
        if (i === ids.length) ids.push(uuidv7());
        return ids[i++] as string;
      };
      const tx = new ServerTx(rows, version, newId, now);
      const ctx: MutatorContext = {
        userId: actor.userId, role: actor.role, now, side: 'server', newId, effect: (e) => effects.push(e),
        // inside the mutation's transaction: a refused mutation leaves no audit row
        audit: (action, target, entry) => void audits.push({ actorId: actor.userId, action, target, targetName: entry?.targetName, details: entry?.details, at: now }),
      };
      const value = fn(tx, ctx);
      // the outbox: the effects are committed with the mutation that caused them, as jobs any
      // relay runs (server/effects/) — also when this engine is not a relay's (the CLI)
      if (effects.length) enqueueJobs(effects, rows, now);
      also?.(rows, now);
      if (tx.wrote) this.finish(tx, rows);
      return { value, tx };
    }, opts);
    for (const a of audits) await this.audit.record(a, wtx);
    const { tx, value } = out;
    if (!tx.wrote) return { value, commit: effects.length ? { changes: tx.changes, effects } : null };
    return { value, commit: { changes: tx.changes, effects } };
  }

  /** Inside the run: write hooks, the version bump, old tombstones and refusals pruned. */
  private finish(tx: ServerTx, rows: SyncRows): void {
    for (const h of this.writeHooks) h(tx.changes, rows);
    rows.exec(SET_META, ['version', String(tx.version)]);
    tx.changes.version = tx.version;
    const cutoff = tx.version - this.retention;
    if (cutoff > this.minRetained) {
      rows.exec('DELETE FROM tombstones WHERE version <= ?', [cutoff]);
      rows.exec('DELETE FROM rejected_mutations WHERE version <= ?', [cutoff]);
      rows.exec(SET_META, ['minRetainedVersion', String(cutoff)]);
    }
  }

  private async publish(c: Commit): Promise<void> {
    for (const l of this.listeners) {
      try {
        await l(c);
      } catch (e) {
        this.log('relay: commit listener failed', e);
      }
    }
  }
}

const GET_CLIENT = 'SELECT user_id AS "userId", last_mutation_id AS "lastMutationId" FROM clients WHERE client_id = ?';
const GET_ORG = 'SELECT value FROM meta WHERE key = ?';
