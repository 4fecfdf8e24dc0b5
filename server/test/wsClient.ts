// A sync client for tests: connects, says hello, pushes mutations, awaits frames and
// keeps a replica-like map of the rows it was poked (applying dels, then puts).
import { WebSocket } from 'ws';
import { uuidv7 } from 'uuidv7';
import { downFrame, PROTOCOL_VERSION, type DownFrame, type PokeFrame } from '../../shared/protocol/index';
import { scopeOf } from '../../shared/scopes';
import type { RowOf, TableName } from '../../shared/schema';
import type { MutationResult } from '../../shared/protocol/pushResult';

type FrameOf<T extends DownFrame['type']> = Extract<DownFrame, { type: T }>;

export interface WsClientOptions {
  clientId?: string;
  cookie?: number | null;
  lastMutationId?: number;
  /** send hello at once (default true) */
  hello?: boolean;
  /** the replica to continue from (a reconnect with a cookie) */
  rows?: Map<TableName, Map<string, Record<string, unknown>>>;
}

export class WsTestClient {
  readonly frames: DownFrame[] = [];
  /** table → id → row */
  readonly rows = new Map<TableName, Map<string, Record<string, unknown>>>();
  cookie: number | null;
  lastMutationId: number;
  nextMutationId: number;
  closed: { code: number; reason: string } | null = null;
  private waiters: { pred: (f: DownFrame) => boolean; resolve: (f: DownFrame) => void }[] = [];
  private closeWaiters: ((c: { code: number; reason: string }) => void)[] = [];
  private cursor = 0;

  private constructor(
    readonly ws: WebSocket,
    readonly clientId: string,
    cookie: number | null,
    lastMutationId: number,
  ) {
    this.cookie = cookie;
    this.lastMutationId = lastMutationId;
    this.nextMutationId = lastMutationId + 1;
    ws.on('message', (data: Buffer) => this.onFrame(JSON.parse(data.toString('utf8')) as unknown));
    ws.on('close', (code, reason) => {
      this.closed = { code, reason: reason.toString() };
      for (const w of this.closeWaiters) w(this.closed);
      this.closeWaiters = [];
    });
  }

  static async connect(wsUrl: string, token: string, opts: WsClientOptions = {}): Promise<WsTestClient> {
    const ws = new WebSocket(wsUrl);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    const c = new WsTestClient(ws, opts.clientId ?? uuidv7(), opts.cookie ?? null, opts.lastMutationId ?? 0);
    for (const [t, m] of opts.rows ?? []) c.rows.set(t, new Map(m));
    if (opts.hello !== false) c.hello(token);
    return c;
  }

  /** Connects, says hello and waits for the complete catch-up poke. */
  static async synced(wsUrl: string, token: string, opts: WsClientOptions = {}): Promise<WsTestClient> {
    const c = await WsTestClient.connect(wsUrl, token, opts);
    await c.waitFor('welcome');
    await c.waitForPokeEnd();
    return c;
  }

  hello(token: string, protocolVersion = PROTOCOL_VERSION): void {
    this.sendRaw(JSON.stringify({ type: 'hello', protocolVersion, clientId: this.clientId, token, cookie: this.cookie, lastMutationId: this.lastMutationId }));
  }

  sendRaw(data: string | Buffer): void {
    this.ws.send(data);
  }

  /** Pushes mutations numbered from nextMutationId; returns their ids. */
  push(...mutations: { name: string; args: unknown }[]): number[] {
    const ms = mutations.map((m) => ({ id: this.nextMutationId++, name: m.name, args: m.args }));
    this.sendRaw(JSON.stringify({ type: 'push', mutations: ms }));
    return ms.map((m) => m.id);
  }

  /** Pushes one mutation and waits for its result and the poke that covers it. */
  async mutate(name: string, args: unknown): Promise<MutationResult> {
    const [id] = this.push({ name, args });
    const r = await this.waitFor('pushResult', (f) => f.results.some((x) => x.id === id));
    await this.waitFor('poke', (f) => f.lastMutationId >= (id as number) && !f.more);
    return r.results.find((x) => x.id === id) as MutationResult;
  }

