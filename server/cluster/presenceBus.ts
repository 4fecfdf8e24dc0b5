// Presence between relays over NATS (issue 15): the PresenceBus of server/sync/presence.ts on the
// subject `parley.<orgKey>.presence`. Each relay publishes its users' merged local states; every
// relay keeps what each other relay said of each user. Ephemeral, like presence itself:
//  - every relay sends a heartbeat (`beat`, with how many users it has) every `heartbeatMs`;
//    a relay not heard from for `ttlMs` (it died, or NATS cut it off) has its users taken
//    offline on the others;
//  - a relay that starts asks the others for their users (`hello`), and they answer with their
//    whole state (`full`, in parts); a heartbeat whose count differs from what a relay knows of
//    its sender (a message lost, a relay back after an outage) makes it ask that sender again;
//  - a relay closing cleanly says `bye`: its users go offline on the others at once.
// Every message is validated on receipt (zod); a malformed one is logged and dropped.
import { z } from 'zod';
import { presenceViewing } from '../../shared/protocol/presence';
import { idSchema } from '../../shared/protocol/common';
import type { PresenceBus, PresenceEvent, PresenceState } from '../sync/presence';
import type { ClusterBus } from './bus';

/** users per `full` message */
export const FULL_PART_USERS = 500;

const state = z.strictObject({ status: z.enum(['online', 'away']), viewing: z.array(presenceViewing).max(100) });
const relayId = z.string().min(1).max(64);
const message = z.discriminatedUnion('k', [
  z.strictObject({ k: z.literal('state'), userId: idSchema, state: state.nullable() }),
  z.strictObject({ k: z.literal('beat'), users: z.number().int().nonnegative() }),
  z.strictObject({ k: z.literal('hello'), target: relayId.nullable() }),
  z.strictObject({ k: z.literal('full'), target: relayId.nullable(), first: z.boolean(), last: z.boolean(), users: z.array(z.strictObject({ userId: idSchema, state })).max(FULL_PART_USERS) }),
  z.strictObject({ k: z.literal('bye') }),
]);
export type PresenceMessage = z.infer<typeof message>;

export interface NatsPresenceOptions {
  /** a heartbeat every this many ms (default 5,000) */
  heartbeatMs?: number;
  /** a relay not heard from for this long has its users expire (default 3 heartbeats) */
  ttlMs?: number;
  log?: (message: string, e?: unknown) => void;
}

interface Peer {
  lastSeen: number;
  users: Map<string, PresenceState>;
  /** a `full` being received: the users it named so far */
  incoming: Set<string> | null;
  /** when this relay last asked the peer for its full state */
  askedAt: number;
}

export class NatsPresenceBus implements PresenceBus {
  private readonly fns: ((e: PresenceEvent) => void)[] = [];
  /** what this relay published of its own users (answers `hello`) */
  private readonly local = new Map<string, PresenceState>();
  private readonly peers = new Map<string, Peer>();
  private readonly timer: NodeJS.Timeout;
  private readonly heartbeatMs: number;
  private readonly ttlMs: number;
  private readonly log: (message: string, e?: unknown) => void;
  private closed = false;
  /** users taken offline because their relay went silent (tests, metrics) */
  expired = 0;

  constructor(
    private readonly bus: ClusterBus,
    opts: NatsPresenceOptions = {},
  ) {
    this.heartbeatMs = opts.heartbeatMs ?? 5000;
    this.ttlMs = opts.ttlMs ?? 3 * this.heartbeatMs;
    this.log = opts.log ?? (() => undefined);
    bus.subscribe('presence', (data, from) => this.onMessage(data, from));
    bus.onStatus((s) => {
      if (s === 'reconnected') this.send({ k: 'hello', target: null });
    });
    this.send({ k: 'hello', target: null });
    this.send({ k: 'beat', users: 0 });
    this.timer = setInterval(() => this.tick(), this.heartbeatMs);
    this.timer.unref();
  }

  /** This relay's id: RelayPresence's `source` must be the same. */
  get source(): string {
    return this.bus.relayId;
  }

  publish(e: PresenceEvent): void {
    if (this.closed) return;
    if (e.source !== this.bus.relayId) {
      this.log(`cluster: presence of source ${e.source} not published: this relay is ${this.bus.relayId}`);
      return;
    }
    if (e.state) this.local.set(e.userId, e.state);
    else this.local.delete(e.userId);
    this.send({ k: 'state', userId: e.userId, state: e.state });
  }

