// POST /auth/login, /auth/refresh, /auth/logout.
import { z } from 'zod';
import type { Services } from '../services';
import type { AuthResult } from '../auth/authService';
import { clientIp, HttpError, readJson, sendJson, type Router } from './router';
import type { ServerResponse } from 'node:http';

const loginBody = z.object({ email: z.string().min(1).max(254), password: z.string().min(1).max(1024) });
const refreshBody = z.object({ refreshToken: z.string().min(1).max(512) });

function reply(res: ServerResponse, r: AuthResult): void {
  if (!r.ok) throw new HttpError(r.status, r.code, r.message);
  sendJson(res, 200, r.session);
}

export function authRoutes(router: Router, svc: Services): void {
  router.on('POST', /^\/auth\/login$/, async ({ req, res }) => {
    const b = await readJson(req, loginBody);
    reply(res, await svc.auth.login(b.email, b.password, clientIp(req)));
  });
  router.on('POST', /^\/auth\/refresh$/, async ({ req, res }) => {
    const b = await readJson(req, refreshBody);
    reply(res, await svc.auth.refresh(b.refreshToken));
  });
  router.on('POST', /^\/auth\/logout$/, async ({ req, res }) => {
    const b = await readJson(req, refreshBody);
    svc.auth.logout(b.refreshToken);
    res.writeHead(204).end();
  });
}
