// Randomized: several clients, random operations (visibility, membership, deletes, chats),
// random disconnects. At quiescence every client's rows equal exactly what its user may see.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuidv7 } from 'uuidv7';
import { tableNames } from '../../shared/schema';
import { catchUp } from '../sync/catchup';
import { loadViewer } from '../sync/visibility';
import { startTestRelay, type TestOrg } from '../testing';
import { connectAs } from './helpers';
import type { WsTestClient } from './wsClient';

type Name = 'admin' | 'alice' | 'bob' | 'carol';
const names: Name[] = ['admin', 'alice', 'bob', 'carol'];

let org: TestOrg;
beforeAll(async () => {
  org = await startTestRelay();
});
afterAll(async () => {
  await org.relay.close();
});

function rng(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
}

async function expected(userId: string): Promise<Map<string, number>> {
  const engine = org.relay.services.engine;
  const viewer = await loadViewer(engine.store.rows, userId);
  if (!viewer) throw new Error('no viewer');
  const parts = (await catchUp(engine, viewer, null)).builder.parts(1e9);
  return new Map(parts.flatMap((p) => p.puts.map((x) => [`${x.t}:${String(x.r.id)}`, Number(x.r.version)] as [string, number])));
}

function actual(c: WsTestClient): Map<string, number> {
  const out = new Map<string, number>();
  for (const t of tableNames) for (const r of c.table(t)) out.set(`${t}:${String((r as { id: string }).id)}`, Number((r as { version: number }).version));
  return out;
}

describe('convergence', () => {
  it.each([7, 11, 23, 42])('every replica equals its user\'s visible set after random operations (seed %i)', async (seed) => {
    const rand = rng(seed);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
    const clients = new Map<Name, WsTestClient>();
    for (const n of names) clients.set(n, await connectAs(org, n));
    const ids = { alice: org.alice.id, bob: org.bob.id, carol: org.carol.id, admin: org.admin.id };
    const groups = [org.groups.sales.id, org.groups.support.id];
    const contacts: string[] = [];
    const convs: string[] = [];
    const notes: string[] = [];
    const chats: string[] = [];
    const admin = () => clients.get('admin') as WsTestClient;

    for (let i = 0; i < 4; i++) {
      const id = uuidv7();
      await admin().mutate('createContact', { id, name: `R${seed}-${i}`, phone: `+4477009008${String(seed % 10)}${i}` });
      contacts.push(id);
    }
    for (let step = 0; step < 150; step++) {
      const who = pick(names);
      const c = clients.get(who) as WsTestClient;
      const r = rand();
      if (r < 0.2) {
        const id = uuidv7();
        convs.push(id);
        c.push({ name: 'sendMessage', args: { id: uuidv7(), contactId: pick(contacts), groupId: pick(groups), newConversationId: id, channel: 'sms', body: `s${step}` } });
      } else if (r < 0.35 && convs.length) {
        const vis = rand() < 0.4 ? null : [ids.alice, ids.bob, ids.carol].filter(() => rand() < 0.5);
        const target = pick(convs);
        admin().push({ name: 'manageConversation', args: { conversationId: target, visibleTo: vis, assignees: [], baseVisibilityVersion: admin().row('conversations', target)?.visibilityVersion ?? 0 } });
      } else if (r < 0.5 && convs.length) {
        const id = uuidv7();
        notes.push(id);
        c.push({ name: 'addNote', args: { id, conversationId: pick(convs), body: `n${step}` } });
      } else if (r < 0.55 && notes.length) {
        c.push({ name: 'deleteNote', args: { id: pick(notes) } });
      } else if (r < 0.65) {
        const user = pick([ids.alice, ids.bob, ids.carol]);
        admin().push({ name: rand() < 0.5 ? 'addMember' : 'removeMember', args: { groupId: pick(groups), userId: user } });
      } else if (r < 0.7 && convs.length) {
        admin().push({ name: 'deleteConversation', args: { conversationId: pick(convs) } });
      } else if (r < 0.78) {
        const id = uuidv7();
        chats.push(id);
        const me = ids[who];
        const others = [ids.alice, ids.bob, ids.carol, ids.admin].filter((u) => u !== me && rand() < 0.5);
        c.push({ name: 'createChat', args: { id, members: [me, ...others], title: 'x' } });
      } else if (r < 0.85 && chats.length) {
        c.push({ name: 'sendChatMessage', args: { id: uuidv7(), chatId: pick(chats), body: `c${step}` } });
      } else if (r < 0.9) {
        await org.relay.simulator.inbound({ groupId: pick(groups), from: `+44770090081${Math.floor(rand() * 10)}`, body: `in${step}` });
      } else {
        // disconnect and come back later from the same cookie
        const { cookie, clientId, nextMutationId, rows } = c;
        await c.close();
        const back = await connectAs(org, who, { cookie, clientId, lastMutationId: nextMutationId - 1, rows });
        clients.set(who, back);
      }
      if (step % 10 === 0) await new Promise((res) => setTimeout(res, 5));
    }
    await org.relay.services.effects.idle();
    await new Promise((res) => setTimeout(res, 100));
    await org.relay.services.effects.idle();
    for (const n of names) {
      const c = clients.get(n) as WsTestClient;
      // barrier: a push's poke comes after every poke queued before it
      c.push({ name: 'markRead', args: { targetId: 'none', at: 1 } });
      await c.waitFor('poke', (p) => p.lastMutationId >= c.nextMutationId - 1 && !p.more);
    }
    for (const n of names) {
      const c = clients.get(n) as WsTestClient;
      expect(c.all('error').filter((e) => e.code !== 'mutation_order')).toEqual([]);
      const want = await expected(ids[n]);
      const got = actual(c);
      if (process.env.DEBUG_CONVERGENCE) {
        const results = c.all('pushResult').flatMap((f) => f.results);
        console.log(n, 'ok', results.filter((x) => x.status === 'ok').length, 'rejected', results.filter((x) => x.status === 'rejected').map((x) => x.code).join(' '));
        const missing = [...want.keys()].filter((k) => !got.has(k));
        const extra = [...got.keys()].filter((k) => !want.has(k));
        const stale = [...want.keys()].filter((k) => got.has(k) && got.get(k) !== want.get(k));
        console.log(n, { missing: missing.slice(0, 10), nMissing: missing.length, extra: extra.slice(0, 10), stale: stale.slice(0, 10), frames: c.frames.map((f) => f.type).join(',').slice(0, 300) });
      }
      expect([...got.entries()].sort()).toEqual([...want.entries()].sort());
    }
    await Promise.all([...clients.values()].map((c) => c.close()));
  });
});
