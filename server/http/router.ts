// The relay's HTTP side on Fastify: routing, request ids, pino request logs, per-route body limits,
// a zod schema per route of the contract in shared/http (the body is parsed and validated before
// the handler runs), authentication before any body is read, and one error shape for every
// refusal (`{"error": {"code", "message"}}`, shared/http/errors.ts).
//
// Route modules keep their handlers and mount them here: `router.route(httpApi.x, handler)` for a
// route of the contract (method, path and request schema come from it), `router.on(method, path,
// handler)` for routes outside it (webhooks, payment pages, operator endpoints), whose bodies the
// handler reads itself with `readBody` (raw bytes: signatures, uploads).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { fastify, LogController, type FastifyInstance, type FastifyReply, type FastifyRequest, type RawServerDefault } from 'fastify';
import type { z } from 'zod';
import type { HttpErrorBody, HttpRoute } from '../../shared/http';
import { issuesSentence } from '../../shared/refusals';
import type { User } from '../../shared/schema';
import type { Logger } from '../log';

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
/** JSON bodies of contract routes, unless the route says otherwise */
export const JSON_BODY_LIMIT = 64 * 1024;
const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'] as const;
type Method = (typeof METHODS)[number];
/** routes an operator's probes and scrapers call every few seconds: logged at debug, not info */
const QUIET_ROUTES = new Set(['/health', '/ready', '/metrics']);

type Auth = 'user' | 'admin';
export interface RouteOptions<A extends Auth | undefined = undefined> {
  /** checked before the body is read: 401/403 never cost a body */
  auth?: A;
  /** JSON body limit of a contract route (raw routes pass their limit to readBody) */
  bodyLimit?: number;
}

export interface Ctx<B = unknown> {
  /** the raw request: headers, socket, and the body stream of raw routes */
  req: IncomingMessage;
  res: FastifyReply;
  url: URL;
  /** path parameters in the order of the path (`*` last) */
  params: string[];
  /** contract routes: the body, parsed and validated by the route's schema; raw routes: undefined */
  body: B;
  /** the request's logger (carries its `reqId`) */
  log: Logger;
}
export type AuthedCtx<B = unknown> = Ctx<B> & { user: User };
export type Handler<B = unknown, A extends Auth | undefined = undefined> = (ctx: A extends Auth ? AuthedCtx<B> : Ctx<B>) => Promise<void> | void;
type BodyOf<R extends HttpRoute> = R['request'] extends z.ZodType ? z.infer<R['request']> : undefined;

/** Authenticates a request (server/http/authUser.ts); set by the relay. */
export type Authenticate = (req: IncomingMessage, auth: Auth) => Promise<User>;

interface RouteConfig {
  /** the body is JSON for the route's schema: the content parser reads and parses it */
  json: boolean;
}

declare module 'fastify' {
  interface FastifyRequest {
    parleyUser: User | null;
  }
}

export interface RouterOptions {
  logger: Logger;
  authenticate: Authenticate;
  /** true once the relay is shutting down: requests other than probes get 503 */
  closing: () => boolean;
  /** every answered request, by route pattern (metrics) */
  observe?: (method: string, route: string, status: number, ms: number) => void;
}

export class Router {
  readonly app: FastifyInstance<RawServerDefault, IncomingMessage, ServerResponse, Logger>;
  /** methods mounted per path: the others answer 405 */
  private readonly methods = new Map<string, Set<Method>>();
  private sealed = false;

