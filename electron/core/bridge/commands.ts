// Every bridge command: one handler per name of the contract (shared/bridge.ts `commandArgs`).
// Sign-in/out, failures, attachments, contacts CSV here; admin commands in adminCommands.ts.
import { commandArgs, type ImportOutcomeRow, type CommandHandlers, type CommandName, type CommandResults, type ParsedCommandArgs } from '../../../shared/bridge';
import { httpApi, httpPath } from '../../../shared/http';
import type { Contact } from '../../../shared/schema';
import { RelayHttpError } from '../auth';
import { adminCommands } from './adminCommands';
import { authedFetch, signedIn, type CommandEnv } from './commandEnv';
import { bridgeError } from './errors';
import { contactsToCsv, IMPORT_BATCH, previewContactsCsv } from './csv';
import { dismissFailure } from './failures';
import { issuesSentence } from '../../../shared/refusals';

export type { CommandEnv } from './commandEnv';

const byPhone = (replica: ReturnType<typeof signedIn>['replica']) => {
  const stmt = replica.db.prepare('SELECT * FROM contacts WHERE phone = ? LIMIT 1');
  return (phone: string): Contact | undefined => {
    const r = stmt.get(phone) as Record<string, unknown> | undefined;
    return r ? replica.store.decode('contacts', r) : undefined;
  };
};

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
    dismissFailure(replica.db, a.id);
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
  previewContactsCsv: async (env, a) => {
    const { replica } = signedIn(env);
    return { rows: previewContactsCsv(a.csv, byPhone(replica)).rows };
  },
  importContactsCsv: async (env, a) => {
    // nothing written but what the admin chose: new lines are created, matching lines follow their choice
    const { replica } = signedIn(env);
    const { rows: preview, parsed } = previewContactsCsv(a.csv, byPhone(replica));
    const action = (line: number) => a.choices[String(line)] ?? a.onMatch;
    const outcome = new Map<number, ImportOutcomeRow>();
    for (const p of preview) {
      const base = { line: p.line, name: p.name, phone: p.phone };
      if (p.status === 'invalid') outcome.set(p.line, { ...base, outcome: 'invalid', reason: p.reason });
      else if (p.status === 'new') outcome.set(p.line, { ...base, outcome: 'created', reason: null });
      else {
        const act = action(p.line);
        const who = p.existing?.name ?? 'an existing contact';
        outcome.set(p.line, {
          ...base,
          outcome: act === 'update' ? 'updated' : act === 'keep' ? 'kept' : 'skipped',
          reason: act === 'update' ? `updated ${who}` : act === 'keep' ? `kept ${who} as it was (tags added)` : `skipped: ${p.phone} already belongs to ${who}`,
        });
      }
    }
    const toWrite = parsed.filter((r) => outcome.get(r.line ?? 0)?.outcome !== 'skipped').map(({ line, ...r }) => ({ ...r, onMatch: action(line ?? 0) }));
    for (let i = 0; i < toWrite.length; i += IMPORT_BATCH) {
      const batch = toWrite.slice(i, i + IMPORT_BATCH);
      const r = await env.mutate('importContacts', { contacts: batch });
      if (!r.ok) {
        for (const row of parsed.filter((p) => batch.some((b) => b.id === p.id))) {
          const o = outcome.get(row.line ?? 0);
          if (o) outcome.set(o.line, { ...o, outcome: 'refused', reason: r.message });
        }
      }
    }
    const rows = [...outcome.values()].sort((x, y) => x.line - y.line);
    return {
      imported: rows.filter((r) => r.outcome === 'created' || r.outcome === 'updated' || r.outcome === 'kept').length,
      errors: rows.filter((r) => r.outcome === 'invalid' || r.outcome === 'refused').map((r) => ({ line: r.line, message: r.reason ?? 'refused' })),
      rows,
    };
  },
  exportContactsCsv: async (env) => {
    const { replica } = signedIn(env);
    const contacts: Contact[] = (replica.db.prepare('SELECT * FROM contacts ORDER BY name COLLATE NOCASE').all() as Record<string, unknown>[]).map((r) =>
      replica.store.decode('contacts', r),
    );
    // the organisation's audit log records exports; offline, the export still happens
    const r = httpApi.recordExport;
    await authedFetch(env, r.path, { method: r.method, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ what: 'contacts', count: contacts.length }) }).catch(() => undefined);
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
