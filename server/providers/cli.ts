// `provider` subcommands for the relay CLI:
//   provider set --group NAME --kind twilio --channel sms --number +1... --account-sid AC... --auth-token ...
//   provider set --group NAME --kind whatsapp-cloud --number +1... --phone-number-id ... --access-token ... --app-secret ... --verify-token ...
//   provider set --kind stripe --secret-key sk_... --webhook-secret whsec_... [--success-url URL]
//   provider list            (shows the webhook URLs to paste into each provider's console)
//   provider remove ID
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { openRelayStore } from '../db/open';
import type { RelayStore } from '../store/types';
import { issuesSentence } from '../../shared/refusals';
import { AccountStore } from './accounts';
import { accountView, findGroup, type AccountView } from './accountView';
import { accountInput } from './config';
import { loadSecretKey } from './secrets';

export interface ProviderCliContext {
  db: RelayStore;
  dataDir: string;
  /** the relay's public URL (PARLEY_PUBLIC_URL), shown in webhook URLs */
  publicUrl: string;
  out?: (line: string) => void;
  err?: (line: string) => void;
}

export const providerUsage = `provider set --group NAME --kind twilio|whatsapp-cloud|stripe [--channel sms|whatsapp] [options]
  twilio:          --number E164 --account-sid AC... --auth-token TOKEN [--messaging-service-sid MG...] [--region ie1 --edge dublin] [--api-base-url URL]
  whatsapp-cloud:  --number E164 --phone-number-id ID --access-token T --app-secret S --verify-token V [--business-account-id ID] [--api-version v21.0]
  stripe:          --secret-key sk_... --webhook-secret whsec_... [--success-url URL] [--cancel-url URL]
  any:             [--rate SENDS_PER_SECOND]   (omit secrets to keep the stored ones)
provider list
provider remove ID`;

const options = {
  group: { type: 'string' }, kind: { type: 'string' }, channel: { type: 'string' }, number: { type: 'string' }, rate: { type: 'string' },
  'account-sid': { type: 'string' }, 'auth-token': { type: 'string' }, 'messaging-service-sid': { type: 'string' }, 'api-base-url': { type: 'string' }, region: { type: 'string' }, edge: { type: 'string' },
  'phone-number-id': { type: 'string' }, 'access-token': { type: 'string' }, 'app-secret': { type: 'string' }, 'verify-token': { type: 'string' },
  'business-account-id': { type: 'string' }, 'api-version': { type: 'string' }, 'graph-base-url': { type: 'string' },
  'secret-key': { type: 'string' }, 'webhook-secret': { type: 'string' }, 'success-url': { type: 'string' }, 'cancel-url': { type: 'string' },
} as const;

type Flags = Partial<Record<keyof typeof options, string>>;
const defined = (o: Record<string, string | undefined>) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
const someDefined = (o: Record<string, string | undefined>) => (Object.values(o).some((v) => v !== undefined) ? defined(o) : undefined);

/** CLI flags → the same input the admin API takes. */
export function inputFromFlags(f: Flags, groupId: string | null): unknown {
  const rate = f.rate;
  switch (f.kind) {
    case 'twilio':
      return { kind: 'twilio', groupId, channel: f.channel ?? 'sms', sendRatePerSecond: rate,
        public: defined({ accountSid: f['account-sid'], number: f.number, messagingServiceSid: f['messaging-service-sid'], region: f.region, edge: f.edge, apiBaseUrl: f['api-base-url'] }),
        secrets: someDefined({ authToken: f['auth-token'] }) };
    case 'whatsapp-cloud':
      return { kind: 'whatsapp-cloud', groupId, channel: 'whatsapp', sendRatePerSecond: rate,
        public: defined({ phoneNumberId: f['phone-number-id'], number: f.number, businessAccountId: f['business-account-id'], apiVersion: f['api-version'], graphBaseUrl: f['graph-base-url'] }),
        secrets: someDefined({ accessToken: f['access-token'], appSecret: f['app-secret'], verifyToken: f['verify-token'] }) };
    case 'stripe':
      return { kind: 'stripe', sendRatePerSecond: rate, public: defined({ successUrl: f['success-url'], cancelUrl: f['cancel-url'] }),
        secrets: someDefined({ secretKey: f['secret-key'], webhookSecret: f['webhook-secret'] }) };
    default:
      throw new Error(`--kind must be twilio, whatsapp-cloud or stripe`);
  }
}