  subscribe(fn: (e: PresenceEvent) => void): void {
    this.fns.push(fn);
  }

  /** the relays heard from within the TTL (tests, metrics) */
  get peerIds(): string[] {
    return [...this.peers.keys()];
  }

  /**
   * Stops heartbeats. With `goodbye` (a clean shutdown) the others take this relay's users
   * offline at once; without, they do after the TTL. Call before closing the ClusterBus.
   */
  close(goodbye = true): void {
    if (this.closed) return;
    if (goodbye) this.send({ k: 'bye' });
    this.closed = true;
    clearInterval(this.timer);
  }

  private send(m: PresenceMessage): void {
    this.bus.publish('presence', Buffer.from(JSON.stringify(m), 'utf8'));
  }

  private emit(source: string, userId: string, state: PresenceState | null): void {
    for (const fn of this.fns) {
      try {
        fn({ source, userId, state });
      } catch (e) {
        this.log('cluster: presence listener failed', e);
      }
    }
  }

  private tick(): void {
    if (this.closed) return;
    this.send({ k: 'beat', users: this.local.size });
    const now = Date.now();
    for (const [id, p] of this.peers) {
      if (now - p.lastSeen <= this.ttlMs) continue;
      this.log(`cluster: relay ${id} silent for ${now - p.lastSeen} ms: its ${p.users.size} users taken offline`);
      this.drop(id, p);
    }
  }

  private drop(id: string, p: Peer): void {
    this.peers.delete(id);
    for (const userId of p.users.keys()) {
      this.expired++;
      this.emit(id, userId, null);
    }
  }

  private ask(id: string, p: Peer, now: number): void {
    if (now - p.askedAt < this.heartbeatMs) return;
    p.askedAt = now;
    this.send({ k: 'hello', target: id });
  }

  private onMessage(data: Uint8Array, from: string): void {
    if (this.closed) return;
    let json: unknown;
    try {
      json = JSON.parse(Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('utf8'));
    } catch {
      return this.log(`cluster: presence message from relay ${from} refused: not valid JSON`);
    }
    const parsed = message.safeParse(json);
    if (!parsed.success) return this.log(`cluster: presence message from relay ${from} refused: ${parsed.error.issues[0]?.message ?? 'malformed'}`);
    const m = parsed.data;
    const now = Date.now();
    let p = this.peers.get(from);
    if (m.k === 'bye') {
      if (p) this.drop(from, p);
      return;
    }
    if (!p) {
      this.peers.set(from, (p = { lastSeen: now, users: new Map(), incoming: null, askedAt: -Infinity }));
      // a relay this one did not know (new, or back after a silence): learn its users
      if (m.k !== 'full') this.ask(from, p, now);
    }
    p.lastSeen = now;
    switch (m.k) {
      case 'state':
        if (m.state) p.users.set(m.userId, m.state);
        else if (!p.users.delete(m.userId)) return;
        this.emit(from, m.userId, m.state);
        return;
      case 'beat':
        if (m.users !== p.users.size && !p.incoming) this.ask(from, p, now);
        return;
      case 'hello':
        if (m.target === null || m.target === this.bus.relayId) this.sendFull(from);
        return;
      case 'full':
        if (m.target !== null && m.target !== this.bus.relayId) return;
        this.onFull(from, p, m);
        return;
    }
  }

  private sendFull(target: string): void {
    const users = [...this.local].map(([userId, state]) => ({ userId, state }));
    for (let i = 0; i === 0 || i < users.length; i += FULL_PART_USERS) {
      this.send({ k: 'full', target, first: i === 0, last: i + FULL_PART_USERS >= users.length, users: users.slice(i, i + FULL_PART_USERS) });
    }
  }

  /** A peer's whole state, in parts: users it no longer names go offline once the last part is in. */
  private onFull(from: string, p: Peer, m: Extract<PresenceMessage, { k: 'full' }>): void {
    if (m.first) p.incoming = new Set();
    if (!p.incoming) return; // a part whose first was lost: the next heartbeat asks again
    for (const u of m.users) {
      p.incoming.add(u.userId);
      const had = p.users.get(u.userId);
      if (had && JSON.stringify(had) === JSON.stringify(u.state)) continue;
      p.users.set(u.userId, u.state);
      this.emit(from, u.userId, u.state);
    }
    if (!m.last) return;
    for (const userId of [...p.users.keys()]) {
      if (p.incoming.has(userId)) continue;
      p.users.delete(userId);
      this.emit(from, userId, null);
    }
    p.incoming = null;
  }
}