  /**
   * Resolves with the next matching frame after the last frame an earlier wait returned
   * (a cursor: frames before it are not searched again). `pred` may also just inspect the
   * replica (`() => c.row(...)?.status === 'sent'`).
   */
  waitFor<T extends DownFrame['type']>(type: T, pred: (f: FrameOf<T>) => boolean = () => true, timeoutMs = 10_000): Promise<FrameOf<T>> {
    const match = (f: DownFrame) => f.type === type && pred(f as FrameOf<T>);
    for (let i = this.cursor; i < this.frames.length; i++) {
      const f = this.frames[i] as DownFrame;
      if (match(f)) {
        this.cursor = i + 1;
        return Promise.resolve(f as FrameOf<T>);
      }
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${type}; got ${this.frames.map((f) => f.type).join(',')}`)), timeoutMs);
      this.waiters.push({
        pred: match,
        resolve: (f) => {
          clearTimeout(timer);
          this.cursor = this.frames.indexOf(f) + 1;
          resolve(f as FrameOf<T>);
        },
      });
    });
  }

  waitForPokeEnd(): Promise<PokeFrame> {
    return this.waitFor('poke', (f) => !f.more);
  }

  waitForClose(timeoutMs = 10_000): Promise<{ code: number; reason: string }> {
    if (this.closed) return Promise.resolve(this.closed);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('timed out waiting for close')), timeoutMs);
      this.closeWaiters.push((c) => {
        clearTimeout(timer);
        resolve(c);
      });
    });
  }

  /** Forgets the frames received so far (long runs, benchmarks); rows stay. */
  clear(): void {
    this.frames.length = 0;
    this.cursor = 0;
  }

  /** Frames of a type received so far. */
  all<T extends DownFrame['type']>(type: T): FrameOf<T>[] {
    return this.frames.filter((f) => f.type === type) as FrameOf<T>[];
  }

  row<T extends TableName>(t: T, id: string): RowOf<T> | undefined {
    return this.rows.get(t)?.get(id) as RowOf<T> | undefined;
  }

  table<T extends TableName>(t: T): RowOf<T>[] {
    return [...(this.rows.get(t)?.values() ?? [])] as RowOf<T>[];
  }

  close(): Promise<void> {
    if (this.closed) return Promise.resolve();
    const done = this.waitForClose().then(() => undefined);
    this.ws.close();
    return done;
  }

  private onFrame(raw: unknown): void {
    const parsed = downFrame.safeParse(raw);
    if (!parsed.success) throw new Error(`relay sent an invalid frame: ${JSON.stringify(raw).slice(0, 300)}`);
    const f = parsed.data;
    this.frames.push(f);
    if (f.type === 'reset') this.rows.clear();
    if (f.type === 'poke') this.applyPoke(f);
    if (f.type === 'welcome') this.lastMutationId = f.lastMutationId;
    for (const w of [...this.waiters]) {
      if (w.pred(f)) {
        this.waiters.splice(this.waiters.indexOf(w), 1);
        w.resolve(f);
        break;
      }
    }
  }

  private applyPoke(p: PokeFrame): void {
    for (const d of p.dels) {
      if ('scope' in d) {
        for (const [t, m] of this.rows) for (const [id, r] of m) if (scopeOf(t, r as RowOf<TableName>) === d.scope) m.delete(id);
      } else this.rows.get(d.t)?.delete(d.id);
    }
    for (const put of p.puts) {
      let m = this.rows.get(put.t);
      if (!m) this.rows.set(put.t, (m = new Map<string, Record<string, unknown>>()));
      m.set(String(put.r.id), put.r);
    }
    this.lastMutationId = p.lastMutationId;
    if (!p.more) this.cookie = p.cookie;
  }
}
