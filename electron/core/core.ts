// The core: session, replica, engine and sync client behind the Bridge API.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { uuidv7 } from 'uuidv7';
import type {
  BridgeEvent, CommandArgs, CommandName, CommandResults, Failure, MutateResult, QueryArgs, QueryName, QueryResults, Session, SyncState, SyncStatus,
} from '../../shared/bridge';
import { mutators } from '../../shared/mutators/index';
import type { MutationArgs, MutationName } from '../../shared/mutators/args';
import { tableNames, type Role } from '../../shared/schema';
import { login, logout, wsUrlOf } from './auth';
import { Replica } from './db/replica';
import { MigrationMismatchError } from '../../drizzle/migrations';
import { ChangeSet } from './engine/changeSet';
import { MutationEngine, targetOf, type PokeOutcome, type Registry } from './engine/engine';
import { runCommand } from './bridge/commands';
import { bridgeError } from './bridge/errors';
import { runQuery, type QueryContext, type QueryEnv } from './bridge/queries';
import { recordFailure } from './bridge/failures';
import { notificationsFor } from './bridge/notifications';
import { SLA_CHECK_MS, slaWarnings } from './bridge/slaNotifications';
import type { SecretStore } from './secretStore';
import { SessionKeeper } from './session';
import { SyncClient, type SyncClientOptions } from './sync/syncClient';
import type { PresenceUser } from '../../shared/protocol/presence';

const yieldToLoop = () => new Promise<void>((r) => setImmediate(r));

export interface CoreOptions {
  dataDir: string;
  secretStore: SecretStore;
  clientName?: string;
  /** tests inject a registry; the product uses shared/mutators */
  registry?: Registry;
  migrationsDir?: string;
  /** ms between pings (tests shorten it) */
  pingIntervalMs?: number;
  /** where the core's own notes go (Electron main: the rotating log); console by default */
  log?: (message: string) => void;
  /** WAL size past which a sync waits for a complete checkpoint (tests make it small) */
  walLimitBytes?: number;
  /** per-connection socket options (Electron main: system proxy agent and certificates) */
  connectOptions?: SyncClientOptions['connectOptions'];
}

export { bridgeError };

/** a `changed` event names at most this many ids; beyond, the UI refetches by table */
const MAX_EVENT_IDS = 1000;
/** SLA warnings are looked for this long after a poke changed something (coalescing a burst) */
const SLA_AFTER_POKE_MS = 200;

/** SQLite's answer for a file that is not (or no longer) a database. */
function isDamagedDatabase(e: unknown): boolean {
  const code = (e as { code?: unknown }).code;
  return code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT';
}

/** The sentence for a replica that could not be opened. */
function replicaProblem(e: unknown): string {
  if (e instanceof MigrationMismatchError) return `Parley cannot open this computer's copy of your inbox. ${e.message}`;
  return `Parley could not open this computer's copy of your inbox (${e instanceof Error ? e.message : String(e)}).`;
}

interface Open {
  replica: Replica;
  engine: MutationEngine;
  sync: SyncClient;
}

export class CoreImpl {
  private readonly listeners = new Set<(e: BridgeEvent) => void>();
  /** other users' presence (issue 13): ephemeral, in memory, never in the replica */
  private readonly presenceOf = new Map<string, PresenceUser>();
  readonly sessions: SessionKeeper;
  private open: Open | null = null;
  private state: SyncState = 'signedOut';
  private error: string | null = null;
  /** Something the user should know that outlives sync errors (a damaged replica set aside). */
  private notice: string | null = null;

  constructor(readonly opts: CoreOptions) {
    mkdirSync(opts.dataDir, { recursive: true });
    this.sessions = new SessionKeeper(opts.dataDir, opts.secretStore);
  }

  /**
   * Resumes the saved session. It counts as signed in only once its replica is open; a
   * damaged file or a replica that cannot be opened means signed out, with the reason in
   * syncStatus().error (the sign-in screen shows it).
   */
  async start(): Promise<void> {
    const stored = await this.sessions.load();
    if (stored.kind === 'none') return;
    if (stored.kind === 'lost') return this.signedOutBecause(stored.reason);
    let replica: Replica;
    try {
      replica = this.openReplica(stored.session);
    } catch (e) {
      return this.signedOutBecause(replicaProblem(e));
    }
    this.sessions.resume(stored.session);
    this.startSync(stored.session, replica);
    this.emit({ type: 'session', session: stored.session });
  }

  private signedOutBecause(reason: string): void {
    this.state = 'signedOut';
    this.error = reason;
    this.emitStatus();
  }

