// `npm run relay -- <command>`: serve the relay and administer it.
//   serve [--port 8080] [--host 127.0.0.1] [--seed demo]        (default command)
//   init --org NAME --email E --name N --password P             first admin; refuses when initialised
//   user add --email E --name N --role agent|admin --password P [--group NAME]...
//   user deactivate --email E        user list
//   group add --name N [--sms +44…] [--whatsapp +44…]
//   member add --group NAME --email E
//   simulate inbound --group NAME --from +447700900123 [--channel sms|whatsapp] "text"
//   simulate payment --invoice INV-000001|ID   (demo: as if the contact paid; manual payments only)
//   template list --group NAME
//   template add --group NAME --name N --language en_GB --body "Hi {{1}}" [--provider-id HX…] [--for-payments]
//   template remove --group NAME --name N [--language en_GB]
//   template fetch --group NAME          (from the group's WhatsApp account: Meta Graph or Twilio Content API)
// Every command takes --data DIR (default: the demo relay of `npm start` in this folder,
// .data/relay, when it exists; else ~/.parley-relay). When a relay is serving that data dir
// (relay.json, live pid), write commands go to it over HTTP with an admin token
// (--admin-email/--admin-password or PARLEY_ADMIN_EMAIL/PARLEY_ADMIN_PASSWORD; the demo
// organisation's admin for the demo relay), because a second writer would race the relay's
// version counter; otherwise they write directly. `serve` refuses a data dir another relay serves.
// DATABASE_URL=postgres://… puts the store in that PostgreSQL database (every command).
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { openRelayStore } from './db/open';
import { Engine, SYSTEM_ACTOR } from './sync/engine';
import { createAdminApi } from './admin';
import { mutators } from '../shared/mutators/index';
import { startRelay, DEFAULT_RETENTION } from './relay';
import { createLogger } from './log';
import { DEMO_ADMIN_EMAIL, DEMO_PASSWORD } from './seed/demo';
import { runningRelay } from './relayLock';
import { providerCliMain } from './providers/cli';
import { AccountStore } from './providers/accounts';
import { loadSecretKey } from './providers/secrets';
import { fetchTemplates, removeTemplate, saveTemplate, TemplateError } from './providers/templates';
import { sameTemplate } from '../shared/domain/templates';
import { projectRoot } from './paths';

// `provider …` has its own flags (server/providers/cli.ts, docs/PROVIDERS.md)
if (process.argv[2] === 'provider') process.exit(await providerCliMain(process.argv.slice(3)));

const { values: o, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    data: { type: 'string' },
    port: { type: 'string', default: '8080' },
    host: { type: 'string', default: '127.0.0.1' },
    seed: { type: 'string' },
    org: { type: 'string' },
    email: { type: 'string' },
    name: { type: 'string' },
    password: { type: 'string' },
    role: { type: 'string', default: 'agent' },
    group: { type: 'string', multiple: true },
    sms: { type: 'string' },
    whatsapp: { type: 'string' },
    from: { type: 'string' },
    channel: { type: 'string', default: 'sms' },
    invoice: { type: 'string' },
    language: { type: 'string' },
    body: { type: 'string' },
    'provider-id': { type: 'string' },
    'for-payments': { type: 'boolean' },
    'admin-email': { type: 'string' },
    'admin-password': { type: 'string' },
  },
});

const [cmd = 'serve', sub, ...rest] = positionals;

/** `npm start`'s relay data in this folder (PARLEY_DATA_DIR as in scripts/start.ts). */
const demoDir = join(resolve(process.env.PARLEY_DATA_DIR ?? join(projectRoot, '.data')), 'relay');
const dataDir: string = o.data ?? (existsSync(join(demoDir, 'relay.sqlite')) ? demoDir : join(homedir(), '.parley-relay'));
const isDemo = resolve(dataDir) === resolve(demoDir);
const need = (v: string | undefined, flag: string): string => {
  if (!v) fail(`missing --${flag}`);
  return v;
};
function fail(msg: string): never {
  console.error(`parley-relay: ${msg}`);
  process.exit(1);
}

function running(): string | null {
  return runningRelay(dataDir)?.httpUrl ?? null;
}

/** DATABASE_URL (postgres://…): the store is that PostgreSQL database; the data dir keeps local files. */
const databaseUrl = process.env.DATABASE_URL || undefined;

async function direct() {
  const store = await openRelayStore(dataDir, databaseUrl);
  const engine = await Engine.open(store, mutators, DEFAULT_RETENTION);
  return { store, engine, admin: createAdminApi(engine) };
}

