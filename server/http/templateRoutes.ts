// Admin HTTP for a group's approved WhatsApp templates (contract: shared/http/templates.ts):
//   GET/PUT /admin/groups/:id/templates, DELETE /admin/groups/:id/templates/:name[/:language],
//   POST /admin/groups/:id/templates/fetch (from the group's Twilio or WhatsApp Cloud API account).
import { httpApi } from '../../shared/http';
import { AccountStore } from '../providers/accounts';
import { loadSecretKey } from '../providers/secrets';
import { fetchTemplates, listTemplates, removeTemplate, saveTemplate, TemplateError } from '../providers/templates';
import type { Services } from '../services';
import { HttpError, sendJson, type Router } from './router';

async function answer<T>(fn: () => T | Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof TemplateError) throw new HttpError(e.status, e.code, e.message);
    throw e;
  }
}

export function templateRoutes(router: Router, svc: Services): void {
  let key: Buffer | undefined;
  const accounts = new AccountStore(svc.store, () => (key ??= loadSecretKey(svc.dataDir)));
  const actor = (u: { id: string; role: 'admin' | 'agent' }) => ({ userId: u.id, role: u.role });

  router.route(httpApi.groupTemplates, { auth: 'admin' }, async ({ res, params }) => {
    sendJson(res, 200, { templates: await answer(() => listTemplates(svc.engine, params[0] ?? '')) });
  });
  router.route(httpApi.saveGroupTemplate, { auth: 'admin' }, async ({ res, params, body, user }) => {
    sendJson(res, 200, { templates: await answer(() => saveTemplate(svc.engine, actor(user), params[0] ?? '', body)) });
  });
  router.route(httpApi.removeGroupTemplate, { auth: 'admin' }, async ({ res, params, user }) => {
    sendJson(res, 200, { templates: await answer(() => removeTemplate(svc.engine, actor(user), params[0] ?? '', params[1] ?? '')) });
  });
  router.route(httpApi.removeGroupTemplateLanguage, { auth: 'admin' }, async ({ res, params, user }) => {
    sendJson(res, 200, { templates: await answer(() => removeTemplate(svc.engine, actor(user), params[0] ?? '', params[1] ?? '', params[2])) });
  });
  router.route(httpApi.fetchGroupTemplates, { auth: 'admin' }, async ({ res, params }) => {
    sendJson(res, 200, await answer(() => fetchTemplates(svc.engine, accounts, params[0] ?? '')));
  });
}
