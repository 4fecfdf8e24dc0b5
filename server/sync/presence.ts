// Presence on the relay (issue 13): each socket says its status (online/away), the conversation it
// views and whether its user is replying there; the relay merges a user's sockets (online while any
// is), and sends every connected user the others' presence, each viewing entry only to those who
// may read that conversation (canSeeConversation: a metadata-only admin gets the status, never
// what the user views). Ephemeral: in memory only, dropped when a socket closes. Throttled: a
// user's presence goes out at most once per PRESENCE_THROTTLE_MS (later changes are coalesced and
// sent at the end of the window), however often its sockets send.
//
// Several relays (part 2): each relay publishes its users' merged local state on a PresenceBus
// ({source, userId, state}); a relay merges what every source says of a user. The bus here is
// in-process; a NATS bus implements the same two methods.
import type { Viewer } from '../../shared/scopes';
import { canSeeConversation } from '../../shared/permissions';
import { PRESENCE_THROTTLE_MS, type PresenceDownFrame, type PresenceUpFrame, type PresenceUser, type PresenceViewing } from '../../shared/protocol/index';
import type { Conversation } from '../../shared/schema';

/** What one relay knows of one user (null: none of its sockets is open). */
export interface PresenceState {
  status: 'online' | 'away';
  viewing: PresenceViewing[];
}
export interface PresenceEvent {
  /** the relay that publishes it */
  source: string;
  userId: string;
  state: PresenceState | null;
}
/** Carries presence between relays. */
export interface PresenceBus {
  publish(e: PresenceEvent): void;
  subscribe(fn: (e: PresenceEvent) => void): void;
}

/** A socket as presence sees it (the hub's Connection). */
export interface PresenceSocket {
  userId: string;
  viewer: Viewer | null;
  send(frame: PresenceDownFrame): void;
  /** the same frame already encoded (shared by every socket that gets it): sent as these bytes */
  sendEncoded?(frame: PresenceDownFrame, bytes: Buffer): void;
}

export interface PresenceDeps {
  /** every connected user's viewer and sockets on this relay */
  recipients(): Iterable<{ viewer: Viewer; conns: Iterable<PresenceSocket> }>;
  conversation(id: string): Pick<Conversation, 'groupId' | 'visibleTo'> | undefined;
  bus?: PresenceBus;
  source?: string;
  throttleMs?: number;
}

interface SocketState {
  status: 'online' | 'away';
  viewing: string | null;
  typing: boolean;
}

export class RelayPresence {
  private readonly sockets = new Map<PresenceSocket, SocketState>();
  private readonly byUser = new Map<string, Set<PresenceSocket>>();
  /** userId → source → state, from other relays */
  private readonly remote = new Map<string, Map<string, PresenceState>>();
  private readonly lastSent = new Map<string, number>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  /**
   * each user's merged local state, kept until one of its sockets changes: a socket's hello sends
   * everyone's presence, which must not merge every socket of every user again (a reconnect
   * storm of 1,000 sockets: a million merges)
   */
  private readonly localCache = new Map<string, PresenceState | null>();
  private readonly source: string;
  private readonly throttleMs: number;
  /** presence update frames queued to sockets, and distinct ones encoded (metrics, bench) */
  readonly stats = { framesSent: 0, framesEncoded: 0 };
  private readonly changeListeners: ((userId: string) => void)[] = [];
  /** what recipients were last told of each user (its merged state, encoded): unchanged is not sent again */
  private readonly delivered = new Map<string, string>();
  /** users whose presence goes out in the next batch (one frame per recipient for all of them) */
  private readonly outbox = new Set<string>();
  private batch: NodeJS.Immediate | null = null;

  constructor(private readonly deps: PresenceDeps) {
    this.source = deps.source ?? 'local';
    this.throttleMs = deps.throttleMs ?? PRESENCE_THROTTLE_MS;
    deps.bus?.subscribe((e) => this.onRemote(e));
  }

  /** A socket finished hello: its user is online, and it gets everyone's presence. */
  open(s: PresenceSocket): void {
    this.sockets.set(s, { status: 'online', viewing: null, typing: false });
    let set = this.byUser.get(s.userId);
    if (!set) this.byUser.set(s.userId, (set = new Set()));
    set.add(s);
    this.localCache.delete(s.userId);
    this.schedule(s.userId);
    const viewer = s.viewer;
    if (!viewer) return;
    const users: PresenceUser[] = [];
    for (const userId of new Set([...this.byUser.keys(), ...this.remote.keys()])) {
      const m = this.merged(userId);
      if (m) users.push(this.forViewer(viewer, userId, m));
    }
    s.send({ type: 'presence', full: true, users });
  }