  constructor(private readonly opts: RouterOptions) {
    const app = fastify({
      loggerInstance: opts.logger,
      // one line per request, from onResponse below (route pattern, never the URL: ids, query strings)
      logController: new LogController({ disableRequestLogging: true }),
      genReqId: (req) => requestId(req),
      // Clients (fetch, proxies, load balancers) keep connections alive for a few seconds; the relay
      // keeps them longer, so a client never sends on a connection the relay is closing (ECONNRESET).
      keepAliveTimeout: 65_000,
      bodyLimit: JSON_BODY_LIMIT,
      exposeHeadRoutes: false,
      return503OnClosing: false,
      routerOptions: { maxParamLength: 256 },
    });
    app.server.headersTimeout = 66_000;
    app.decorateRequest('parleyUser', null);
    // One parser for every content type: contract JSON routes get their body read (drained when
    // too large, see readBody) and parsed; raw routes get the stream untouched for their handler.
    app.removeAllContentTypeParsers();
    app.addContentTypeParser('*', async (request: FastifyRequest) => {
      const config = request.routeOptions.config as Partial<RouteConfig>;
      if (!config.json) return undefined;
      return parseJson(await readBody(request.raw, request.routeOptions.bodyLimit ?? JSON_BODY_LIMIT));
    });
    // zod schemas validate bodies; a refusal is one readable line, not the validator's JSON
    app.setValidatorCompiler(({ schema }) => (data: unknown) => {
      const r = (schema as z.ZodType).safeParse(data);
      return r.success ? { value: r.data } : { error: new HttpError(400, 'invalid', issuesSentence(r.error.issues)) };
    });
    app.addHook('onRequest', async (request) => {
      if (opts.closing() && !QUIET_ROUTES.has(request.routeOptions.url ?? '')) throw new HttpError(503, 'not_ready', 'the relay is restarting: try again shortly');
    });
    app.addHook('onSend', async (request, reply) => {
      reply.header('x-request-id', request.id);
    });
    app.addHook('onResponse', async (request, reply) => {
      const route = request.routeOptions.url ?? '(no route)';
      const line = { method: request.method, route, status: reply.statusCode, ms: Math.round(reply.elapsedTime * 10) / 10 };
      opts.observe?.(request.method, route, reply.statusCode, reply.elapsedTime);
      if (QUIET_ROUTES.has(route)) request.log.debug(line, 'request');
      else request.log.info(line, 'request');
    });
    app.setNotFoundHandler(() => {
      throw new HttpError(404, 'not_found', 'no such endpoint');
    });
    app.setErrorHandler((e: Error & { statusCode?: number }, request, reply) => {
      if (e instanceof HttpError) {
        if (e.close) reply.header('connection', 'close');
        return sendError(reply, e.status, e.code, e.message);
      }
      const status = e.statusCode ?? 500;
      if (status >= 400 && status < 500) return sendError(reply, status, FRAMEWORK_CODES[status] ?? 'bad_request', e.message);
      request.log.error({ err: e }, 'request failed');
      return sendError(reply, 500, 'internal', 'internal error');
    });
    this.app = app;
  }

  /** A route of the contract (shared/http): its method and path; its JSON body validated by its schema. */
  route<R extends HttpRoute>(route: R, handler: Handler<BodyOf<R>>): this;
  route<R extends HttpRoute, A extends Auth | undefined>(route: R, o: RouteOptions<A>, handler: Handler<BodyOf<R>, A>): this;
  route(route: HttpRoute, a: RouteOptions<Auth | undefined> | Handler<unknown>, b?: Handler<unknown, Auth>): this {
    const [o, handler] = typeof a === 'function' ? [{}, a] : [a, b as Handler<unknown, Auth>];
    return this.mount(route.method, route.path, route.request, handler as Handler<unknown, Auth>, o);
  }

  /** A route outside the contract; its handler reads any body itself (readBody). */
  on(method: Method | Method[] | '*', path: string, handler: Handler<undefined>): this;
  on<A extends Auth | undefined>(method: Method | Method[] | '*', path: string, o: RouteOptions<A>, handler: Handler<undefined, A>): this;
  on(method: Method | Method[] | '*', path: string, a: RouteOptions<Auth | undefined> | Handler<undefined>, b?: Handler<undefined, Auth>): this {
    const [o, handler] = typeof a === 'function' ? [{}, a] : [a, b as Handler<undefined, Auth>];
    return this.mount(method, path, null, handler as Handler<unknown, Auth>, o);
  }

