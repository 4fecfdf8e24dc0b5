// A group's approved WhatsApp templates for the admin HTTP API and the CLI: list, save, remove
// (the shared mutators, as the admin), and fetch from the group's WhatsApp provider account.
import type { WhatsAppTemplate } from '../../shared/schema';
import { MutationError } from '../../shared/tx';
import type { Engine } from '../sync/engine';
import { SYSTEM_ACTOR, type Actor } from '../sync/engine';
import type { AccountStore } from './accounts';
import { fetchApprovedTemplates } from './templateFetch';

export class TemplateError extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
  }
}

async function group(engine: Engine, groupId: string) {
  const g = await engine.store.rows.get('groups', groupId);
  if (!g) throw new TemplateError(404, 'not_found', 'That group no longer exists.');
  return g;
}

async function run(engine: Engine, actor: Actor, name: string, args: unknown): Promise<void> {
  try {
    await engine.runAs(actor, name, args);
  } catch (e) {
    if (e instanceof MutationError) throw new TemplateError(e.code === 'forbidden' ? 403 : e.code === 'not_found' ? 404 : e.code === 'conflict' ? 409 : 400, e.code, e.message);
    throw e;
  }
}

export async function listTemplates(engine: Engine, groupId: string): Promise<WhatsAppTemplate[]> {
  return (await group(engine, groupId)).templates;
}

export async function saveTemplate(engine: Engine, actor: Actor, groupId: string, body: { previousName?: string; previousLanguage?: string; template: WhatsAppTemplate }): Promise<WhatsAppTemplate[]> {
  await run(engine, actor, 'saveTemplate', { groupId, ...body });
  return listTemplates(engine, groupId);
}

export async function removeTemplate(engine: Engine, actor: Actor, groupId: string, name: string, language?: string): Promise<WhatsAppTemplate[]> {
  await run(engine, actor, 'removeTemplate', { groupId, name, ...(language ? { language } : {}) });
  return listTemplates(engine, groupId);
}

/** Fetches the approved templates of the group's WhatsApp account and adds or updates them by name and language. */
export async function fetchTemplates(engine: Engine, accounts: AccountStore, groupId: string): Promise<{ fetched: string[]; templates: WhatsAppTemplate[] }> {
  const g = await group(engine, groupId);
  const row = await accounts.forGroup(groupId, 'whatsapp');
  if (!row) throw new TemplateError(409, 'no_provider', `${g.name} has no WhatsApp provider account: add a Twilio or WhatsApp Cloud API account for it first.`);
  let config;
  try {
    config = accounts.config(row);
  } catch (e) {
    throw new TemplateError(409, 'no_provider', `The WhatsApp account of ${g.name} cannot be used: ${(e as Error).message}`);
  }
  let fetched: WhatsAppTemplate[];
  try {
    fetched = await fetchApprovedTemplates(config);
  } catch (e) {
    throw new TemplateError(502, 'provider_error', (e as Error).message);
  }
  if (fetched.length) await run(engine, SYSTEM_ACTOR, 'importTemplates', { groupId, templates: fetched });
  return { fetched: fetched.map((t) => `${t.name} (${t.language})`), templates: await listTemplates(engine, groupId) };
}
