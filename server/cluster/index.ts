// Several relays, one organisation (issue 15): the factory the relay calls when NATS_URL is set.
// It joins the NATS bus, and puts every commit — this relay's own and the others' — through one
// CommitSequencer, so the hub pokes its sockets in version order with no gaps:
//
//   engine.onCommit ──▶ cluster.commit(c) ──▶ bus (to the others)      bus (from the others)
//                                        └──▶ sequencer ◀──────────────────────┘
//                                                 │ in order          │ gap / big / overflow
//                                        hub.applyCommit(c)      hub.catchUpLive(from, to)
//
// The hub's own fan-out then runs from the sequencer's `deliver`, not from engine.onCommit
// directly. Presence: `cluster.presence` is the hub's `presenceBus`, with `relayId` as the hub's
// presence source. Wired in server/relay.ts when NATS_URL is set (docs/SCALING.md "Wiring");
// this module starts nothing by itself.
import { randomUUID } from 'node:crypto';
import type { Commit } from '../sync/engine';
import { ClusterBus, type ClusterBusOptions } from './bus';
import { NatsPresenceBus, type NatsPresenceOptions } from './presenceBus';
import { CommitSequencer, type SequencedCommit } from './sequencer';

export { ClusterBus, ClusterBusError } from './bus';
export { NatsPresenceBus } from './presenceBus';
export { CommitSequencer } from './sequencer';

/** A commit handed to the hub, in order; `remote`: committed by another relay (no effects, no pusher). */
export interface OrderedCommit {
  commit: Commit;
  remote: boolean;
}

export interface ClusterOptions {
  /** NATS_URL */
  natsUrl: string;
  /** the organisation's key (its subjects' middle part): letters, digits, `-`, `_` */
  orgKey: string;
  /** this relay's id (default: a fresh uuid); the hub's presence `relayId` must be the same */
  relayId?: string;
  /** the organisation's committed version in the database (start point; polled for lost notices) */
  currentVersion(): Promise<number> | number;
  /** the hub fans one commit out to its sockets; called strictly in version order */
  deliver(c: OrderedCommit): void;
  /** the hub catches every live socket up from the database, from its cookie to at least `to` */
  catchUp(from: number, to: number): Promise<void> | void;
  /** a gap is waited for this long before it is caught up (default 250 ms) */
  gapMs?: number;
  /** commits waiting behind a gap before a catch-up (default 1,000) */
  maxBuffered?: number;
  /** the database version is read this often to notice a lost last notice (default 5,000 ms) */
  pollMs?: number;
  presence?: NatsPresenceOptions;
  reconnectWaitMs?: number;
  connectTimeoutMs?: number;
  log?: (message: string, e?: unknown) => void;
}

export interface Cluster {
  readonly relayId: string;
  readonly bus: ClusterBus;
  /** the hub's presenceBus */
  readonly presence: NatsPresenceBus;
  readonly sequencer: CommitSequencer<OrderedCommit>;
  /**
   * Every commit of this relay's engine (engine.onCommit): published to the other relays and
   * delivered here in order. `prev`: the version before it (default version - 1). A commit that
   * wrote nothing (version 0) is neither published nor delivered.
   */
  commit(c: Commit, prev?: number): void;
  /** Says goodbye on presence, stops, drains the NATS connection. */
  close(): Promise<void>;
}

/** Joins the organisation's relays; a NATS server unreachable now is a ClusterBusError (a sentence). */
export async function startCluster(o: ClusterOptions): Promise<Cluster> {
  const relayId = o.relayId ?? randomUUID();
  const log = o.log ?? (() => undefined);
  const busOpts: ClusterBusOptions = { url: o.natsUrl, orgKey: o.orgKey, relayId, log };
  if (o.reconnectWaitMs !== undefined) busOpts.reconnectWaitMs = o.reconnectWaitMs;
  if (o.connectTimeoutMs !== undefined) busOpts.connectTimeoutMs = o.connectTimeoutMs;
  const bus = await ClusterBus.connect(busOpts);
  // subscribed before the start version is read: nothing committed after it can be missed
  const pending: SequencedCommit<OrderedCommit>[] = [];
  let sequencer: CommitSequencer<OrderedCommit> | null = null;
  const take = (c: SequencedCommit<OrderedCommit>) => (sequencer ? sequencer.push(c) : pending.push(c));
  bus.onCommit((n) => take({ prev: n.prev, version: n.version, payload: n.big ? null : { commit: { changes: n.changes, effects: [] }, remote: true } }));
  let start: number;
  try {
    start = await o.currentVersion();
  } catch (e) {
    await bus.close();
    throw e;
  }
  const seq = new CommitSequencer<OrderedCommit>({
    start,
    deliver: (c) => o.deliver(c.payload),
    catchUp: (from, to) => o.catchUp(from, to),
    ...(o.gapMs !== undefined ? { gapMs: o.gapMs } : {}),
    ...(o.maxBuffered !== undefined ? { maxBuffered: o.maxBuffered } : {}),
    onError: (e) => log('cluster: delivering a commit or catching up from the database failed', e),
  });
  sequencer = seq;
  for (const c of pending.splice(0)) seq.push(c);
  const presence = new NatsPresenceBus(bus, { log, ...o.presence });

  let polling = false;
  const poll = async () => {
    if (polling) return;
    polling = true;
    try {
      seq.known(await o.currentVersion());
    } catch (e) {
      log('cluster: reading the database version failed', e);
    } finally {
      polling = false;
    }
  };
  const timer = setInterval(() => void poll(), o.pollMs ?? 5000);
  timer.unref();
  // back after an outage: what the others committed meanwhile is caught up (the notices are lost)
  bus.onStatus((s) => {
    if (s === 'reconnected') void poll();
  });

  return {
    relayId,
    bus,
    presence,
    sequencer: seq,
    commit(c, prev) {
      const v = c.changes.version;
      if (v <= 0) return;
      const before = prev ?? v - 1;
      bus.publishCommit(c.changes, before);
      seq.push({ prev: before, version: v, payload: { commit: c, remote: false } });
    },
    async close() {
      clearInterval(timer);
      presence.close(true);
      seq.close();
      await bus.close();
    },
  };
}
