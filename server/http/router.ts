// A small router over node:http: JSON helpers, body limits, Bearer auth, JSON errors.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HttpErrorBody } from '../../shared/http';

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** answer with `Connection: close` (the request body was not read to its end) */
    readonly close = false,
  ) {
    super(message);
  }
}

/** An oversized body is read and dropped up to this much so the client sees its 413, not a reset. */
const DRAIN_CAP = 32 * 1024 * 1024;

export interface Ctx {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  params: string[];
}
export type Handler = (ctx: Ctx) => Promise<void> | void;

interface Route {
  method: string;
  pattern: RegExp;
  handler: Handler;
}

export class Router {
  private readonly routes: Route[] = [];

  on(method: string, pattern: RegExp, handler: Handler): this {
    this.routes.push({ method, pattern, handler });
    return this;
  }

  async handle(req: IncomingMessage, res: ServerResponse, log: (m: string, e?: unknown) => void): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://relay.local');
    try {
      let pathMatched = false;
      for (const r of this.routes) {
        const m = r.pattern.exec(url.pathname);
        if (!m) continue;
        pathMatched = true;
        if (r.method !== req.method && r.method !== '*') continue;
        await r.handler({ req, res, url, params: m.slice(1).map((p) => decodeURIComponent(p)) });
        return;
      }
      throw pathMatched ? new HttpError(405, 'method_not_allowed', 'method not allowed') : new HttpError(404, 'not_found', 'no such endpoint');
    } catch (e) {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      if (e instanceof HttpError) {
        if (e.close) res.setHeader('connection', 'close');
        return sendError(res, e.status, e.code, e.message);
      }
      log(`relay: ${req.method ?? ''} ${url.pathname} failed`, e);
      sendError(res, 500, 'internal', 'internal error');
    }
  }
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const data = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(data) });
  res.end(data);
}

export function sendError(res: ServerResponse, status: number, code: string, message: string): void {
  sendJson(res, status, { error: { code, message } } satisfies HttpErrorBody);
}

export async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const tooLarge = () => new HttpError(413, 'too_large', `body larger than ${limit} bytes`, true);
  // declared beyond what we are willing to read at all: answer at once and close
  const declared = Number(req.headers['content-length'] ?? '0');
  if (declared > DRAIN_CAP) throw tooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    // Too large: keep reading and dropping it, so a client that sends its whole body before
    // reading (no Expect: 100-continue) gets the 413, not a reset that loses it. Beyond the cap: cut.
    if (size > limit) {
      if (size > DRAIN_CAP) throw tooLarge();
      chunks.length = 0;
      continue;
    }
    chunks.push(chunk);
  }
  if (size > limit) throw new HttpError(413, 'too_large', `body larger than ${limit} bytes`); // read to its end: keep-alive is fine
  return Buffer.concat(chunks);
}

/** Parses a JSON body and validates it with a zod-like schema. */
export async function readJson<T>(req: IncomingMessage, schema: { safeParse(v: unknown): { success: true; data: T } | { success: false; error: { message: string } } }, limit = 64 * 1024): Promise<T> {
  const buf = await readBody(req, limit);
  let v: unknown;
  try {
    v = JSON.parse(buf.toString('utf8') || 'null');
  } catch {
    throw new HttpError(400, 'bad_json', 'body is not valid JSON');
  }
  const r = schema.safeParse(v);
  if (!r.success) throw new HttpError(400, 'invalid', r.error.message);
  return r.data;
}

export function bearer(req: IncomingMessage): string {
  const h = req.headers.authorization ?? '';
  const m = /^Bearer\s+(.+)$/i.exec(h);
  if (!m?.[1]) throw new HttpError(401, 'unauthorized', 'missing Bearer token');
  return m[1];
}

export function clientIp(req: IncomingMessage): string {
  return req.socket.remoteAddress ?? 'unknown';
}
