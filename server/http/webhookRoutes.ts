// /webhooks/<path…> → the provider registry's handler, with the raw body for signatures.
import type { Services } from '../services';
import { HttpError, readBody, type Router } from './router';

export function webhookRoutes(router: Router, svc: Services): void {
  router.on('*', '/webhooks/*', async ({ req, res, url, params }) => {
    const path = (params[0] as string).split('/').filter(Boolean);
    const handler = await svc.providers().webhook(path);
    if (!handler) throw new HttpError(404, 'not_found', 'no such webhook');
    const rawBody = await readBody(req, 1024 * 1024);
    const headers: Record<string, string | undefined> = {};
    for (const [k, v] of Object.entries(req.headers)) headers[k] = Array.isArray(v) ? v.join(', ') : v;
    const r = await handler({ method: req.method ?? 'POST', url, headers, rawBody }, svc.sink);
    void res.code(r.status).headers(r.headers ?? {}).send(r.body ?? '');
  });
}