export function formatAccount(v: AccountView): string {
  const who = v.groupName ? `group "${v.groupName}" ${v.channel}` : 'organisation payments';
  const pub = Object.entries(v.public).map(([k, val]) => `${k}=${String(val)}`).join(' ');
  const secrets = Array.isArray(v.secrets) ? v.secrets.join(', ') : `UNREADABLE (${v.secrets.error})`;
  const rate = v.kind === 'stripe' ? '' : `  ${v.sendRatePerSecond}/s`;
  return [`${v.id}  ${v.kind}  ${who}${rate}`, ...(pub ? [`  ${pub}`] : []), `  secrets: ${secrets}`, ...v.webhooks.map((w) => `  ${w.label}: ${w.url}`)].join('\n');
}

/** Runs `provider <sub> ...`; returns the process exit code. */
export async function runProviderCommand(argv: string[], ctx: ProviderCliContext): Promise<number> {
  const out = ctx.out ?? ((l: string) => console.log(l));
  const err = ctx.err ?? ((l: string) => console.error(l));
  let key: Buffer | undefined;
  const accounts = new AccountStore(ctx.db, () => (key ??= loadSecretKey(ctx.dataDir)));
  const [sub, ...rest] = argv;
  try {
    if (sub === 'list') {
      const rows = await accounts.list();
      if (!rows.length) out('No provider accounts: every group uses the simulator and payments are manual.');
      for (const row of rows) out(formatAccount(await accountView(ctx.db, accounts, ctx.publicUrl, row)));
      return 0;
    }
    if (sub === 'remove' && rest[0]) {
      if (!(await accounts.remove(rest[0]))) throw new Error(`no provider account ${rest[0]}`);
      out(`Removed ${rest[0]}.`);
      return 0;
    }
    if (sub === 'set') {
      const { values } = parseArgs({ args: rest, options, strict: true });
      let groupId: string | null = null;
      if (values.kind !== 'stripe') {
        if (!values.group) throw new Error('--group NAME is required');
        const g = await findGroup(ctx.db, values.group);
        if (!g) throw new Error(`no group named ${values.group}`);
        groupId = g.id;
      }
      const input = inputFromFlags(values, groupId);
      const parsed = accountInput.safeParse(input);
      if (!parsed.success) throw new Error(issuesSentence(parsed.error.issues));
      const row = await accounts.upsert(input);
      out(formatAccount(await accountView(ctx.db, accounts, ctx.publicUrl, row)));
      return 0;
    }
    err(providerUsage);
    return 2;
  } catch (e) {
    err(`provider ${sub ?? ''}: ${(e as Error).message}`);
    return 1;
  }
}

/**
 * Entry point for `npm run relay -- provider …` (argv after "provider"). Takes the relay's
 * `--data DIR` (default ~/.parley-relay) and writes the database directly even while a relay
 * serves it: provider accounts are relay-only rows, not versioned, and the relay re-reads them
 * on every send, so there is no version counter to race.
 */
export async function providerCliMain(argv: string[]): Promise<number> {
  const args = [...argv];
  const at = args.indexOf('--data');
  const dataDir = at >= 0 ? args.splice(at, 2)[1] ?? '' : join(homedir(), '.parley-relay');
  if (!dataDir) {
    console.error('provider: --data needs a directory');
    return 2;
  }
  const marker = join(dataDir, 'relay.json');
  const running = existsSync(marker) ? (JSON.parse(readFileSync(marker, 'utf8')) as { httpUrl?: string }).httpUrl : undefined;
  const publicUrl = (process.env.PARLEY_PUBLIC_URL ?? running ?? 'https://YOUR-PUBLIC-RELAY-URL').replace(/\/+$/, '');
  const db = await openRelayStore(dataDir, process.env.DATABASE_URL || undefined);
  try {
    return await runProviderCommand(args, { db, dataDir, publicUrl });
  } finally {
    await db.close();
  }
}
