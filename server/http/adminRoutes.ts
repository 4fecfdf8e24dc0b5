// Admin and simulator endpoints (admin Bearer token on each).
import { httpApi, type AdminUserList, type AdminUserView, type GroupCreated } from '../../shared/http';
import { MutationError } from '../../shared/tx';
import type { Services } from '../services';
import { SYSTEM_ACTOR } from '../sync/engine';
import { clientIp, HttpError, sendEmpty, sendJson, type Router } from './router';

function attempt<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    throw new HttpError(400, 'invalid', e instanceof Error ? e.message : 'refused');
  }
}

export function adminRoutes(router: Router, svc: Services): void {
  router.route(httpApi.createUser, { auth: 'admin' }, ({ req, res, body: b, user }) => {
    try {
      const u = svc.admin.createUser(b);
      svc.engine.audit.record({ actorId: user.id, action: 'userCreated', target: u.id, targetName: u.name, details: { email: u.email, role: u.role }, ip: clientIp(req) });
      sendJson(res, 201, { id: u.id, name: u.name, email: u.email, role: u.role } satisfies AdminUserView);
    } catch (e) {
      throw new HttpError(409, 'conflict', e instanceof Error ? e.message : 'cannot create user');
    }
  });
  router.route(httpApi.listUsers, { auth: 'admin' }, ({ res }) => {
    const users = svc.engine.store.find('users', {});
    sendJson(res, 200, users.map((u) => ({ id: u.id, name: u.name, email: u.email, role: u.role, active: u.active })) satisfies AdminUserList);
  });
  router.route(httpApi.deactivateUser, { auth: 'admin' }, ({ req, res, params, user }) => {
    const target = svc.engine.store.get('users', params[0] as string);
    attempt(() => svc.admin.deactivateUser(params[0] as string));
    if (target?.active) svc.engine.audit.record({ actorId: user.id, action: 'userDeactivated', target: target.id, targetName: target.name, ip: clientIp(req) });
    sendEmpty(res);
  });
  router.route(httpApi.createGroup, { auth: 'admin' }, ({ res, body: b }) => {
    const g = attempt(() => svc.admin.createGroup(b));
    sendJson(res, 201, { id: g.id, name: g.name } satisfies GroupCreated);
  });
  router.route(httpApi.addMember, { auth: 'admin' }, ({ res, body: b }) => {
    attempt(() => svc.admin.addMember(b.groupId, b.userId));
    sendEmpty(res);
  });
  router.route(httpApi.simulatorInbound, { auth: 'admin' }, ({ res, body: b }) => {
    if (!svc.engine.store.get('groups', b.groupId)) throw new HttpError(404, 'not_found', 'no such group');
    try {
      svc.engine.runAs(SYSTEM_ACTOR, 'receiveInbound', { ...b, channel: b.channel ?? 'sms' });
    } catch (e) {
      if (e instanceof MutationError) throw new HttpError(400, e.code, e.message);
      throw e;
    }
    sendJson(res, 202, { ok: true });
  });
  router.on('GET', '/simulator/sent', { auth: 'admin' }, ({ res }) => {
    sendJson(res, 200, svc.simulator.sent());
  });
  router.on('GET', '/sync', () => {
    throw new HttpError(426, 'upgrade_required', 'the sync endpoint speaks WebSocket (docs/PROTOCOL.md)');
  });
}
