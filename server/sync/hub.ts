// The sync endpoint: parses and validates every frame, authenticates hello, sends
// catch-up, runs pushes, and fans every commit out to the connected clients.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket, type RawData } from 'ws';
import { MAX_FRAME_BYTES, MIN_PROTOCOL_VERSION, PROTOCOL_VERSION, upFrame, type HelloFrame, type PushFrame } from '../../shared/protocol/index';
import type { MutationResult } from '../../shared/protocol/pushResult';
import type { TokenService } from '../auth/tokens';
import { catchUp } from './catchup';
import { Connection } from './connection';
import type { Commit, Engine } from './engine';
import { fanOut } from './fanout';
import { PokeBuilder } from './pokeBuilder';
import { loadViewer } from './visibility';

const KNOWN_FRAMES = new Set(['hello', 'push', 'ping']);
const HEARTBEAT_MS = 30_000;

export class SyncHub {
  private readonly wss: WebSocketServer;
  private readonly conns = new Set<Connection>();
  private readonly alive = new WeakMap<WebSocket, boolean>();
  /** WebSocket-level pings find sockets whose peer vanished without a close (sleep, network loss). */
  private readonly heartbeat: NodeJS.Timeout;

  constructor(
    private readonly engine: Engine,
    private readonly tokens: TokenService,
    private readonly log: (msg: string, err?: unknown) => void,
  ) {
    this.wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES });
    engine.onCommit((c) => this.onCommit(c));
    this.heartbeat = setInterval(() => this.beat(), HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  private beat(): void {
    for (const c of this.conns) {
      if (this.alive.get(c.ws) === false) {
        c.ws.terminate();
        continue;
      }
      this.alive.set(c.ws, false);
      c.ws.ping();
    }
  }

  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws));
  }

  get connectionCount(): number {
    return this.conns.size;
  }

  /** Closes every socket of a user at once (deactivation). */
  disconnectUser(userId: string, code: 'deactivated' | 'unauthorized', message: string): void {
    for (const c of this.conns) if (c.userId === userId) c.fail(code, message, true);
  }

  async close(): Promise<void> {
    clearInterval(this.heartbeat);
    for (const c of this.conns) {
      c.clearExpiry();
      c.ws.terminate();
    }
    await new Promise<void>((r) => this.wss.close(() => r()));
  }

  private accept(ws: WebSocket): void {
    const conn = new Connection(ws);
    this.conns.add(conn);
    this.alive.set(ws, true);
    ws.on('pong', () => this.alive.set(ws, true));
    ws.on('message', (data: RawData, isBinary: boolean) => {
      conn.chain = conn.chain.then(() => this.onMessage(conn, data, isBinary)).catch((e: unknown) => {
        this.log('relay: frame handling failed', e);
        conn.fail('internal', 'internal error');
      });
    });
    ws.on('close', () => {
      conn.state = 'closed';
      conn.clearExpiry();
      this.conns.delete(conn);
    });
    // ws reports oversized frames (maxPayload) and protocol violations here, then closes (1009/1002).
    ws.on('error', () => {
      conn.state = 'closed';
      conn.clearExpiry();
      this.conns.delete(conn);
    });
  }

  private async onMessage(conn: Connection, data: RawData, isBinary: boolean): Promise<void> {
    if (conn.state === 'closed') return;
    const buf = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
    if (isBinary) return conn.fail('bad_frame', 'frames are JSON text');
    let json: unknown;
    try {
      json = JSON.parse(buf.toString('utf8'));
    } catch {
      return conn.fail('bad_json', 'frame is not valid JSON');
    }
    const parsed = upFrame.safeParse(json);
    if (!parsed.success) {
      const type = (json as { type?: unknown } | null)?.type;
      if (typeof type === 'string' && !KNOWN_FRAMES.has(type)) return conn.fail('unknown_frame', `unknown frame type ${type.slice(0, 40)}`);
      return conn.fail('bad_frame', parsed.error.message.slice(0, 2000));
    }
    const frame = parsed.data;
    if (frame.type === 'ping') return conn.send({ type: 'pong', ...(frame.t !== undefined ? { t: frame.t } : {}) });
    if (frame.type === 'hello') return this.onHello(conn, frame);
    if (conn.state !== 'live') return conn.fail('not_hello', 'send hello first');
    this.onPush(conn, frame);
  }

  private async onHello(conn: Connection, hello: HelloFrame): Promise<void> {
    if (conn.state !== 'new') return conn.fail('bad_frame', 'hello was already received');
    if (hello.protocolVersion < MIN_PROTOCOL_VERSION) {
      return conn.fail('client_too_old', `this Parley is too old for this relay: update it (protocol ${MIN_PROTOCOL_VERSION} or newer)`, true, { minVersion: MIN_PROTOCOL_VERSION });
    }
    if (hello.protocolVersion > PROTOCOL_VERSION) {
      return conn.fail('protocol_version', `this relay speaks protocol ${MIN_PROTOCOL_VERSION} to ${PROTOCOL_VERSION}`, true, { maxVersion: PROTOCOL_VERSION });
    }
    conn.protocolVersion = hello.protocolVersion;
    conn.state = 'auth';
    const v = await this.tokens.verifyAccess(hello.token);
    if (conn.state !== 'auth') return; // closed meanwhile
    if (!v.ok) return conn.fail(v.code, v.code === 'token_expired' ? 'access token expired: refresh it' : 'invalid access token', true);
    const viewer = loadViewer(this.engine.store, v.userId);
    if (!viewer) return conn.fail('unauthorized', 'unknown user', true);
    if (!viewer.active) return conn.fail('deactivated', 'this account has been deactivated', true);
    const known = this.engine.client(hello.clientId);
    if (known && known.userId !== viewer.id) return conn.fail('unauthorized', 'clientId belongs to another user', true);
    this.engine.registerClient(hello.clientId, viewer.id);
    // From here to the end, synchronous: no commit can slip between catch-up and live fan-out.
    conn.state = 'live';
    conn.userId = viewer.id;
    conn.clientId = hello.clientId;
    conn.viewer = { id: viewer.id, role: viewer.role, groupIds: viewer.groupIds };
    conn.lastMutationId = known?.lastMutationId ?? 0;
    const version = this.engine.version();
    const orgName = this.engine.meta.get('orgName');
    // protocol 2: refusals the client may not have received (its pushResult lost with a connection)
    const rejected = hello.protocolVersion >= 2 && hello.handledUpTo !== undefined ? this.engine.pendingRejections(hello.clientId, hello.handledUpTo) : [];
    conn.send({
      type: 'welcome', userId: viewer.id, version, lastMutationId: conn.lastMutationId,
      ...(orgName ? { orgName } : {}),
      ...(rejected.length ? { rejected } : {}),
    });
    // The token is checked at hello; the socket lives only as long as the token does.
    if (v.expiresAt !== null) conn.expireAt(v.expiresAt);
    const cu = catchUp(this.engine, conn.viewer, hello.cookie);
    if (cu.reset) conn.send({ type: 'reset', reason: cu.reset });
    conn.sendPoke(cu.builder, cu.baseCookie, version);
  }

  private onPush(conn: Connection, push: PushFrame): void {
    const results: MutationResult[] = [];
    let orderError: string | null = null;
    conn.pushBuilder = new PokeBuilder();
    try {
      for (const m of push.mutations) {
        if (conn.state !== 'live') break;
        const viewer = conn.viewer;
        if (!viewer) break;
        const out = this.engine.runPushed(conn.clientId, { userId: viewer.id, role: viewer.role }, m);
        if (out.kind === 'order') {
          orderError = `mutation ${m.id} out of order: expected ${out.expected}`;
          break;
        }
        results.push(out.result);
        conn.lastMutationId = Math.max(conn.lastMutationId, m.id);
      }
    } finally {
      const b = conn.pushBuilder;
      conn.pushBuilder = null;
      if (results.length) conn.send({ type: 'pushResult', results });
      if (conn.state === 'live') conn.sendPoke(b, conn.cookie, this.engine.version());
      if (orderError) conn.fail('mutation_order', orderError);
    }
  }

  private onCommit(c: Commit): void {
    const cs = c.changes;
    const version = this.engine.version();
    for (const conn of this.conns) {
      if (conn.state !== 'live' || !conn.viewer) continue;
      const before = conn.viewer;
      let after = before;
      if (cs.viewerChanges.has(conn.userId)) {
        const v = loadViewer(this.engine.store, conn.userId);
        if (!v || !v.active) {
          conn.fail('deactivated', 'this account has been deactivated', true);
          continue;
        }
        after = { id: v.id, role: v.role, groupIds: v.groupIds };
        conn.viewer = after;
      }
      const b = conn.pushBuilder ?? new PokeBuilder();
      try {
        fanOut(this.engine.db, this.engine.store, cs, before, after, b);
      } catch (e) {
        this.log('relay: fan-out failed', e);
        continue;
      }
      if (!conn.pushBuilder && b.size > 0) conn.sendPoke(b, conn.cookie, version);
    }
  }
}
