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
    const ip = clientIp(req);
    const r = await svc.auth.login(b.email, b.password, ip);
    // the audit log: who signed in, and every refused attempt with the email tried (never the password)
    if (r.ok) await svc.engine.audit.record({ actorId: r.session.user.id, action: 'signIn', target: r.session.user.id, targetName: r.session.user.name, ip });
    else {
      const email = b.email.trim().toLowerCase().slice(0, 254);
      const user = await svc.auth.findUserByEmail(email);
      await svc.engine.audit.record({ actorId: user?.id ?? '', action: 'signInFailed', target: user?.id ?? email, targetName: user?.name ?? email, details: { email, reason: r.code }, ip });
    }
    await reply(res, r, svc);
  });
  router.route(httpApi.refresh, async ({ res, body: b }) => {
    await reply(res, await svc.auth.refresh(b.refreshToken), svc);
  });
  router.route(httpApi.logout, async ({ res, body: b }) => {
    await svc.auth.logout(b.refreshToken);
    sendEmpty(res);
  });
}
