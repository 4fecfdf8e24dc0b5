// The organisation's audit log over HTTP (contract: shared/http/audit.ts; statements:
// server/audit/auditLog.ts). Admins read, filter and export it and set its retention; any
// signed-in user's app reports the exports it makes from its replica.
import { httpApi } from '../../shared/http';
import type { Services } from '../services';
import { clientIp, sendEmpty, sendJson, type Router } from './router';

export function auditRoutes(router: Router, svc: Services): void {
  const audit = svc.engine.audit;
  router.route(httpApi.auditLog, { auth: 'admin' }, async ({ res, body }) => {
    sendJson(res, 200, await audit.search(body));
  });
  router.route(httpApi.exportAuditLog, { auth: 'admin' }, async ({ req, res, body, user }) => {
    const out = await audit.exportCsv(body);
    const filters = Object.fromEntries(Object.entries(body).filter(([, v]) => v !== undefined).map(([k, v]) => [k, typeof v === 'number' ? new Date(v).toISOString() : String(v)]));
    await audit.record({ actorId: user.id, action: 'exported', target: 'audit-log', targetName: 'Audit log', details: { what: 'audit log', count: out.count, ...filters }, ip: clientIp(req) });
    sendJson(res, 200, out);
  });
  router.route(httpApi.auditRetention, { auth: 'admin' }, async ({ res }) => {
    sendJson(res, 200, { days: await audit.retentionDays() });
  });
  router.route(httpApi.setAuditRetention, { auth: 'admin' }, async ({ req, res, body, user }) => {
    const pruned = await audit.setRetention(body.days, user.id, clientIp(req));
    sendJson(res, 200, { days: body.days, pruned });
  });
  router.route(httpApi.recordExport, { auth: 'user' }, async ({ req, res, body, user }) => {
    await audit.record({ actorId: user.id, action: 'exported', target: body.what, targetName: body.what === 'contacts' ? 'Contacts' : body.what, details: { what: body.what, count: body.count }, ip: clientIp(req) });
    sendEmpty(res);
  });
}
