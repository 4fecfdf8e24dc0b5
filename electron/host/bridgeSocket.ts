// The bridge over a local WebSocket at /bridge: only a page that knows the per-launch
// secret and comes from our own origin may connect; every frame is validated before it
// reaches the core, and core events are pushed to every connected page.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Bridge, BridgeEvent } from '../../shared/bridge';
import { dispatchBridgeRequest, type BridgeEventFrame, type BridgeResponse } from '../../shared/bridgeWire';

export interface BridgeSocketOptions {
  bridge: Bridge;
  secret: string;
  /** exact Origin values a page may have, e.g. http://127.0.0.1:5173 */
  allowedOrigins: () => string[];
}

/** Constant-time string comparison (hashing first makes lengths equal). */
export function secretsMatch(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

function reject(socket: Duplex, status: number, text: string): void {
  socket.write(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  socket.destroy();
}

/** Whether an upgrade request may open the bridge; returns the refusal status or null. */
export function checkUpgrade(req: IncomingMessage, secret: string, allowedOrigins: string[]): number | null {
  const url = new URL(req.url ?? '/', 'http://x');
  if (url.pathname !== '/bridge') return 404;
  const origin = req.headers.origin;
  if (!origin || !allowedOrigins.includes(origin)) return 403;
  const given = url.searchParams.get('secret') ?? '';
  if (!secretsMatch(given, secret)) return 401;
  return null;
}

export function attachBridgeSocket(server: Server, opts: BridgeSocketOptions): { close(): Promise<void> } {
  // 32 MB: an attachment upload travels base64-encoded inside one request.
  const wss = new WebSocketServer({ noServer: true, maxPayload: 32 * 1024 * 1024 });
  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    const refused = checkUpgrade(req, opts.secret, opts.allowedOrigins());
    if (refused === 404) return reject(socket, 404, 'Not Found');
    if (refused === 403) return reject(socket, 403, 'Forbidden');
    if (refused === 401) return reject(socket, 401, 'Unauthorized');
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  };
  server.on('upgrade', onUpgrade);

  const sendJson = (ws: WebSocket, frame: BridgeResponse | BridgeEventFrame): void => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(frame));
  };

  const unsubscribe = opts.bridge.subscribe((event: BridgeEvent) => {
    for (const ws of wss.clients) sendJson(ws, { event });
  });

  wss.on('connection', (ws: WebSocket) => {
    ws.on('message', (data, isBinary) => {
      if (isBinary) return sendJson(ws, { id: -1, ok: false, error: { code: 'bad_request', message: 'Binary frames are not accepted' } });
      let raw: unknown;
      try {
        const text = Array.isArray(data) ? Buffer.concat(data).toString('utf8') : Buffer.isBuffer(data) ? data.toString('utf8') : Buffer.from(new Uint8Array(data)).toString('utf8');
        raw = JSON.parse(text);
      } catch {
        return sendJson(ws, { id: -1, ok: false, error: { code: 'bad_request', message: 'Malformed JSON' } });
      }
      void dispatchBridgeRequest(opts.bridge, raw).then((res) => sendJson(ws, res));
    });
    ws.on('error', () => ws.terminate());
  });

  return {
    close: () =>
      new Promise<void>((done) => {
        unsubscribe();
        server.off('upgrade', onUpgrade);
        for (const ws of wss.clients) ws.terminate();
        wss.close(() => done());
      }),
  };
}