async function http(url: string, method: string, path: string, body?: unknown): Promise<unknown> {
  // the demo relay's admin is known; any other relay needs its admin's credentials
  const demo = isDemo ? { email: DEMO_ADMIN_EMAIL, password: DEMO_PASSWORD } : null;
  const email = o['admin-email'] || process.env.PARLEY_ADMIN_EMAIL || demo?.email || fail('a relay is running: give --admin-email or PARLEY_ADMIN_EMAIL');
  const password = o['admin-password'] || process.env.PARLEY_ADMIN_PASSWORD || demo?.password || fail('a relay is running: give --admin-password or PARLEY_ADMIN_PASSWORD');
  const login = await fetch(`${url}/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) });
  if (!login.ok) fail(`admin login failed: ${await login.text()}`);
  const { accessToken } = (await login.json()) as { accessToken: string };
  const res = await fetch(`${url}${path}`, { method, headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  if (!res.ok) fail(`${method} ${path}: ${res.status} ${await res.text()}`);
  return res.status === 204 ? null : res.json();
}

/** Direct (no relay running) template changes run as the first active admin: the mutators check the role. */
async function cliAdmin(engine: Engine): Promise<{ userId: string; role: 'admin' }> {
  const a = (await engine.store.rows.find('users', { role: 'admin' })).find((u) => u.active) ?? fail('no active admin: run init first');
  return { userId: a.id, role: 'admin' };
}

async function byName(engine: Engine, name: string): Promise<string> {
  const g = (await engine.store.rows.find('groups', {})).find((x) => x.name.toLowerCase() === name.toLowerCase());
  return g?.id ?? fail(`no group named ${name}`);
}
async function byEmail(engine: Engine, email: string): Promise<string> {
  return (await engine.store.rows.find('users', { email: email.toLowerCase() }))[0]?.id ?? fail(`no user ${email}`);
}

async function main(): Promise<void> {
  const key = sub ? `${cmd} ${sub}` : cmd;
  if (key === 'serve' || cmd === 'serve') {
    // stdout is the relay's JSON log (one object a line, for a log shipper): no plain-text lines in it
    // every relay of a cluster must read the provider credentials any of them saved
    if (process.env.NATS_URL && !process.env.PARLEY_SECRET_KEY) {
      fail('several relays (NATS_URL) need the same PARLEY_SECRET_KEY (32 bytes, base64: `openssl rand -base64 32`), else one relay cannot read the provider credentials another saved');
    }
    const logger = createLogger();
    const relay = await startRelay({
      dataDir, databaseUrl, port: Number(o.port), host: o.host, seed: o.seed === 'demo' ? 'demo' : 'none', logger,
      // several relays on one organisation (docs/SCALING.md)
      ...(process.env.NATS_URL ? { natsUrl: process.env.NATS_URL } : {}),
      ...(process.env.PARLEY_ORG_KEY ? { orgKey: process.env.PARLEY_ORG_KEY } : {}),
    });
    if (o.seed === 'demo') logger.info({ accounts: ['admin@parley.test', 'amira@parley.test', 'ben@parley.test', 'chloe@parley.test'] }, 'demo organisation: the password of every demo account is in the README');
    // graceful: sockets get what is queued and a 1001 close they reconnect from; effects finish
    const stop = () => void relay.close({ graceful: true }).then(() => process.exit(0));
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
    return;
  }
  const url = key === 'user list' ? null : running();
  const { store, engine, admin } = await direct();
  try {
    await command(key, url, engine, admin);
  } finally {
    await store.close();
  }
}

async function command(key: string, url: string | null, engine: Engine, admin: ReturnType<typeof createAdminApi>): Promise<void> {
  switch (key) {
    case 'init': {
      if (url) fail('stop the relay before init');
      if ((await engine.store.rows.count('users', {})) > 0) fail(`${dataDir} is already initialised`);
      await engine.meta.set('orgName', need(o.org, 'org'));
      const u = await admin.createUser({ email: need(o.email, 'email'), name: need(o.name, 'name'), role: 'admin', password: need(o.password, 'password') });
      return console.log(`initialised ${o.org ?? ''}: admin ${u.email}`);
    }
    case 'user add': {
      const role = o.role === 'admin' ? 'admin' : 'agent';
      const groupIds = await Promise.all((o.group ?? []).map((g) => byName(engine, g)));
      const u = { email: need(o.email, 'email'), name: need(o.name, 'name'), role, password: need(o.password, 'password'), groupIds } as const;
      if (url) return console.log(await http(url, 'POST', '/admin/users', u));
      return console.log(`added ${(await admin.createUser(u)).email}`);
    }
    case 'user deactivate': {
      const id = await byEmail(engine, need(o.email, 'email'));
      if (url) await http(url, 'POST', `/admin/users/${id}/deactivate`);
      else await admin.deactivateUser(id);
      return console.log(`deactivated ${o.email ?? ''}`);
    }
    case 'user list':
      for (const u of await engine.store.rows.find('users', {})) console.log(`${u.email}\t${u.name}\t${u.role}${u.active ? '' : '\t(deactivated)'}`);
      return;
    case 'group add': {
      const g = { name: need(o.name, 'name'), smsNumber: o.sms, whatsappNumber: o.whatsapp };
      if (url) return console.log(await http(url, 'POST', '/admin/groups', g));
      return console.log(`added group ${(await admin.createGroup(g)).name}`);
    }
    case 'member add': {
      const groupId = await byName(engine, need(o.group?.[0], 'group'));
      const userId = await byEmail(engine, need(o.email, 'email'));
      if (url) await http(url, 'POST', '/admin/members', { groupId, userId });
      else await admin.addMember(groupId, userId);
      return console.log('added');
    }
    case 'simulate inbound': {
      const m = { groupId: await byName(engine, need(o.group?.[0], 'group')), from: need(o.from, 'from'), body: rest.join(' ') || fail('give the text'), channel: o.channel === 'whatsapp' ? 'whatsapp' : 'sms' };
      if (url) await http(url, 'POST', '/simulator/inbound', m);
      else await engine.runAs(SYSTEM_ACTOR, 'receiveInbound', m);
      return console.log('delivered');
    }
    case 'simulate payment': {
      const ref = need(o.invoice, 'invoice');
      const inv = (await engine.store.rows.get('invoices', ref)) ?? (await engine.store.rows.find('invoices', { number: ref }))[0] ?? fail(`no invoice ${ref}`);
      if (inv.status !== 'sent') fail(`invoice ${inv.number} is ${inv.status === 'draft' ? 'a draft' : inv.status}: only a sent invoice can be paid`);
      if (url) await http(url, 'POST', '/simulator/payment', { invoiceId: inv.id });
      else await engine.runAs(SYSTEM_ACTOR, 'setPaymentStatus', { invoiceId: inv.id, status: 'paid' });
      return console.log(`simulated payment: invoice ${inv.number} is paid`);
    }
    case 'template list':
    case 'template add':
    case 'template remove':
    case 'template fetch': {
      const groupId = await byName(engine, need(o.group?.[0], 'group'));
      const show = (ts: { name: string; language: string; body: string; providerId?: string; forPayments?: boolean }[]) => {
        if (!ts.length) console.log('no approved templates');
        for (const t of ts) console.log(`${t.name}\t${t.language}${t.providerId ? `\t${t.providerId}` : ''}${t.forPayments ? '\t(payment links)' : ''}\n  ${t.body}`);
      };
      if (sub === 'list') return show((await engine.store.rows.get('groups', groupId))?.templates ?? []);
      if (sub === 'add') {
        const template = { name: need(o.name, 'name'), language: need(o.language, 'language'), body: need(o.body, 'body'), ...(o['provider-id'] ? { providerId: o['provider-id'] } : {}), ...(o['for-payments'] ? { forPayments: true } : {}) };
        const existing = (await engine.store.rows.get('groups', groupId))?.templates.some((t) => sameTemplate(t, template));
        const body = { ...(existing ? { previousName: template.name, previousLanguage: template.language } : {}), template };
        if (url) return show(((await http(url, 'PUT', `/admin/groups/${groupId}/templates`, body)) as { templates: [] }).templates);
        return show(await saveTemplate(engine, await cliAdmin(engine), groupId, body));
      }
      if (sub === 'remove') {
        const name = need(o.name, 'name');
        const language = o.language;
        const path = `/admin/groups/${groupId}/templates/${encodeURIComponent(name)}${language ? `/${encodeURIComponent(language)}` : ''}`;
        if (url) return show(((await http(url, 'DELETE', path)) as { templates: [] }).templates);
        return show(await removeTemplate(engine, await cliAdmin(engine), groupId, name, language));
      }
      const r = url
        ? ((await http(url, 'POST', `/admin/groups/${groupId}/templates/fetch`)) as { fetched: string[]; templates: [] })
        : await fetchTemplates(engine, new AccountStore(engine.store, () => loadSecretKey(dataDir)), groupId);
      console.log(r.fetched.length ? `fetched ${r.fetched.length} approved template(s): ${r.fetched.join(', ')}` : 'the provider has no approved templates with numbered blanks');
      return show(r.templates);
    }
    default:
      fail(`unknown command ${key}`);
  }
}

main().catch((e: unknown) => fail(e instanceof TemplateError || e instanceof Error ? e.message : String(e)));
