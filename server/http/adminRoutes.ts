// Admin and simulator endpoints (admin Bearer token on each).
import { httpApi, type AdminUserList, type AdminUserView, type GroupCreated } from '../../shared/http';
import { MutationError } from '../../shared/tx';
import type { Services } from '../services';
import { SYSTEM_ACTOR } from '../sync/engine';
import { clientIp, HttpError, sendEmpty, sendJson, type Router } from './router';

async function attempt<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    throw new HttpError(400, 'invalid', e instanceof Error ? e.message : 'refused');
  }
}

export function adminRoutes(router: Router, svc: Services): void {
  router.route(httpApi.createUser, { auth: 'admin' }, async ({ req, res, body: b, user }) => {
    let u;
    try {
      u = await svc.admin.createUser(b);
    } catch (e) {
      throw new HttpError(409, 'conflict', e instanceof Error ? e.message : 'cannot create user');
    }
    await svc.engine.audit.record({ actorId: user.id, action: 'userCreated', target: u.id, targetName: u.name, details: { email: u.email, role: u.role }, ip: clientIp(req) });
    sendJson(res, 201, { id: u.id, name: u.name, email: u.email, role: u.role } satisfies AdminUserView);
  });
  router.route(httpApi.listUsers, { auth: 'admin' }, async ({ res }) => {
    const users = await svc.store.rows.find('users', {});
    sendJson(res, 200, users.map((u) => ({ id: u.id, name: u.name, email: u.email, role: u.role, active: u.active })) satisfies AdminUserList);
  });
  router.route(httpApi.deactivateUser, { auth: 'admin' }, async ({ req, res, params, user }) => {
    const target = await svc.store.rows.get('users', params[0] as string);
    await attempt(() => svc.admin.deactivateUser(params[0] as string));
    if (target?.active) await svc.engine.audit.record({ actorId: user.id, action: 'userDeactivated', target: target.id, targetName: target.name, ip: clientIp(req) });
    sendEmpty(res);
  });
  router.route(httpApi.createGroup, { auth: 'admin' }, async ({ res, body: b }) => {
    const g = await attempt(() => svc.admin.createGroup(b));
    sendJson(res, 201, { id: g.id, name: g.name } satisfies GroupCreated);
  });
  router.route(httpApi.addMember, { auth: 'admin' }, async ({ res, body: b }) => {
    await attempt(() => svc.admin.addMember(b.groupId, b.userId));
    sendEmpty(res);
  });
  router.route(httpApi.simulatorInbound, { auth: 'admin' }, async ({ res, body: b }) => {
    if (!(await svc.store.rows.get('groups', b.groupId))) throw new HttpError(404, 'not_found', 'no such group');
    try {
      await svc.engine.runAs(SYSTEM_ACTOR, 'receiveInbound', { ...b, channel: b.channel ?? 'sms' });
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
