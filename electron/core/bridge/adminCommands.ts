// Admin commands: people and provider accounts, straight to the relay's admin HTTP API
// (server/http/adminRoutes.ts, server/providers/admin.ts). The relay checks the role and
// validates every field; its refusals reach the UI as bridge errors with its message.
import { z } from 'zod';
import type { AdminUserView, CommandName, CommandResults, ProviderAccountView, commandArgs } from '../../../shared/bridge';
import { RelayHttpError } from '../auth';
import { bridgeError } from './errors';

export const adminCommandNames = ['createUser', 'providerAccounts', 'saveProviderAccount', 'removeProviderAccount'] as const;
export type AdminCommand = (typeof adminCommandNames)[number];
type Parsed<K extends CommandName> = z.output<(typeof commandArgs)[K]>;

/** An authenticated request to the relay (path from its root). */
export type RelayRequest = (path: string, init: RequestInit) => Promise<Response>;

export const OFFLINE_MESSAGE = 'You’re offline — this needs a connection to the relay.';

const userView = z.object({ id: z.string(), name: z.string(), email: z.string(), role: z.enum(['admin', 'agent']) });
const accountView = z.object({
  id: z.string(),
  kind: z.enum(['twilio', 'whatsapp-cloud', 'stripe']),
  groupId: z.string().nullable(),
  groupName: z.string().nullable(),
  channel: z.enum(['sms', 'whatsapp', 'payments']),
  sendRatePerSecond: z.number(),
  public: z.record(z.string(), z.union([z.string(), z.number(), z.null()])),
  secrets: z.union([z.array(z.string()), z.object({ error: z.string() })]),
  webhooks: z.array(z.object({ label: z.string(), url: z.string() })),
  updatedAt: z.number(),
});
const accountList = z.object({ publicUrl: z.string(), accounts: z.array(accountView) });

export function isAdminCommand(name: CommandName): name is AdminCommand {
  return (adminCommandNames as readonly string[]).includes(name);
}

const json = (body: unknown): RequestInit => ({ headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

async function call<T>(request: RelayRequest, path: string, init: RequestInit, schema: z.ZodType<T>): Promise<T> {
  let res: Response;
  try {
    res = await request(path, init);
  } catch (e) {
    if (e instanceof RelayHttpError && e.status === 0) throw bridgeError('offline', OFFLINE_MESSAGE);
    throw e;
  }
  if (res.status === 204) return schema.parse(null);
  const body = schema.safeParse(await res.json().catch(() => undefined));
  if (!body.success) throw bridgeError('bad_response', 'The relay sent an answer this app does not understand.');
  return body.data;
}

export async function runAdminCommand<K extends AdminCommand>(request: RelayRequest, name: K, args: Parsed<K>): Promise<CommandResults[K]> {
  const r = await ((): Promise<unknown> => {
    switch (name) {
      case 'createUser':
        return call(request, '/admin/users', { method: 'POST', ...json(args) }, userView) satisfies Promise<AdminUserView>;
      case 'providerAccounts':
        return call(request, '/admin/providers', { method: 'GET' }, accountList) satisfies Promise<{ accounts: ProviderAccountView[] }>;
      case 'saveProviderAccount':
        return call(request, '/admin/providers', { method: 'PUT', ...json(args) }, accountView) satisfies Promise<ProviderAccountView>;
      case 'removeProviderAccount': {
        const id = (args as Parsed<'removeProviderAccount'>).id;
        return call(request, `/admin/providers/${encodeURIComponent(id)}`, { method: 'DELETE' }, z.null());
      }
    }
    throw bridgeError('unknown_command', `unknown command ${String(name)}`);
  })();
  return r as CommandResults[K];
}
