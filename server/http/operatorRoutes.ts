// What an operator's probes and scraper call: GET /health (liveness), GET /ready (readiness),
// GET /metrics (Prometheus text format, server/metrics.ts). No authentication: they carry counts
// and timings, never content; keep /metrics off the public internet at the proxy if you prefer.
import { httpApi } from '../../shared/http';
import type { RelayMetrics } from '../metrics';
import { METRICS_CONTENT_TYPE } from '../metrics';
import type { Services } from '../services';
import { HttpError, sendJson, type Router } from './router';

export function operatorRoutes(router: Router, svc: Services, metrics: RelayMetrics): void {
  // liveness: the process answers
  router.route(httpApi.health, ({ res }) => sendJson(res, 200, { ok: true, version: svc.engine.version() }));
  // readiness: accepting sockets and the database answers (503 while shutting down)
  router.on('GET', '/ready', ({ res }) => {
    if (!svc.hub.isAccepting) throw new HttpError(503, 'not_ready', 'shutting down');
    try {
      svc.db.prepare('SELECT 1').get();
    } catch {
      throw new HttpError(503, 'not_ready', 'database unavailable');
    }
    sendJson(res, 200, { ready: true });
  });
  router.on('GET', '/metrics', async ({ res }) => {
    void res.code(200).type(METRICS_CONTENT_TYPE).send(await metrics.text());
  });
}
