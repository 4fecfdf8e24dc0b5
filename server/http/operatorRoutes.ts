// What an operator's probes and scraper call: GET /health (liveness), GET /ready (readiness),
// GET /metrics (Prometheus text format, server/metrics.ts). They carry counts and timings, never
// content; /metrics asks for `Authorization: Bearer <token>` when the relay has a metrics token
// (PARLEY_METRICS_TOKEN), for a relay whose port is public.
import { timingSafeEqual } from 'node:crypto';
import { httpApi } from '../../shared/http';
import type { RelayMetrics } from '../metrics';
import { METRICS_CONTENT_TYPE } from '../metrics';
import type { Services } from '../services';
import { HttpError, sendJson, type Router } from './router';

function sameToken(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export function operatorRoutes(router: Router, svc: Services, metrics: RelayMetrics, metricsToken: string | null): void {
  // liveness: the process answers
  router.route(httpApi.health, ({ res }) => sendJson(res, 200, { ok: true, version: svc.engine.version() }));
  // readiness: accepting sockets and the database answers (503 while shutting down)
  router.on('GET', '/ready', async ({ res }) => {
    if (!svc.hub.isAccepting) throw new HttpError(503, 'not_ready', 'shutting down');
    try {
      await svc.store.get('SELECT 1 AS y');
    } catch {
      throw new HttpError(503, 'not_ready', 'database unavailable');
    }
    sendJson(res, 200, { ready: true });
  });
  router.on('GET', '/metrics', async ({ req, res }) => {
    if (metricsToken && !sameToken(/^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1] ?? '', metricsToken)) {
      throw new HttpError(401, 'unauthorized', 'metrics need the relay\'s metrics token (Authorization: Bearer …)');
    }
    void res.code(200).type(METRICS_CONTENT_TYPE).send(await metrics.text());
  });
}