  async close(): Promise<void> {
    await this.closeReplica();
    this.listeners.clear();
  }

  subscribe(listener: (e: BridgeEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(e: BridgeEvent): void {
    for (const l of this.listeners) {
      try {
        l(e);
      } catch {
        /* a listener's failure is its own */
      }
    }
  }

  replicaPath(userId: string): string {
    return join(this.opts.dataDir, 'replicas', `${userId.replace(/[^A-Za-z0-9_-]/g, '_')}.sqlite`);
  }

  /** The engine and replica of the signed-in user (tests and the browser host reach in here). */
  get current(): Open | null {
    return this.open;
  }

  private role(): Role {
    const s = this.sessions.session;
    const row = s && this.open ? this.open.replica.store.get('users', s.userId) : undefined;
    return row?.role ?? s?.role ?? 'agent';
  }

  /**
   * Opens (migrating) the user's replica. A damaged database file is set aside, never deleted,
   * and a fresh one fetched; a replica this build cannot migrate (MigrationMismatchError)
   * throws: the user stays signed out with the reason.
   */
  private openReplica(s: Pick<Session, 'userId' | 'relayUrl' | 'role'>): Replica {
    mkdirSync(join(this.opts.dataDir, 'replicas'), { recursive: true });
    const path = this.replicaPath(s.userId);
    let replica: Replica;
    try {
      replica = Replica.open(path, this.opts.migrationsDir);
    } catch (e) {
      if (!isDamagedDatabase(e)) throw e;
      Replica.setAside(path);
      this.notice = 'This computer\'s copy of your inbox was damaged. It was set aside and Parley is fetching everything again.';
      replica = Replica.open(path, this.opts.migrationsDir);
    }
    const meta = replica.meta();
    if (meta && (meta.relayUrl !== s.relayUrl || meta.userId !== s.userId)) {
      // a replica of another organisation: never mix rows
      replica.close();
      Replica.destroy(path);
      replica = Replica.open(path, this.opts.migrationsDir);
    }
    replica.initMeta({ clientId: replica.meta()?.clientId ?? uuidv7(), userId: s.userId, relayUrl: s.relayUrl, role: s.role });
    return replica;
  }

  private startSync(s: Session, replica: Replica): void {
    void replica.startCheckpointer();
    const engine = new MutationEngine(replica, this.opts.registry ?? mutators, () => ({ userId: s.userId, role: this.role() }));
    // an older build skipped tables this one knows: refetch everything once
    if (replica.takeNowKnownSkippedTables(tableNames)) engine.wipeSynced();
    engine.ensureRebased();
    const sync = new SyncClient({
      wsUrl: wsUrlOf(s.relayUrl),
      replica,
      engine,
      token: (force) => this.sessions.token(force),
      onState: (st, err) => {
        this.state = st;
        this.error = err;
        if (st === 'online') this.flushInitial(); // the full fetch is complete: say so at once
        this.emitStatus();
      },
      onPoke: (o, initial) => this.onPoke(o, initial),
      onPresence: (users, full) => {
        if (full) this.presenceOf.clear();
        for (const u of users) {
          if (u.status === 'offline') this.presenceOf.delete(u.userId);
          else this.presenceOf.set(u.userId, u);
        }
        this.emit({ type: 'presence', users: this.presenceList() });
      },
      onRejected: (rows) => {
        const db = replica.db;
        const changes = new ChangeSet();
        for (const r of rows) {
          const targetId = targetOf(r.row.args);
          recordFailure(db, { mutationId: r.row.id, name: r.row.name, args: r.row.args, code: r.code as Failure['code'], message: r.message, at: Date.now(), targetId });
          if (targetId) changes.ids.add(targetId);
        }
        this.emit({ type: 'changed', tables: [], ids: [...changes.ids, 'failures'] });
      },
      // a deactivated account keeps nothing on the device; an expired session keeps the replica
      // (and its unsent outbox) for the same user's next sign-in
      onAuthLost: (kind, message) => void this.loseSession(kind, message),
      onWelcome: (f) => {
        if (f.orgName && this.sessions.setOrgName(f.orgName) && this.sessions.session) this.emit({ type: 'session', session: this.sessions.session });
      },
      onOutdated: (message) => {
        this.error = `Parley needs an update: ${message}.`;
        this.emitStatus();
      },
      log: this.opts.log ?? ((m) => console.warn(m)),
      pingIntervalMs: this.opts.pingIntervalMs,
      ...(this.opts.walLimitBytes ? { walLimitBytes: this.opts.walLimitBytes } : {}),
      connectOptions: this.opts.connectOptions,
    });
    this.open = { replica, engine, sync };
    this.state = 'connecting';
    sync.start();
    this.slaWarned.clear();
    this.slaTimer = setInterval(() => this.warnSla(), SLA_CHECK_MS);
    this.slaTimer.unref();
  }

  private slaTimer: NodeJS.Timeout | null = null;
  private readonly slaWarned = new Set<string>();

  /** Notifies my waiting conversations about to miss their first-response target (once per wait). */
  private warnSla(now = Date.now()): void {
    const s = this.sessions.session;
    if (!s || !this.open) return;
    try {
      for (const n of slaWarnings(this.open.replica.db, s.userId, now, this.slaWarned)) this.emit(n);
    } catch (e) {
      (this.opts.log ?? ((m: string) => console.warn(m)))(`sla warnings: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  private slaSoon: NodeJS.Timeout | null = null;

  /** Once after a burst of pokes (a catch-up applies hundreds of chunks), not once per chunk. */
  private warnSlaSoon(): void {
    this.slaSoon ??= setTimeout(() => {
      this.slaSoon = null;
      this.warnSla();
    }, SLA_AFTER_POKE_MS);
  }

  private pendingInitial: ChangeSet | null = null;
  /** the pending initial change outgrew MAX_EVENT_IDS: it names tables only */
  private pendingIdsDropped = false;
  private flushTimer: NodeJS.Timeout | null = null;

  /** During a full fetch, changes are coalesced (one event per 250 ms) so the UI is not refetching per chunk. */
  private onPoke(o: PokeOutcome, initial: boolean): void {
    if (initial) {
      if (!o.changes.empty) {
        const p = (this.pendingInitial ??= new ChangeSet());
        // thousands of ids say nothing a table list does not (the UI refetches by table): a full
        // fetch of a million rows keeps a few table names, not a million ids until the next flush
        if (p.ids.size + o.changes.ids.size > MAX_EVENT_IDS) {
          for (const t of o.changes.tables) p.tables.add(t);
          p.ids.clear();
          this.pendingIdsDropped = true;
        } else if (this.pendingIdsDropped) {
          for (const t of o.changes.tables) p.tables.add(t);
        } else p.merge(o.changes);
      }
      this.flushTimer ??= setTimeout(() => this.flushInitial(), 250);
    } else {
      this.flushInitial();
      if (!o.changes.empty) this.emit(o.changes.toEvent());
      this.emitStatus();
    }
    const s = this.sessions.session;
    if (!initial && s && this.open && o.newRows.length) {
      for (const n of notificationsFor(this.open.replica, s.userId, o.newRows)) this.emit(n);
    }
    // a new wait, an assignment or a changed target can bring a deadline within the warning
    if (!initial && !o.changes.empty) this.warnSlaSoon();
  }

  private flushInitial(): void {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = null;
    const c = this.pendingInitial;
    this.pendingInitial = null;
    this.pendingIdsDropped = false;
    if (c && !c.empty) {
      const e = c.toEvent();
      // thousands of ids say nothing a table list does not: the UI refetches by table
      this.emit(e.ids.length > MAX_EVENT_IDS ? { ...e, ids: [] } : e);
    }
    if (this.open) this.emitStatus();
  }

  syncStatus(): SyncStatus {
    const meta = this.open?.replica.meta();
    return {
      state: this.open ? this.state : 'signedOut',
      pending: this.open ? this.open.engine.pendingCount() : 0,
      lastSyncedAt: meta?.lastSyncedAt ?? null,
      error: this.error ?? this.notice,
    };
  }

  private emitStatus(): void {
    this.emit({ type: 'sync', status: this.syncStatus() });
  }

  /** `scrub`: empty the WAL first (sign-out deletes the files: leave no stray frames behind). */
  private async closeReplica(opts: { scrub?: boolean } = {}): Promise<void> {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = null;
    if (this.slaTimer) clearInterval(this.slaTimer);
    this.slaTimer = null;
    if (this.slaSoon) clearTimeout(this.slaSoon);
    this.slaSoon = null;
    this.pendingInitial = null;
    this.pendingIdsDropped = false;
    const o = this.open;
    this.open = null;
    this.presenceOf.clear();
    if (!o) return;
    await o.sync.stop();
    if (opts.scrub) await o.replica.scrub();
    o.replica.close();
    await o.replica.whenClosed(); // callers may remove the folder next (sign-out, tests)
  }

  // ---- Bridge ----

  private readonly queryEnv: QueryEnv = {
    session: () => this.sessions.session,
    syncStatus: () => this.syncStatus(),
    presence: () => this.presenceList(),
    replica: (): QueryContext => {
      const s = this.sessions.session;
      if (!s || !this.open) throw bridgeError('signed_out', 'sign in first');
      return { db: this.open.replica.db, store: this.open.replica.store, me: s.userId, role: this.role() };
    },
  };

  /** bridge/queries.ts: the contract's schema checks the args, the query's handler answers */
  async query<K extends QueryName>(name: K, args: QueryArgs<K>): Promise<QueryResults[K]> {
    return runQuery(this.queryEnv, name, args);
  }

  /**
   * Right after sign-in the first catch-up may not have brought the user's own row yet, and
   * every mutator would refuse ("account not found"). Wait for it, briefly, on change events.
   */
  private async untilOwnUserRow(timeoutMs = 15_000): Promise<void> {
    const has = () => {
      const me = this.sessions.session?.userId;
      return !this.open || !me || this.open.replica.store.get('users', me) !== undefined;
    };
    if (has()) return;
    await new Promise<void>((done) => {
      const timer = setTimeout(finish, timeoutMs);
      const off = this.subscribe(() => {
        if (has()) finish();
      });
      function finish(): void {
        clearTimeout(timer);
        off();
        done();
      }
    });
  }

  async mutate<N extends MutationName>(name: N, args: MutationArgs<N>): Promise<MutateResult> {
    if (!this.open) throw bridgeError('signed_out', 'sign in first');
    await this.untilOwnUserRow();
    // a full sync may be building indexes in a worker (it holds the write lock): write after it
    await this.open?.replica.indexBuildsDone();
    if (!this.open) throw bridgeError('signed_out', 'sign in first');
    const changes = new ChangeSet();
    const r = this.open.engine.mutate(name, args, changes);
    if (r.ok) {
      this.emit(changes.toEvent());
      this.emitStatus();
      this.open.sync.kick();
    }
    return r;
  }

  /** bridge/commands.ts: the contract's schema checks the args, the command's handler runs (this core is its CommandEnv) */
  async command<K extends CommandName>(name: K, args: CommandArgs<K>): Promise<CommandResults[K]> {
    return runCommand(this, name, args);
  }

  // ---- session commands (used by bridge/commands.ts) ----

  private presenceList(): PresenceUser[] {
    return [...this.presenceOf.values()].filter((u) => u.userId !== this.sessions.session?.userId);
  }

  setPresence(p: { status?: 'online' | 'away'; viewing?: string | null; typing?: boolean }): void {
    this.open?.sync.setPresence(p);
  }

  /** Signed in only when the replica is open: a replica that cannot be opened refuses the sign-in. */
  async signIn(relayUrl: string, email: string, password: string): Promise<Session> {
    const r = await login(relayUrl, email, password);
    await this.closeReplica();
    const url = relayUrl.replace(/\/+$/, '');
    this.error = null;
    this.notice = null;
    let replica: Replica;
    // opening a new replica runs every migration (~35 ms): in a turn of the event loop of its
    // own, not added to the sign-in's reply nor to connecting (the UI's events run in between)
    await yieldToLoop();
    try {
      replica = this.openReplica({ userId: r.user.id, relayUrl: url, role: r.user.role });
    } catch (e) {
      throw bridgeError('replica_unavailable', replicaProblem(e));
    }
    await yieldToLoop();
    let s: Session;
    try {
      s = await this.sessions.adopt(url, r);
    } catch (e) {
      replica.close();
      throw e;
    }
    this.startSync(s, replica);
    this.emit({ type: 'session', session: s });
    return s;
  }

  private async loseSession(kind: 'deactivated' | 'expired', message: string): Promise<void> {
    if (kind === 'deactivated') await this.signOut();
    else {
      await this.closeReplica();
      await this.sessions.clear();
      this.state = 'signedOut';
      this.emit({ type: 'session', session: null });
    }
    this.error = message;
    this.emitStatus();
  }

  async signOut(): Promise<void> {
    const s = this.sessions.session;
    const rt = await this.sessions.refreshToken();
    await this.closeReplica({ scrub: true });
    if (s && rt) await logout(s.relayUrl, rt).catch(() => undefined); // offline sign-out still forgets everything locally
    if (s) Replica.destroy(this.replicaPath(s.userId));
    await this.sessions.clear();
    this.state = 'signedOut';
    this.error = null;
    this.notice = null;
    this.emit({ type: 'session', session: null });
    this.emitStatus();
  }
}
