// The relays of one organisation talk over NATS (issue 15): one connection per relay, two
// subjects per organisation, nothing durable (core NATS, no JetStream stream):
//   parley.<orgKey>.commits   a commit notice after each commit (commitCodec.ts)
//   parley.<orgKey>.presence  presence states and heartbeats (presenceBus.ts)
// Every message carries its relay's id in the `Parley-Relay` header; a relay ignores its own.
// Publishing never blocks a commit: notices are queued and encoded on the next turn of the
// event loop, and NATS buffers them while it reconnects (a notice lost anyway is a gap the
// receivers' sequencers catch up from the database). The connection reconnects forever; a
// server unreachable at start is a clear error (the relay does not start half-connected).
import { connect, Events, headers, type Msg, type MsgHdrs, type NatsConnection, type Subscription } from 'nats';
import type { ChangeSet } from '../sync/changeSet';
import { decodeCommit, encodeCommit, type CommitNotice } from './commitCodec';

export const RELAY_HEADER = 'Parley-Relay';
const KEY = /^[A-Za-z0-9_-]{1,64}$/;

export type BusKind = 'commits' | 'presence';
export type BusStatus = 'disconnected' | 'reconnected';

/** Why the bus could not start: a sentence for the operator (NATS_URL, orgKey). */
export class ClusterBusError extends Error {
  override readonly name = 'ClusterBusError';
}

export interface ClusterBusOptions {
  /** NATS_URL: one server or several, comma-separated (`nats://10.0.0.5:4222,nats://10.0.0.6:4222`) */
  url: string;
  /** names the organisation's subjects: letters, digits, `-`, `_` */
  orgKey: string;
  /** this relay's id, unique among the organisation's relays (a uuid per process start) */
  relayId: string;
  /** wait between reconnect attempts (default 1,000 ms) */
  reconnectWaitMs?: number;
  /** give up connecting at start after this (default 5,000 ms) */
  connectTimeoutMs?: number;
  log?: (message: string, e?: unknown) => void;
}

/** What the bus counts (metrics, tests). */
export interface BusStats {
  published: number;
  publishFailed: number;
  received: number;
  /** messages refused as malformed */
  refused: number;
  disconnects: number;
  reconnects: number;
}

type Outgoing = { kind: 'commits'; changes: ChangeSet; prev: number } | { kind: BusKind; data: Uint8Array };

export class ClusterBus {
  readonly stats: BusStats = { published: 0, publishFailed: 0, received: 0, refused: 0, disconnects: 0, reconnects: 0 };
  private readonly subjects: Record<BusKind, string>;
  private readonly handlers: Record<BusKind, ((data: Uint8Array, from: string) => void)[]> = { commits: [], presence: [] };
  private readonly statusFns: ((s: BusStatus) => void)[] = [];
  private readonly subs: Subscription[] = [];
  private readonly hdrs: MsgHdrs;
  private outbox: Outgoing[] = [];
  private flushing: NodeJS.Immediate | null = null;
  private isConnected = true;
  private closing: Promise<void> | null = null;
  private readonly log: (message: string, e?: unknown) => void;

  private constructor(
    private readonly nc: NatsConnection,
    readonly relayId: string,
    orgKey: string,
    log: ((message: string, e?: unknown) => void) | undefined,
  ) {
    this.log = log ?? (() => undefined);
    this.subjects = { commits: `parley.${orgKey}.commits`, presence: `parley.${orgKey}.presence` };
    this.hdrs = headers();
    this.hdrs.set(RELAY_HEADER, relayId);
    for (const kind of ['commits', 'presence'] as const) {
      this.subs.push(nc.subscribe(this.subjects[kind], { callback: (err, msg) => (err ? this.log(`cluster: subscription to ${kind} failed`, err) : this.onMessage(kind, msg)) }));
    }
    void this.watch();
  }

  /** Connects (and subscribes); a server that cannot be reached is a ClusterBusError. */
  static async connect(o: ClusterBusOptions): Promise<ClusterBus> {
    if (!KEY.test(o.orgKey)) throw new ClusterBusError(`the organisation key "${o.orgKey.slice(0, 80)}" may hold only letters, digits, "-" and "_" (at most 64)`);
    if (!KEY.test(o.relayId)) throw new ClusterBusError(`the relay id "${o.relayId.slice(0, 80)}" may hold only letters, digits, "-" and "_" (at most 64)`);
    const servers = o.url
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    if (servers.length === 0) throw new ClusterBusError('NATS_URL is empty: give the NATS server, for example nats://127.0.0.1:4222');
    let nc: NatsConnection;
    try {
      nc = await connect({
        servers,
        name: `parley-relay ${o.relayId}`,
        reconnect: true,
        maxReconnectAttempts: -1,
        reconnectTimeWait: o.reconnectWaitMs ?? 1000,
        timeout: o.connectTimeoutMs ?? 5000,
        pingInterval: 10_000,
        maxPingOut: 2,
      });
    } catch (e) {
      const why = e instanceof Error ? e.message : String(e);
      throw new ClusterBusError(`cannot reach NATS at ${servers.join(', ')} (${why}): start the NATS server or correct NATS_URL; the relays of one organisation share commits and presence through it`);
    }
    const bus = new ClusterBus(nc, o.relayId, o.orgKey, o.log);
    // one round trip: the server has our subscriptions before the first message is published to us
    try {
      await nc.flush();
    } catch (e) {
      await bus.close();
      throw new ClusterBusError(`NATS at ${servers.join(', ')} did not confirm this relay's subscriptions (${e instanceof Error ? e.message : String(e)})`);
    }
    return bus;
  }

