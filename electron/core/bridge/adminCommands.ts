// Admin commands: people and provider accounts, straight to the relay's admin HTTP API
// (routes and shapes in shared/http/). The relay checks the role and validates every field;
// its refusals reach the UI as bridge errors with its message.
import { z } from 'zod';
import type { CommandHandlers } from '../../../shared/bridge';
import { httpApi, httpPath } from '../../../shared/http';
import { RelayHttpError } from '../auth';
import { authedFetch, signedIn, type CommandEnv } from './commandEnv';
import { bridgeError } from './errors';

export type AdminCommand =
  | 'createUser' | 'providerAccounts' | 'saveProviderAccount' | 'removeProviderAccount' | 'fetchTemplates'
  | 'auditLog' | 'exportAuditLog' | 'auditRetention' | 'setAuditRetention';

export const OFFLINE_MESSAGE = 'You’re offline — this needs a connection to the relay.';

const json = (body: unknown): RequestInit => ({ headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

async function call<T>(env: CommandEnv, path: string, init: RequestInit, schema: z.ZodType<T>): Promise<T> {
  signedIn(env);
  let res: Response;
  try {
    res = await authedFetch(env, path, init);
  } catch (e) {
    if (e instanceof RelayHttpError && e.status === 0) throw bridgeError('offline', OFFLINE_MESSAGE);
    throw e;
  }
  if (res.status === 204) return schema.parse(null);
  const body = schema.safeParse(await res.json().catch(() => undefined));
  if (!body.success) throw bridgeError('bad_response', 'The relay sent an answer this app does not understand.');
  return body.data;
}

export const adminCommands: Pick<CommandHandlers<CommandEnv>, AdminCommand> = {
  createUser: (env, a) => {
    const r = httpApi.createUser;
    return call(env, r.path, { method: r.method, ...json(a) }, r.response);
  },
  providerAccounts: (env) => {
    const r = httpApi.providerAccounts;
    return call(env, r.path, { method: r.method }, r.response);
  },
  saveProviderAccount: (env, a) => {
    const r = httpApi.saveProviderAccount;
    return call(env, r.path, { method: r.method, ...json(a) }, r.response);
  },
  removeProviderAccount: (env, a) => {
    const r = httpApi.removeProviderAccount;
    return call(env, httpPath(r, { id: a.id }), { method: r.method }, z.null());
  },
  auditLog: (env, a) => {
    const r = httpApi.auditLog;
    return call(env, r.path, { method: r.method, ...json(a) }, r.response);
  },
  exportAuditLog: (env, a) => {
    const r = httpApi.exportAuditLog;
    return call(env, r.path, { method: r.method, ...json(a) }, r.response);
  },
  auditRetention: (env) => {
    const r = httpApi.auditRetention;
    return call(env, r.path, { method: r.method }, r.response);
  },
  setAuditRetention: (env, a) => {
    const r = httpApi.setAuditRetention;
    return call(env, r.path, { method: r.method, ...json(a) }, r.response);
  },
  fetchTemplates: (env, a) => {
    const r = httpApi.fetchGroupTemplates;
    return call(env, httpPath(r, { id: a.groupId }), { method: r.method }, r.response);
  },
};
