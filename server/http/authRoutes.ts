// POST /auth/login, /auth/refresh, /auth/logout.
import { httpApi, type AuthSessionResponse } from '../../shared/http';
import type { Services } from '../services';
import type { FastifyReply } from 'fastify';
import type { AuthResult } from '../auth/authService';
import { clientIp, HttpError, sendEmpty, sendJson, type Router } from './router';

/** The session plus the organisation's name (additive: older clients ignore it). */
async function reply(res: FastifyReply, r: AuthResult, svc: Services): Promise<void> {
  if (!r.ok) throw new HttpError(r.status, r.code, r.message);
  const orgName = await svc.engine.meta.get('orgName');
  sendJson(res, 200, (orgName ? { ...r.session, orgName } : r.session) satisfies AuthSessionResponse);
}

export function authRoutes(router: Router, svc: Services): void {
  router.route(httpApi.login, async ({ req, res, body: b }) => {
    await reply(res, await svc.auth.login(b.email, b.password, clientIp(req)), svc);
  });
  router.route(httpApi.refresh, async ({ res, body: b }) => {
    await reply(res, await svc.auth.refresh(b.refreshToken), svc);
  });
  router.route(httpApi.logout, async ({ res, body: b }) => {
    await svc.auth.logout(b.refreshToken);
    sendEmpty(res);
  });
}