  /** The socket closed: when it was the user's last one (on every relay) the user is offline. */
  close(s: PresenceSocket): void {
    if (!this.sockets.delete(s)) return;
    const set = this.byUser.get(s.userId);
    set?.delete(s);
    if (set?.size === 0) this.byUser.delete(s.userId);
    this.localCache.delete(s.userId);
    this.schedule(s.userId);
  }

  /**
   * A presence frame from a live socket. A conversation the user may not read is taken as none
   * (never relayed, not even its id).
   */
  update(s: PresenceSocket, f: PresenceUpFrame): void {
    const st = this.sockets.get(s);
    if (!st || !s.viewer) return;
    if (f.status) st.status = f.status;
    if (f.viewing !== undefined) {
      const c = f.viewing === null ? undefined : this.deps.conversation(f.viewing);
      st.viewing = c && canSeeConversation(s.viewer, c) ? f.viewing : null;
      if (!st.viewing) st.typing = false;
    }
    if (f.typing !== undefined) st.typing = f.typing && st.viewing !== null;
    this.localCache.delete(s.userId);
    this.schedule(s.userId);
  }

  /** The user's role or groups changed: what it views must still be readable by it. */
  recheck(userId: string): void {
    for (const s of this.byUser.get(userId) ?? []) {
      const st = this.sockets.get(s);
      if (!st?.viewing || !s.viewer) continue;
      const c = this.deps.conversation(st.viewing);
      if (!c || !canSeeConversation(s.viewer, c)) {
        st.viewing = null;
        st.typing = false;
      }
    }
    this.localCache.delete(userId);
    this.schedule(userId);
  }

  /**
   * These conversations' audience changed (restricted, widened, deleted): a viewer who may no
   * longer read one stops viewing it, and everyone viewing one is delivered again, so a recipient
   * who lost it receives an entry without its id at once, not at the viewer's next update.
   */
  conversationsChanged(ids: ReadonlySet<string>): void {
    if (ids.size === 0) return;
    const users = new Set<string>();
    for (const [s, st] of this.sockets) {
      if (!st.viewing || !ids.has(st.viewing)) continue;
      users.add(s.userId);
      this.localCache.delete(s.userId);
      const c = this.deps.conversation(st.viewing);
      if (!s.viewer || !c || !canSeeConversation(s.viewer, c)) {
        st.viewing = null;
        st.typing = false;
      }
    }
    for (const [userId, m] of this.remote) {
      for (const state of m.values()) if (state.viewing.some((v) => ids.has(v.conversationId))) users.add(userId);
    }
    // delivered now, not throttled: a narrowing must not wait behind a second of typing updates;
    // sent even when the user's state is the same (what each recipient may see of it is not)
    for (const u of users) {
      this.delivered.delete(u);
      this.flush(u);
    }
  }

  stop(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    if (this.batch) clearImmediate(this.batch);
    this.batch = null;
    this.outbox.clear();
  }

  /** `fn` hears of every user whose merged presence may have changed (automatic assignment). */
  onChange(fn: (userId: string) => void): void {
    this.changeListeners.push(fn);
  }

  /** The user's presence as this relay knows it (tests, automatic assignment). */
  stateOf(userId: string): PresenceState | null {
    return this.merged(userId);
  }

  private schedule(userId: string): void {
    if (this.timers.has(userId)) return;
    const wait = (this.lastSent.get(userId) ?? -Infinity) + this.throttleMs - Date.now();
    if (wait <= 0) return this.flush(userId);
    const t = setTimeout(() => {
      this.timers.delete(userId);
      this.flush(userId);
    }, wait);
    t.unref();
    this.timers.set(userId, t);
  }

  private flush(userId: string): void {
    this.lastSent.set(userId, Date.now());
    const local = this.local(userId);
    if (!local) this.lastSent.delete(userId);
    this.deps.bus?.publish({ source: this.source, userId, state: local });
    this.deliver(userId);
  }

