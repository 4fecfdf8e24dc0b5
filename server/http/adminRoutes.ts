// Admin, simulator, health and metrics endpoints.
import { addMemberRequest, createGroupRequest, createUserRequest, simulatorInboundRequest, type AdminUserList, type AdminUserView, type GroupCreated } from '../../shared/http';
import { MutationError } from '../../shared/tx';
import type { Services } from '../services';
import { SYSTEM_ACTOR } from '../sync/engine';
import { requireAdmin } from './authUser';
import { HttpError, readJson, sendJson, type Router } from './router';

function attempt<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    throw new HttpError(400, 'invalid', e instanceof Error ? e.message : 'refused');
  }
}

export function adminRoutes(router: Router, svc: Services): void {
  router.on('POST', /^\/admin\/users$/, async ({ req, res }) => {
    await requireAdmin(svc, req);
    const b = await readJson(req, createUserRequest);
    try {
      const u = svc.admin.createUser(b);
      sendJson(res, 201, { id: u.id, name: u.name, email: u.email, role: u.role } satisfies AdminUserView);
    } catch (e) {
      throw new HttpError(409, 'conflict', e instanceof Error ? e.message : 'cannot create user');
    }
  });
  router.on('GET', /^\/admin\/users$/, async ({ req, res }) => {
    await requireAdmin(svc, req);
    const users = svc.engine.store.find('users', {});
    sendJson(res, 200, users.map((u) => ({ id: u.id, name: u.name, email: u.email, role: u.role, active: u.active })) satisfies AdminUserList);
  });
  router.on('POST', /^\/admin\/users\/([^/]+)\/deactivate$/, async ({ req, res, params }) => {
    await requireAdmin(svc, req);
    attempt(() => svc.admin.deactivateUser(params[0] as string));
    res.writeHead(204).end();
  });
  router.on('POST', /^\/admin\/groups$/, async ({ req, res }) => {
    await requireAdmin(svc, req);
    const b = await readJson(req, createGroupRequest);
    const g = attempt(() => svc.admin.createGroup(b));
    sendJson(res, 201, { id: g.id, name: g.name } satisfies GroupCreated);
  });
  router.on('POST', /^\/admin\/members$/, async ({ req, res }) => {
    await requireAdmin(svc, req);
    const b = await readJson(req, addMemberRequest);
    attempt(() => svc.admin.addMember(b.groupId, b.userId));
    res.writeHead(204).end();
  });
  router.on('POST', /^\/simulator\/inbound$/, async ({ req, res }) => {
    await requireAdmin(svc, req);
    const b = await readJson(req, simulatorInboundRequest);
    if (!svc.engine.store.get('groups', b.groupId)) throw new HttpError(404, 'not_found', 'no such group');
    try {
      svc.engine.runAs(SYSTEM_ACTOR, 'receiveInbound', { ...b, channel: b.channel ?? 'sms' });
    } catch (e) {
      if (e instanceof MutationError) throw new HttpError(400, e.code, e.message);
      throw e;
    }
    sendJson(res, 202, { ok: true });
  });
  router.on('GET', /^\/simulator\/sent$/, async ({ req, res }) => {
    await requireAdmin(svc, req);
    sendJson(res, 200, svc.simulator.sent());
  });
  router.on('GET', /^\/sync$/, () => {
    throw new HttpError(426, 'upgrade_required', 'the sync endpoint speaks WebSocket (docs/PROTOCOL.md)');
  });
  // liveness: the process answers
  router.on('GET', /^\/health$/, ({ res }) => sendJson(res, 200, { ok: true, version: svc.engine.version() }));
  // readiness: accepting sockets and the database answers (503 while shutting down)
  router.on('GET', /^\/ready$/, ({ res }) => {
    if (!svc.hub.isAccepting) throw new HttpError(503, 'not_ready', 'shutting down');
    try {
      svc.db.prepare('SELECT 1').get();
    } catch {
      throw new HttpError(503, 'not_ready', 'database unavailable');
    }
    sendJson(res, 200, { ready: true });
  });
  router.on('GET', /^\/metrics$/, ({ res }) => {
    const mem = process.memoryUsage();
    sendJson(res, 200, {
      version: svc.engine.version(),
      minRetainedVersion: svc.engine.minRetainedVersion(),
      connections: svc.hub.connectionCount,
      sync: { ...svc.hub.stats, sendBacklog: svc.hub.sendBacklog, blockedSockets: svc.hub.blockedSockets },
      mutations: svc.engine.stats,
      uptimeSeconds: Math.round((Date.now() - svc.startedAt) / 1000),
      rssBytes: mem.rss,
      heapUsedBytes: mem.heapUsed,
    });
  });
}
