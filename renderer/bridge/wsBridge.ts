// The renderer side of the browser host's bridge: one WebSocket to
// ws://<page host>/bridge?secret=S carrying shared/bridgeWire.ts frames.
// Requests wait while the socket is (re)connecting; requests in flight when it drops
// are failed (not re-sent: a mutation must never run twice); reconnects back off.
import type { Bridge, BridgeEvent, CommandName, QueryName } from '../../shared/bridge';
import type { BridgeRequest } from '../../shared/bridgeWire';
import type { MutationName } from '../../shared/mutators/args';
import { BridgeError } from './errors';

/** Subset of the DOM WebSocket we use, so tests can pass the `ws` package's class. */
export interface SocketLike {
  readyState: number;
  send(data: string): void;
  close(): void;
  onopen: ((ev: unknown) => void) | null;
  onclose: ((ev: unknown) => void) | null;
  onerror: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
}
export type SocketFactory = (url: string) => SocketLike;

export type HostConnection = 'connecting' | 'open' | 'closed';

export interface WsBridge extends Bridge {
  close(): void;
  connection(): HostConnection;
  onConnection(listener: (c: HostConnection) => void): () => void;
}

interface Waiting {
  resolve(v: unknown): void;
  reject(e: unknown): void;
}

const OPEN = 1;

export function createWsBridge(url: string, factory: SocketFactory, opts: { maxBackoffMs?: number } = {}): WsBridge {
  const maxBackoff = opts.maxBackoffMs ?? 5000;
  let socket: SocketLike | null = null;
  let state: HostConnection = 'connecting';
  let closed = false;
  let attempt = 0;
  let everOpened = false;
  let nextId = 1;
  const inFlight = new Map<number, Waiting>();
  const queue: BridgeRequest[] = [];
  const listeners = new Set<(e: BridgeEvent) => void>();
  const connListeners = new Set<(c: HostConnection) => void>();

  const setState = (s: HostConnection) => {
    if (s === state) return;
    state = s;
    for (const l of connListeners) l(s);
  };

  const onFrame = (raw: unknown) => {
    if (typeof raw !== 'string') return;
    let msg: unknown;
    try {
      msg = JSON.parse(raw);
    } catch {
      return;
    }
    if (typeof msg !== 'object' || msg === null) return;
    if ('event' in msg) {
      const ev = (msg as { event: BridgeEvent }).event;
      for (const l of listeners) l(ev);
      return;
    }
    const r = msg as { id?: unknown; ok?: unknown; result?: unknown; error?: { code?: unknown; message?: unknown } };
    if (typeof r.id !== 'number') return;
    const w = inFlight.get(r.id);
    if (!w) return;
    inFlight.delete(r.id);
    if (r.ok === true) w.resolve(r.result);
    else {
      const code = typeof r.error?.code === 'string' ? r.error.code : 'error';
      const message = typeof r.error?.message === 'string' ? r.error.message : 'The request failed';
      w.reject(new BridgeError(code, message));
    }
  };

  const connect = () => {
    if (closed) return;
    setState('connecting');
    const s = factory(url);
    socket = s;
    s.onopen = () => {
      attempt = 0;
      setState('open');
      while (queue.length > 0 && s.readyState === OPEN) s.send(JSON.stringify(queue.shift()));
      if (everOpened) {
        // the host may have changed anything while we were away: refetch everything
        for (const l of listeners) l({ type: 'changed', tables: [], ids: [] });
      }
      everOpened = true;
    };
    s.onmessage = (ev) => onFrame(ev.data);
    s.onerror = () => undefined;
    s.onclose = () => {
      if (socket !== s) return;
      socket = null;
      for (const [id, w] of inFlight) {
        inFlight.delete(id);
        w.reject(new BridgeError('disconnected', 'Lost the connection to Parley; please try again.'));
      }
      if (closed) return setState('closed');
      setState('closed');
      const delay = Math.min(maxBackoff, 200 * 2 ** attempt++);
      setTimeout(connect, delay);
    };
  };

  const request = (kind: BridgeRequest['kind'], name: string, args: unknown): Promise<unknown> =>
    new Promise((resolve, reject) => {
      if (closed) return reject(new BridgeError('closed', 'The bridge is closed'));
      const req: BridgeRequest = { id: nextId++, kind, name, args };
      inFlight.set(req.id, { resolve, reject });
      if (socket && socket.readyState === OPEN) socket.send(JSON.stringify(req));
      else queue.push(req);
    });

  connect();

  return {
    query: (name: QueryName, args) => request('query', name, args) as never,
    command: (name: CommandName, args) => request('command', name, args) as never,
    mutate: (name: MutationName, args) => request('mutate', name, args) as never,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close() {
      closed = true;
      socket?.close();
    },
    connection: () => state,
    onConnection(l) {
      connListeners.add(l);
      return () => connListeners.delete(l);
    },
  };
}
