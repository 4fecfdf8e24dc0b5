// Bearer authentication for HTTP endpoints.
import type { IncomingMessage } from 'node:http';
import { canAdminister, type Actor } from '../../shared/permissions';
import type { User } from '../../shared/schema';
import type { Services } from '../services';
import { bearer, HttpError } from './router';

export async function requireUser(svc: Services, req: IncomingMessage): Promise<User> {
  const v = await svc.tokens.verifyAccess(bearer(req));
  if (!v.ok) throw new HttpError(401, v.code, v.code === 'token_expired' ? 'access token expired' : 'invalid access token');
  const user = await svc.store.rows.get('users', v.userId);
  if (!user) throw new HttpError(401, 'unauthorized', 'unknown user');
  if (!user.active) throw new HttpError(403, 'deactivated', 'this account has been deactivated');
  return user;
}

export async function requireAdmin(svc: Services, req: IncomingMessage): Promise<User> {
  const user = await requireUser(svc, req);
  const actor: Actor = { id: user.id, role: user.role, active: user.active, groupIds: new Set() };
  if (!canAdminister(actor)) throw new HttpError(403, 'forbidden', 'Only admins can do this.');
  return user;
}

/** The router's authentication step (route option `auth`), run before any body is read. */
export function authenticate(svc: Services): (req: IncomingMessage, auth: 'user' | 'admin') => Promise<User> {
  return (req, auth) => (auth === 'admin' ? requireAdmin(svc, req) : requireUser(svc, req));
}
