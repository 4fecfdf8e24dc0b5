// What IT decides for every user of a machine: a machine-wide policy file (pushed by
// device management) and environment variables, the latter winning. Pure apart from
// reading the file; tested under Node. See docs/INSTALL.md "Policy".
import { join } from 'node:path';
import { z } from 'zod';
import { readJsonFile } from './atomicFile';

const httpsUrl = z.string().url().refine((u) => u.startsWith('https://'), 'must be an https:// URL');

const policyFile = z
  .object({
    updates: z.enum(['on', 'off']).optional(),
    updateChannel: z.enum(['stable', 'beta']).optional(),
    updateUrl: httpsUrl.optional(),
    updateCheckHours: z.number().min(1).max(168).optional(),
    relayUrl: z.string().url().optional(),
    crashReportUrl: httpsUrl.optional(),
  })
  .strict();

export interface Policy {
  updates: boolean;
  /** why updates are off, for the log and the "too old" screen */
  updatesOffReason: string | null;
  updateChannel: 'stable' | 'beta';
  /** a feed hosted by the business instead of the one built in (generic provider) */
  updateUrl: string | null;
  updateCheckHours: number;
  relayUrl: string | null;
  crashReportUrl: string | null;
  /** where the policy was read from, and what was wrong with it (logged, shown in diagnostics) */
  source: string;
  problems: string[];
}

export function policyFilePath(platform: NodeJS.Platform = process.platform, env: NodeJS.ProcessEnv = process.env): string {
  if (env.PARLEY_POLICY_FILE) return env.PARLEY_POLICY_FILE;
  if (platform === 'win32') return join(env.ProgramData ?? 'C:\\ProgramData', 'Parley', 'policy.json');
  if (platform === 'darwin') return '/Library/Application Support/Parley/policy.json';
  return '/etc/parley/policy.json';
}

const truthy = (v: string | undefined): boolean => v !== undefined && /^(1|true|yes|on)$/i.test(v.trim());

export function readPolicy(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): Policy {
  const file = policyFilePath(platform, env);
  const problems: string[] = [];
  let p: z.infer<typeof policyFile> = {};
  const r = readJsonFile(file, (raw) => {
    const parsed = policyFile.safeParse(raw);
    if (!parsed.success) problems.push(`${file}: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(file)'} ${i.message}`).join('; ')}`);
    return parsed.success ? parsed.data : null;
  });
  if (r.ok) p = r.value;
  else if (!r.missing && problems.length === 0) problems.push(`${file}: ${r.reason}`);

  let updates = p.updates !== 'off';
  let updatesOffReason: string | null = updates ? null : `turned off by ${file}`;
  if (truthy(env.PARLEY_DISABLE_UPDATES)) {
    updates = false;
    updatesOffReason = 'turned off by PARLEY_DISABLE_UPDATES';
  }
  const envChannel = env.PARLEY_UPDATE_CHANNEL;
  if (envChannel && envChannel !== 'stable' && envChannel !== 'beta') problems.push(`PARLEY_UPDATE_CHANNEL=${envChannel}: expected stable or beta`);
  const channel = envChannel === 'beta' || envChannel === 'stable' ? envChannel : (p.updateChannel ?? 'stable');
  const envUrl = env.PARLEY_UPDATE_URL;
  const envUrlOk = envUrl ? httpsUrl.safeParse(envUrl).success : false;
  if (envUrl && !envUrlOk) problems.push(`PARLEY_UPDATE_URL=${envUrl}: must be an https:// URL`);
  return {
    updates,
    updatesOffReason,
    updateChannel: channel,
    updateUrl: envUrl && envUrlOk ? envUrl : (p.updateUrl ?? null),
    updateCheckHours: p.updateCheckHours ?? 4,
    relayUrl: env.PARLEY_RELAY_URL ?? p.relayUrl ?? null,
    crashReportUrl: p.crashReportUrl ?? null,
    source: r.ok ? file : `${file} (${r.ok ? 'read' : r.missing ? 'absent' : 'ignored'})`,
    problems,
  };
}
