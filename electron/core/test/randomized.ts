// The randomized multi-client scenario: several cores of different roles and groups
// against one real relay, random operations, offline periods, dropped connections and
// relay restarts; at quiescence every replica must equal its user's visible set.
import { uuidv7 } from 'uuidv7';
import { startTestRelay, type TestOrg } from '../../../server/testing';
import type { MutateResult } from '../../../shared/bridge';
import type { MutationArgs, MutationName } from '../../../shared/mutators/args';
import { newCore, waitFor, type TestCore } from './harness';
import { tempDir } from './helpers';
import { allRows, checkLocalIndexes, diffReplica, relaySource } from './visibleSet';

export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Actor {
  name: string;
  userId: string;
  core: TestCore;
  offline: boolean;
}

export interface ScenarioOptions {
  ops?: number;
  users?: string[];
  log?: (s: string) => void;
}

export async function runScenario(seed: number, o: ScenarioOptions = {}): Promise<void> {
  const rnd = mulberry32(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
  const subset = <T>(xs: readonly T[]): T[] => xs.filter(() => rnd() < 0.5);
  const relayDir = tempDir('parley-relay-');
  let org: TestOrg = await startTestRelay({ dataDir: relayDir });
  const port = org.relay.port;
  const names = o.users ?? ['admin', 'alice', 'bob', 'carol'];
  const actors: Actor[] = [];
  const created: { actor: Actor; mutationId: number; table: 'messages' | 'notes'; id: string }[] = [];
  const unarchived = new Set<string>();
  const log = o.log ?? (() => undefined);
  try {
    for (const n of names) {
      const core = newCore();
      await core.command('signIn', { relayUrl: org.relay.httpUrl, email: `${n}@test.parley`, password: org.password });
      actors.push({ name: n, userId: (await core.query('session', {}))!.userId, core, offline: false });
    }
    const groups = [org.groups.sales, org.groups.support];
    const members = (gid: string) => allRows(relaySource(org.relay.services.store), 'memberships').filter((m) => m.groupId === gid && relaySource(org.relay.services.store).store.get('users', m.userId)?.active).map((m) => m.userId);
    const phones = ['+447700900601', '+447700900602', '+447700900603', '+447700900604', '+447700900605'];
    const ops = o.ops ?? 60;

    for (let step = 0; step < ops; step++) {
      const a = pick(actors);
      const store = a.core.impl.current!.replica.store;
      const convs = store.find('conversations', {});
      const conv = convs.length ? pick(convs) : undefined;
      const r = rnd();
      const mutate = async <N extends MutationName>(name: N, args: MutationArgs<N>): Promise<MutateResult> => {
        const res = await a.core.mutate(name, args);
        log(`${step} ${a.name} ${name} ${res.ok ? 'ok' : res.code}`);
        return res;
      };
      if (r < 0.16) {
        await org.relay.simulator.inbound({ groupId: pick(groups).id, from: pick(phones), body: `inbound ${step}` });
      } else if (r < 0.3 && conv) {
        const id = uuidv7();
        const res = await mutate('sendMessage', { id, conversationId: conv.id, contactId: conv.contactId, groupId: conv.groupId, channel: 'sms', body: `reply ${step}` });
        if (res.ok) created.push({ actor: a, mutationId: res.mutationId, table: 'messages', id });
      } else if (r < 0.4 && conv) {
        const id = uuidv7();
        const res = await mutate('addNote', { id, conversationId: conv.id, body: `note ${step}` });
        if (res.ok) created.push({ actor: a, mutationId: res.mutationId, table: 'notes', id });
      } else if (r < 0.52 && conv) {
        const ms = members(conv.groupId);
        const visibleTo = rnd() < 0.5 ? null : (() => { const s = subset(ms); return s.length ? s : [pick(ms)]; })();
        await mutate('manageConversation', { conversationId: conv.id, visibleTo, assignees: subset(visibleTo ?? ms), baseVisibilityVersion: conv.visibilityVersion });
      } else if (r < 0.6 && conv) {
        if (conv.status === 'open') await mutate('archiveConversation', { conversationId: conv.id });
        else if ((await mutate('unarchiveConversation', { conversationId: conv.id })).ok) unarchived.add(`${conv.contactId}:${conv.groupId}`);
      } else if (r < 0.63 && conv) {
        await mutate('deleteConversation', { conversationId: conv.id });
      } else if (r < 0.69 && conv) {
        await mutate('createInvoice', { id: uuidv7(), conversationId: conv.id, currency: 'GBP', lineItems: [{ description: 'Item', quantity: 1, unitAmount: 1000 }], dueDate: '2027-01-31', send: rnd() < 0.7, messageId: uuidv7() });
      } else if (r < 0.74) {
        const inv = store.find('invoices', {});
        if (inv.length) {
          const i = pick(inv);
          await (rnd() < 0.6 ? mutate('markInvoicePaid', { invoiceId: i.id }) : mutate('voidInvoice', { invoiceId: i.id }));
        }
      } else if (r < 0.77 && conv) {
        await mutate('markRead', { targetId: conv.id, at: rnd() < 0.25 ? 0 : Date.now() });
      } else if (r < 0.8) {
        const cs = store.find('contacts', {});
        if (cs.length) await mutate('updateContact', { id: pick(cs).id, notes: `edit ${step}` });
      } else if (r < 0.88) {
        a.offline = !a.offline;
        log(`${step} ${a.name} ${a.offline ? 'offline' : 'online'}`);
        if (a.offline) await a.core.impl.current!.sync.stop();
        else a.core.impl.current!.sync.start();
      } else if (r < 0.95) {
        const cs = store.find('contacts', {});
        if (cs.length) await mutate('updateContact', { id: pick(cs).id, notes: `drop ${step}` });
        a.core.impl.current!.sync.dropConnection(); // mid-push
      } else if (r < 0.97) {
        log(`${step} relay restart`);
        await org.relay.close();
        org = await startTestRelay({ dataDir: relayDir, port });
      }
      await new Promise((res) => setTimeout(res, Math.floor(rnd() * 25)));
    }

    // quiescence: everyone online, outboxes empty, replicas equal to the visible sets
    for (const a of actors) if (a.offline) a.core.impl.current!.sync.start();
    const relaySrc = () => (relaySource(org.relay.services.store));
    let diffs: string[] = [];
    await waitFor(async () => {
      for (const a of actors) {
        const s = await a.core.query('syncStatus', {});
        if (s.state !== 'online' || s.pending > 0) return false;
      }
      diffs = actors.flatMap((a) =>
        [...diffReplica(relaySrc(), a.core.impl.current!.replica, a.userId), ...checkLocalIndexes(a.core.impl.current!.replica.db)].map((d) => `${a.name}: ${d}`),
      );
      return diffs.length === 0;
    }, 'quiescence', 60_000).catch((e: Error) => {
      throw new Error(`seed ${seed}: ${e.message}\n${diffs.join('\n')}`);
    });

    // invariants on the relay
    const rel = relaySrc();
    const open = new Map<string, number>();
    for (const c of allRows(rel, 'conversations')) {
      if (c.visibleTo) for (const u of c.assignees) if (!c.visibleTo.includes(u)) throw new Error(`seed ${seed}: assignee ${u} not visible in ${c.id}`);
      if (c.status === 'open') open.set(`${c.contactId}:${c.groupId}`, (open.get(`${c.contactId}:${c.groupId}`) ?? 0) + 1);
    }
    for (const [k, n] of open) if (n > 1 && !unarchived.has(k)) throw new Error(`seed ${seed}: ${n} open conversations for ${k}`);
    // acknowledged = applied exactly once (ids are keys) unless refused or its conversation was deleted
    for (const a of actors) {
      const meta = a.core.impl.current!.replica.meta()!;
      const acked = (await org.relay.services.engine.client(meta.clientId))?.lastMutationId ?? 0;
      if (acked !== meta.nextMutationId - 1) throw new Error(`seed ${seed}: ${a.name} relay acknowledged ${acked} of ${meta.nextMutationId - 1}`);
    }
    // Where did the relay put each row? A row that is gone without a refusal is explained only
    // by the relay's own record: a tombstone whose scope is a conversation an admin deleted
    // (wherever the relay routed it: a reply to an archived conversation lands in another one).
    const tombstone = rel.db.prepare('SELECT scope FROM tombstones WHERE table_name = ? AND row_id = ?');
    for (const c of created) {
      const refused = (await c.actor.core.query('failures', {})).some((f) => f.mutationId === c.mutationId);
      const row = rel.store.get(c.table, c.id);
      const t = tombstone.get(c.table, c.id) as { scope: string } | undefined;
      const deletedWith = t?.scope.startsWith('conv:') && rel.store.get('conversations', t.scope.slice('conv:'.length)) === undefined;
      if (!refused && !row && !deletedWith) {
        throw new Error(`seed ${seed}: acknowledged ${c.table}/${c.id} of ${c.actor.name} is lost (${t ? `tombstone in ${t.scope}, which still exists` : 'no tombstone: never written or deleted without a trace'})`);
      }
      if (refused && row) throw new Error(`seed ${seed}: refused ${c.table}/${c.id} was applied`);
    }
  } finally {
    for (const a of actors) await a.core.close();
    await org.relay.close();
  }
}