  /** false while NATS is unreachable (the relay serves its own sockets meanwhile) */
  get connected(): boolean {
    return this.isConnected && !this.closing;
  }

  subject(kind: BusKind): string {
    return this.subjects[kind];
  }

  /** Publishes a committed change set to the other relays; returns at once, never throws. */
  publishCommit(changes: ChangeSet, prev: number): void {
    this.enqueue({ kind: 'commits', changes, prev });
  }

  /** Commit notices from the other relays, validated (a malformed one is logged and dropped). */
  onCommit(fn: (notice: CommitNotice, from: string) => void): void {
    this.handlers.commits.push((data, from) => {
      const d = decodeCommit(data);
      if (!d.ok) {
        this.stats.refused++;
        return this.log(`cluster: commit notice from relay ${from} refused: ${d.error}`);
      }
      fn(d.notice, from);
    });
  }

  /** Raw bytes on a subject (the presence bus encodes and validates its own messages). */
  publish(kind: BusKind, data: Uint8Array): void {
    this.enqueue({ kind, data });
  }

  subscribe(kind: BusKind, fn: (data: Uint8Array, from: string) => void): void {
    this.handlers[kind].push(fn);
  }

  /** The connection was lost, or came back. */
  onStatus(fn: (s: BusStatus) => void): void {
    this.statusFns.push(fn);
  }

  /** Sends what is queued, unsubscribes and closes (drain); at most `timeoutMs`, then closed anyway. */
  close(timeoutMs = 2000): Promise<void> {
    this.closing ??= (async () => {
      this.flush();
      let timer: NodeJS.Timeout | undefined;
      try {
        await Promise.race([this.nc.drain(), new Promise<void>((r) => (timer = setTimeout(r, timeoutMs)))]);
      } catch (e) {
        this.log('cluster: draining the NATS connection failed', e);
      } finally {
        clearTimeout(timer);
        if (!this.nc.isClosed()) await this.nc.close();
      }
    })();
    return this.closing;
  }

  private enqueue(o: Outgoing): void {
    if (this.closing) return;
    this.outbox.push(o);
    this.flushing ??= setImmediate(() => this.flush());
  }

  private flush(): void {
    if (this.flushing) clearImmediate(this.flushing);
    this.flushing = null;
    const out = this.outbox;
    this.outbox = [];
    for (const o of out) {
      try {
        const data = 'changes' in o ? encodeCommit(o.changes, o.prev) : o.data;
        this.nc.publish(this.subjects[o.kind], data, { headers: this.hdrs });
        this.stats.published++;
      } catch (e) {
        // closed, or the reconnect buffer is full: the receivers see a gap and catch up
        this.stats.publishFailed++;
        this.log(`cluster: publishing to ${o.kind} failed`, e);
      }
    }
  }

  private onMessage(kind: BusKind, msg: Msg): void {
    const from = msg.headers?.get(RELAY_HEADER) ?? '';
    if (from === this.relayId) return;
    if (!from) {
      this.stats.refused++;
      return this.log(`cluster: a ${kind} message without ${RELAY_HEADER} header refused`);
    }
    this.stats.received++;
    for (const fn of this.handlers[kind]) {
      try {
        fn(msg.data, from);
      } catch (e) {
        this.log(`cluster: handling a ${kind} message failed`, e);
      }
    }
  }

  private status(st: BusStatus): void {
    for (const fn of this.statusFns) {
      try {
        fn(st);
      } catch (e) {
        this.log('cluster: status listener failed', e);
      }
    }
  }

  private async watch(): Promise<void> {
    for await (const s of this.nc.status()) {
      const where = typeof s.data === 'string' ? s.data : '';
      if (s.type === Events.Disconnect && this.isConnected) {
        this.isConnected = false;
        this.stats.disconnects++;
        this.log(`cluster: NATS connection to ${where} lost: serving this relay's sockets alone, reconnecting`);
        this.status('disconnected');
      } else if (s.type === Events.Reconnect) {
        this.isConnected = true;
        this.stats.reconnects++;
        this.log(`cluster: NATS connection back (${where})`);
        this.status('reconnected');
      }
    }
  }
}