  private onRemote(e: PresenceEvent): void {
    if (e.source === this.source) return;
    let m = this.remote.get(e.userId);
    if (e.state) {
      if (!m) this.remote.set(e.userId, (m = new Map<string, PresenceState>()));
      m.set(e.source, e.state);
    } else if (m) {
      m.delete(e.source);
      if (m.size === 0) this.remote.delete(e.userId);
    }
    this.deliver(e.userId);
  }

  /**
   * The user's merged presence goes out in this turn's batch, unless recipients were last told the
   * same: a user's 2nd…100th socket opening, or a relay repeating what another said, sends nothing.
   */
  private deliver(userId: string): void {
    for (const fn of this.changeListeners) fn(userId);
    const m = this.merged(userId);
    const key = m ? JSON.stringify(m) : 'offline';
    if (this.delivered.get(userId) === key) return;
    if (m) this.delivered.set(userId, key);
    else this.delivered.delete(userId);
    this.outbox.add(userId);
    this.batch ??= setImmediate(() => this.sendBatch());
  }

  /**
   * One frame per recipient for every user changed in this turn (a login wave sends a few frames,
   * not one per user per socket); each distinct frame is encoded once and its bytes shared by every
   * socket that gets it.
   */
  private sendBatch(): void {
    this.batch = null;
    const users = [...this.outbox].map((userId) => ({ userId, m: this.merged(userId) ?? { status: 'offline' as const, viewing: [] } }));
    this.outbox.clear();
    if (users.length === 0) return;
    const encoded = new Map<string, { frame: PresenceDownFrame; bytes: Buffer }>();
    for (const r of this.deps.recipients()) {
      const frame: PresenceDownFrame = { type: 'presence', users: users.map(({ userId, m }) => this.forViewer(r.viewer, userId, m)) };
      const text = JSON.stringify(frame);
      let e = encoded.get(text);
      if (!e) {
        encoded.set(text, (e = { frame, bytes: Buffer.from(text) }));
        this.stats.framesEncoded++;
      }
      for (const c of r.conns) {
        this.stats.framesSent++;
        if (c.sendEncoded) c.sendEncoded(e.frame, e.bytes);
        else c.send(e.frame);
      }
    }
  }

  /** What `viewer` may know of the user: its status, and only the conversations it may read. */
  private forViewer(viewer: Viewer, userId: string, m: { status: PresenceUser['status']; viewing: PresenceViewing[] }): PresenceUser {
    const viewing = m.viewing.filter((v) => {
      const c = this.deps.conversation(v.conversationId);
      return c !== undefined && canSeeConversation(viewer, c);
    });
    return { userId, status: m.status, viewing };
  }

  private local(userId: string): PresenceState | null {
    const cached = this.localCache.get(userId);
    if (cached !== undefined) return cached;
    const set = this.byUser.get(userId);
    if (!set?.size) return null;
    const states = [...set].map((s) => this.sockets.get(s)).filter((x): x is SocketState => x !== undefined);
    const l = combine(states.map((st) => ({ status: st.status, viewing: st.viewing ? [{ conversationId: st.viewing, typing: st.typing }] : [] })));
    this.localCache.set(userId, l);
    return l;
  }

  private merged(userId: string): PresenceState | null {
    const all = [...(this.remote.get(userId)?.values() ?? [])];
    const l = this.local(userId);
    if (l) all.push(l);
    return all.length ? combine(all) : null;
  }
}

/** Online while any socket is; each conversation viewed once, replying if any socket replies. */
function combine(states: PresenceState[]): PresenceState {
  const viewing = new Map<string, boolean>();
  for (const s of states) for (const v of s.viewing) viewing.set(v.conversationId, (viewing.get(v.conversationId) ?? false) || v.typing);
  return {
    status: states.some((s) => s.status === 'online') ? 'online' : 'away',
    viewing: [...viewing].slice(0, 100).map(([conversationId, typing]) => ({ conversationId, typing })),
  };
}

/** The in-process bus (one relay; tests of several relays share one). */
export class LocalPresenceBus implements PresenceBus {
  private readonly fns: ((e: PresenceEvent) => void)[] = [];
  publish(e: PresenceEvent): void {
    for (const fn of this.fns) fn(e);
  }
  subscribe(fn: (e: PresenceEvent) => void): void {
    this.fns.push(fn);
  }
}
