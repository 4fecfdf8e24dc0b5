// Bench organisations written straight into a relay data dir (the relay is not running yet):
// users through the admin API (credentials, memberships), bulk rows through the row store in
// transactions of 5,000, all at one version. Row generation is deterministic (seeded).
import { openStore } from '../../server/db/open';
import { Engine } from '../../server/sync/engine';
import { createAdminApi } from '../../server/admin';
import { mutators } from '../../shared/mutators/index';
import type { Contact, Conversation, Message, RowOf, TableName } from '../../shared/schema';

export const BENCH_PASSWORD = 'bench password 1';
const WORDS = 'order parcel delivery invoice refund pickup tomorrow monday thanks hello price quote booking table window garden paint blue green red repair warranty receipt address street london manchester cancel confirm schedule urgent question answer photo'.split(' ');

export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface SeededOrg {
  /** email by role: admin, affected agents (sales), idle agents (support) */
  admin: string;
  sales: string[];
  support: string[];
  salesGroupId: string;
  /** conversations in sales (the ones benchmarks write to) */
  salesConversations: string[];
  /** synced rows an admin sees */
  rows: number;
  version: number;
}

export interface SeedSizes {
  conversations: number;
  messages: number;
  contacts: number;
  salesAgents: number;
  supportAgents: number;
}

/** One row of every bulk table, in relay order; half of the conversations in sales, half in support. */
function* bulkRows(sz: SeedSizes, groups: [string, string], version: number): Generator<{ t: TableName; r: RowOf<TableName> }> {
  const r = rng(42);
  const now = 1_750_000_000_000;
  for (let k = 0; k < sz.contacts; k++) {
    const c: Contact = { id: `k${k}`, name: `Contact ${k} ${WORDS[k % WORDS.length] ?? ''}`, phone: `+4477${String(k).padStart(8, '0')}`, email: null, tags: k % 7 === 0 ? ['vip'] : [], notes: '', optedOut: false, defaultVisibleTo: null, defaultAssignees: [], createdAt: now, updatedAt: now, version };
    yield { t: 'contacts', r: c };
  }
  const perConv = Math.max(1, Math.round(sz.messages / sz.conversations));
  let m = 0;
  for (let c = 0; c < sz.conversations; c++) {
    const at = now + c * 1000;
    const conv: Conversation = {
      id: `c${c}`, contactId: `k${c % Math.max(1, sz.contacts)}`, groupId: groups[c % 2] as string, channel: 'sms', status: c % 10 === 0 ? 'archived' : 'open', visibleTo: null,
      assignees: [], createdAt: at, openedAt: at, archivedAt: null, lastActivityAt: at, lastPreview: 'last message', lastInboundAt: at, snoozedBy: null, snoozedUntil: null, wokenAt: null, labels: [], visibilityVersion: 0, visibilityChangedBy: null, autoAssignWaiting: false, autoAssignedTo: null, autoAssignedAt: null, metaOnly: null, version,
    };
    yield { t: 'conversations', r: conv };
    for (let j = 0; j < perConv && m < sz.messages; j++, m++) {
      const words = Array.from({ length: 6 + Math.floor(r() * 10) }, () => WORDS[Math.floor(r() * WORDS.length)]).join(' ');
      const msg: Message = {
        id: `m${m}`, conversationId: conv.id, direction: j % 2 ? 'outbound' : 'inbound', channel: 'sms', body: words, authorId: null,
        status: 'delivered', failureReason: null, segments: 1, attachments: [], location: null, templateName: null, providerMessageId: null, broadcastId: null, paymentRef: null, scheduledAt: null,
        createdAt: at - (perConv - j) * 10, version,
      };
      yield { t: 'messages', r: msg };
    }
  }
}

export async function seedOrg(dataDir: string, sz: SeedSizes): Promise<SeededOrg> {
  const store = openStore(dataDir);
  const engine = await Engine.open(store, mutators, 100_000_000, () => undefined);
  const admin = createAdminApi(engine);
  await engine.meta.set('orgName', 'Bench');
  const sales = await admin.createGroup({ name: 'Sales', smsNumber: '+447700900001', simulated: true });
  const support = await admin.createGroup({ name: 'Support', smsNumber: '+447700900003', simulated: true });
  await admin.createUser({ email: 'admin@bench.parley', name: 'Admin', role: 'admin', password: BENCH_PASSWORD, groupIds: [sales.id, support.id] });
  const mk = async (prefix: string, n: number, g: string): Promise<string[]> => {
    const emails: string[] = [];
    for (let i = 0; i < n; i++) emails.push((await admin.createUser({ email: `${prefix}${i}@bench.parley`, name: `${prefix} ${i}`, role: 'agent', password: BENCH_PASSWORD, groupIds: [g] })).email);
    return emails;
  };
  const salesEmails = await mk('sales', sz.salesAgents, sales.id);
  const supportEmails = await mk('support', sz.supportAgents, support.id);
  const version = engine.version() + 1;
  let batch: { t: TableName; r: RowOf<TableName> }[] = [];
  const flush = async (): Promise<void> => {
    const rows = batch;
    batch = [];
    await store.write((tx) => tx.sync((w) => {
      for (const x of rows) w.put(x.t, x.r);
    }));
  };
  let rows = 0;
  for (const x of bulkRows(sz, [sales.id, support.id], version)) {
    batch.push(x);
    rows++;
    if (batch.length === 5000) await flush();
  }
  await flush();
  await engine.meta.set('version', String(version));
  const salesConversations = (await store.all<{ id: string }>('SELECT id FROM conversations WHERE group_id = ? LIMIT 50', [sales.id])).map((c) => c.id);
  const orgRows = ((await store.get<{ n: number }>('SELECT (SELECT count(*) FROM users) + (SELECT count(*) FROM groups) + (SELECT count(*) FROM memberships) AS n')) ?? { n: 0 }).n;
  await store.close();
  return { admin: 'admin@bench.parley', sales: salesEmails, support: supportEmails, salesGroupId: sales.id, salesConversations, rows: rows + orgRows, version };
}