  /** After the last route: every other method of a mounted path answers 405. */
  seal(): void {
    if (this.sealed) return;
    this.sealed = true;
    for (const [path, mounted] of this.methods) {
      const others = METHODS.filter((m) => !mounted.has(m));
      if (others.length === 0) continue;
      this.app.route({
        method: others,
        url: path,
        handler: () => {
          throw new HttpError(405, 'method_not_allowed', 'method not allowed');
        },
      });
    }
  }

  private mount(method: Method | Method[] | '*', path: string, schema: z.ZodType | null, handler: Handler<unknown, Auth>, o: RouteOptions<Auth | undefined>): this {
    if (this.sealed) throw new Error(`route ${path} mounted after the router was sealed`);
    const methods: Method[] = method === '*' ? [...METHODS] : Array.isArray(method) ? method : [method];
    const mounted = this.methods.get(path) ?? new Set<Method>();
    for (const m of methods) mounted.add(m);
    this.methods.set(path, mounted);
    const auth = o.auth;
    const config: RouteConfig = { json: schema !== null };
    this.app.route({
      method: methods,
      url: path,
      config,
      ...(o.bodyLimit ? { bodyLimit: o.bodyLimit } : {}),
      ...(schema ? { schema: { body: schema } } : {}),
      ...(auth
        ? {
            onRequest: async (request: FastifyRequest) => {
              request.parleyUser = await this.opts.authenticate(request.raw, auth);
            },
          }
        : {}),
      handler: async (request, reply) => {
        const ctx: AuthedCtx = {
          req: request.raw,
          res: reply,
          url: new URL(request.url, 'http://relay.local'),
          params: Object.values(request.params as Record<string, string>),
          body: request.body,
          log: request.log,
          user: request.parleyUser as User,
        };
        await handler(ctx);
        return reply; // every handler answers through `res` (a stream may still be flowing)
      },
    });
    return this;
  }
}

/** Fastify's own refusals (bad URL, bad content type…) in our error shape. */
const FRAMEWORK_CODES: Record<number, string> = { 400: 'bad_request', 404: 'not_found', 405: 'method_not_allowed', 413: 'too_large', 414: 'too_large', 415: 'unsupported_type' };

let requestSeq = 0;
const instance = randomUUID().slice(0, 8);
/** A proxy's `X-Request-Id` when it looks like one, else this relay's own. */
function requestId(req: IncomingMessage): string {
  const given = req.headers['x-request-id'];
  if (typeof given === 'string' && /^[\w.:-]{1,64}$/.test(given)) return given;
  return `${instance}-${(++requestSeq).toString(36)}`;
}

function parseJson(buf: Buffer): unknown {
  try {
    return JSON.parse(buf.toString('utf8') || 'null');
  } catch {
    throw new HttpError(400, 'bad_json', 'body is not valid JSON');
  }
}

export function sendJson(res: FastifyReply, status: number, body: unknown): void {
  void res.code(status).type('application/json; charset=utf-8').send(JSON.stringify(body));
}

export function sendError(res: FastifyReply, status: number, code: string, message: string): void {
  sendJson(res, status, { error: { code, message } } satisfies HttpErrorBody);
}

/** 204 No Content. */
export function sendEmpty(res: FastifyReply): void {
  void res.code(204).send();
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

export function bearer(req: IncomingMessage): string {
  const h = req.headers.authorization ?? '';
  const m = /^Bearer\s+(.+)$/i.exec(h);
  if (!m?.[1]) throw new HttpError(401, 'unauthorized', 'missing Bearer token');
  return m[1];
}

export function clientIp(req: IncomingMessage): string {
  return req.socket.remoteAddress ?? 'unknown';
}
