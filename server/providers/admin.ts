// HTTP admin API for provider accounts, mounted by the relay's router:
//   GET    /admin/providers        → { publicUrl, accounts: AccountView[] }
//   PUT    /admin/providers        → body = accountInput (config.ts); secrets may be omitted to keep them
//   DELETE /admin/providers/:id    → 204
// Admin Bearer token required on each.
import { issuesSentence } from '../../shared/refusals';
import { httpApi } from '../../shared/http';
import type { Services } from '../services';
import { clientIp, HttpError, sendEmpty, sendJson, type Router } from '../http/router';
import type { ProviderAccountView } from '../../shared/http';
import { AccountStore } from './accounts';
import { accountView, findGroup } from './accountView';
import { reconcileChannelProviders } from './channelSync';
import { accountInput } from './config';
import { loadSecretKey } from './secrets';

export function providerPublicUrl(svc: Services): string {
  const reg = svc.providers() as { publicUrl?: unknown };
  return typeof reg.publicUrl === 'string' ? reg.publicUrl : (process.env.PARLEY_PUBLIC_URL ?? svc.httpUrl()).replace(/\/+$/, '');
}

export function providerAdminRoutes(router: Router, svc: Services): void {
  let key: Buffer | undefined;
  const accounts = new AccountStore(svc.store, () => (key ??= loadSecretKey(svc.dataDir)));
  const view = (row: Parameters<typeof accountView>[3]) => accountView(svc.store, accounts, providerPublicUrl(svc), row);

  router.route(httpApi.providerAccounts, { auth: 'admin' }, async ({ res }) => {
    const list = await accounts.list();
    sendJson(res, 200, { publicUrl: providerPublicUrl(svc), accounts: await Promise.all(list.map(view)) });
  });
  // the audit log names the account by kind, channel and group: never a secret or a public key
  const audited = (v: ProviderAccountView) => ({ targetName: `${v.kind} ${v.channel}${v.groupName ? ` (${v.groupName})` : ''}`, details: { kind: v.kind, channel: v.channel, group: v.groupName } });

  router.route(httpApi.saveProviderAccount, { auth: 'admin' }, async ({ req, res, body, user }) => {
    const parsed = accountInput.safeParse(body);
    if (!parsed.success) throw new HttpError(400, 'invalid', issuesSentence(parsed.error.issues));
    const group = parsed.data.kind === 'stripe' ? null : await findGroup(svc.store, parsed.data.groupId);
    if (group === undefined) throw new HttpError(404, 'not_found', 'no such group');
    let row;
    try {
      row = await accounts.upsert(group ? { ...(body as object), groupId: group.id } : body);
    } catch (e) {
      throw new HttpError(400, 'invalid', (e as Error).message);
    }
    await reconcileChannelProviders(svc.engine, svc.providers(), (m, e) => svc.log(m, e));
    const v = await view(row);
    await svc.engine.audit.record({ actorId: user.id, action: 'providerAccountSaved', target: v.id, ...audited(v), ip: clientIp(req) });
    sendJson(res, 200, v);
  });
  router.route(httpApi.removeProviderAccount, { auth: 'admin' }, async ({ req, res, params, user }) => {
    const existing = await accounts.get(params[0] ?? '');
    const before = existing ? await view(existing) : null;
    if (!(await accounts.remove(params[0] ?? ''))) throw new HttpError(404, 'not_found', 'no such provider account');
    if (before) await svc.engine.audit.record({ actorId: user.id, action: 'providerAccountRemoved', target: before.id, ...audited(before), ip: clientIp(req) });
    await reconcileChannelProviders(svc.engine, svc.providers(), (m, e) => svc.log(m, e));
    sendEmpty(res);
  });
}
