// Every bridge command: one handler per name of the contract (shared/bridge.ts `commandArgs`).
// Sign-in/out, failures, attachments, contacts CSV here; admin commands in adminCommands.ts.
import { commandArgs, type CommandHandlers, type CommandName, type CommandResults, type ParsedCommandArgs } from '../../../shared/bridge';
import { httpApi, httpPath } from '../../../shared/http';
import type { Contact } from '../../../shared/schema';
import { RelayHttpError } from '../auth';
import { adminCommands } from './adminCommands';
import { authedFetch, signedIn, type CommandEnv } from './commandEnv';
import { bridgeError } from './errors';
import { contactsToCsv, IMPORT_BATCH, parseContactsCsv } from './csv';
import { dismissFailure } from './failures';
import { issuesSentence } from '../../../shared/refusals';

export type { CommandEnv } from './commandEnv';

export const commandHandlers: CommandHandlers<CommandEnv> = {
  signIn: (env, a) => env.signIn(a.relayUrl, a.email, a.password),
  signOut: async (env) => {
    await env.signOut();
    return null;
  },
  setPresence: async (env, a) => {
    env.setPresence(a);
    return null;
  },
  dismissFailure: async (env, a) => {
    const { replica } = signedIn(env);
    dismissFailure(replica.db, a.mutationId);
    env.emit({ type: 'changed', tables: [], ids: ['failures'] });
    return null;
  },
  uploadAttachment: async (env, a) => {
    const r = httpApi.uploadAttachment;
    const res = await authedFetch(env, r.path, {
      method: r.method,
      headers: { 'content-type': a.mime, 'x-filename': encodeURIComponent(a.name) },
      body: Buffer.from(a.dataBase64, 'base64'),
    });
    return r.response.parse(await res.json());
  },
  attachmentData: async (env, a) => {
    const r = httpApi.downloadAttachment;
    const res = await authedFetch(env, httpPath(r, { id: a.id }), { method: r.method });
    const bytes = Buffer.from(await res.arrayBuffer());
    return { mime: res.headers.get('content-type') ?? 'application/octet-stream', dataBase64: bytes.toString('base64') };
  },
  importContactsCsv: async (env, a) => {
    const { rows, errors } = parseContactsCsv(a.csv);
    let imported = 0;
    for (let i = 0; i < rows.length; i += IMPORT_BATCH) {
      const batch = rows.slice(i, i + IMPORT_BATCH);
      const r = await env.mutate('importContacts', { contacts: batch });
      if (r.ok) imported += batch.length;
      else errors.push({ line: 0, message: `contacts ${i + 1}–${i + batch.length} of the file were refused: ${r.message}` });
    }
    return { imported, errors };
  },
  exportContactsCsv: async (env) => {
    const { replica } = signedIn(env);
    const contacts: Contact[] = (replica.db.prepare('SELECT * FROM contacts ORDER BY name COLLATE NOCASE').all() as Record<string, unknown>[]).map((r) =>
      replica.store.decode('contacts', r),
    );
    return { csv: contactsToCsv(contacts), count: contacts.length };
  },
  ...adminCommands,
};

const has = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);

/** Validates the arguments with the contract's schema and runs the command's handler; relay HTTP refusals become bridge errors. */
export async function runCommand<K extends CommandName>(env: CommandEnv, name: K, args: unknown): Promise<CommandResults[K]> {
  if (!has(commandArgs, name)) throw bridgeError('unknown_command', `unknown command ${String(name)}`);
  const parsed = commandArgs[name].safeParse(args ?? {});
  if (!parsed.success) throw bridgeError('invalid_args', issuesSentence(parsed.error.issues));
  try {
    // zod's safeParse over commandArgs[K] loses the link to K; the data is that schema's output
    return await commandHandlers[name](env, parsed.data as ParsedCommandArgs<K>);
  } catch (e) {
    if (e instanceof RelayHttpError) throw bridgeError(e.code, e.message);
    throw e;
  }
}
