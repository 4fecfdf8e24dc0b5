// POST /auth/login, /auth/refresh, /auth/logout.
import { loginRequest, refreshRequest, type AuthSessionResponse } from '../../shared/http';
import type { Services } from '../services';
import type { AuthResult } from '../auth/authService';
import { clientIp, HttpError, readJson, sendJson, type Router } from './router';
import type { ServerResponse } from 'node:http';

/** The session plus the organisation's name (additive: older clients ignore it). */
function reply(res: ServerResponse, r: AuthResult, svc: Services): void {
  if (!r.ok) throw new HttpError(r.status, r.code, r.message);
  const orgName = svc.engine.meta.get('orgName');
  sendJson(res, 200, (orgName ? { ...r.session, orgName } : r.session) satisfies AuthSessionResponse);
}

export function authRoutes(router: Router, svc: Services): void {
  router.on('POST', /^\/auth\/login$/, async ({ req, res }) => {
    const b = await readJson(req, loginRequest);
    reply(res, await svc.auth.login(b.email, b.password, clientIp(req)), svc);
  });
  router.on('POST', /^\/auth\/refresh$/, async ({ req, res }) => {
    const b = await readJson(req, refreshRequest);
    reply(res, await svc.auth.refresh(b.refreshToken), svc);
  });
  router.on('POST', /^\/auth\/logout$/, async ({ req, res }) => {
    const b = await readJson(req, refreshRequest);
    svc.auth.logout(b.refreshToken);
    res.writeHead(204).end();
  });
}
