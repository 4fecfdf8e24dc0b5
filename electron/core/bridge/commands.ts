// Bridge commands: sign-in/out, failures, attachments, contacts CSV, admin (adminCommands.ts).
import type { CommandName, CommandResults, commandArgs } from '../../../shared/bridge';
import type { AttachmentRef, Contact } from '../../../shared/schema';
import { attachmentRefSchema } from '../../../shared/mutators/args';
import type { z } from 'zod';
import { RelayHttpError, relayFetch } from '../auth';
import type { CoreImpl } from '../core';
import { isAdminCommand, runAdminCommand } from './adminCommands';
import { bridgeError } from './errors';
import { contactsToCsv, IMPORT_BATCH, parseContactsCsv } from './csv';
import { dismissFailure } from './failures';

type Parsed<K extends CommandName> = z.output<(typeof commandArgs)[K]>;

function signedIn(core: CoreImpl) {
  const s = core.sessions.session;
  const o = core.current;
  if (!s || !o) throw bridgeError('signed_out', 'sign in first');
  return { s, o };
}

async function authed(core: CoreImpl, path: string, init: RequestInit): Promise<Response> {
  const { s } = signedIn(core);
  const url = s.relayUrl + path;
  const withToken = async (force: boolean) =>
    relayFetch(url, { ...init, headers: { ...(init.headers as Record<string, string>), authorization: `Bearer ${await core.sessions.token(force)}` } });
  try {
    return await withToken(false);
  } catch (e) {
    if (e instanceof RelayHttpError && e.status === 401) return withToken(true);
    throw e;
  }
}

export async function runCommand<K extends CommandName>(core: CoreImpl, name: K, a: Parsed<K>): Promise<CommandResults[K]> {
  try {
    return (await run(core, name, a)) as CommandResults[K];
  } catch (e) {
    if (e instanceof RelayHttpError) throw bridgeError(e.code, e.message);
    throw e;
  }
}

async function run<K extends CommandName>(core: CoreImpl, name: K, args: Parsed<K>): Promise<unknown> {
  if (isAdminCommand(name)) {
    signedIn(core);
    return runAdminCommand((path, init) => authed(core, path, init), name, args as Parsed<typeof name>);
  }
  switch (name) {
    case 'signIn': {
      const a = args as Parsed<'signIn'>;
      return core.signIn(a.relayUrl, a.email, a.password);
    }
    case 'signOut':
      await core.signOut();
      return null;
    case 'dismissFailure': {
      const { o } = signedIn(core);
      dismissFailure(o.replica.db, (args as Parsed<'dismissFailure'>).mutationId);
      core.emit({ type: 'changed', tables: [], ids: ['failures'] });
      return null;
    }
    case 'uploadAttachment': {
      const a = args as Parsed<'uploadAttachment'>;
      const res = await authed(core, '/attachments', {
        method: 'POST',
        headers: { 'content-type': a.mime, 'x-filename': encodeURIComponent(a.name) },
        body: Buffer.from(a.dataBase64, 'base64'),
      });
      return attachmentRefSchema.parse(await res.json()) satisfies AttachmentRef;
    }
    case 'attachmentData': {
      const a = args as Parsed<'attachmentData'>;
      const res = await authed(core, `/attachments/${a.id}`, { method: 'GET' });
      const bytes = Buffer.from(await res.arrayBuffer());
      return { mime: res.headers.get('content-type') ?? 'application/octet-stream', dataBase64: bytes.toString('base64') };
    }
    case 'importContactsCsv': {
      const { rows, errors } = parseContactsCsv((args as Parsed<'importContactsCsv'>).csv);
      let imported = 0;
      for (let i = 0; i < rows.length; i += IMPORT_BATCH) {
        const batch = rows.slice(i, i + IMPORT_BATCH);
        const r = await core.mutate('importContacts', { contacts: batch });
        if (r.ok) imported += batch.length;
        else errors.push({ line: 0, message: `contacts ${i + 1}–${i + batch.length} of the file were refused: ${r.message}` });
      }
      return { imported, errors };
    }
    case 'exportContactsCsv': {
      const { o } = signedIn(core);
      const contacts: Contact[] = (o.replica.db.prepare('SELECT * FROM contacts ORDER BY name COLLATE NOCASE').all() as Record<string, unknown>[]).map((r) =>
        o.replica.store.decode('contacts', r),
      );
      return { csv: contactsToCsv(contacts), count: contacts.length };
    }
    default:
      throw bridgeError('unknown_command', `unknown command ${String(name)}`);
  }
}

