// The randomized mutation step shared by the single-relay scenario (randomized.ts) and the
// cluster scenario (clusterScenario.ts): a seeded generator, a table of steps with their weights
// as data, and the invariants both check at quiescence on what the steps created.
import { uuidv7 } from 'uuidv7';
import type { MutateResult } from '../../../shared/bridge';
import type { MutationArgs, MutationName } from '../../../shared/mutators/args';
import { mulberry32 } from '../../../shared/random';
import type { RowOf } from '../../../shared/schema';
import type { RowStore } from '../../../shared/store/rowStore';
import type { TestCore } from './harness';
import { allRows, type RowSource } from './visibleSet';

/** A seeded source of choices. */
export interface Random {
  rnd: () => number;
  pick: <T>(xs: readonly T[]) => T;
  subset: <T>(xs: readonly T[]) => T[];
}

export function seeded(seed: number): Random {
  const rnd = mulberry32(seed);
  return {
    rnd,
    pick: <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T,
    subset: <T>(xs: readonly T[]): T[] => xs.filter(() => rnd() < 0.5),
  };
}

export interface StepActor {
  name: string;
  core: TestCore;
  offline: boolean;
}

export interface Created<A extends StepActor> {
  actor: A;
  mutationId: number;
  table: 'messages' | 'notes';
  id: string;
}

/** What a scenario gives the steps: its randomness, its relays' inbound door, and where to record. */
export interface StepWorld<A extends StepActor> extends Random {
  actors: readonly A[];
  groupIds: () => readonly string[];
  /** active members of a group (the users a conversation may be made visible to / assigned) */
  members: (groupId: string) => string[];
  /** an SMS arriving at the organisation's number of `groupId` (on whichever relay the scenario chooses) */
  inbound: (groupId: string, from: string, body: string) => Promise<void>;
  /** how the log names an actor */
  label: (a: A) => string;
  log: (s: string) => void;
  created: Created<A>[];
  /** `contactId:groupId` of conversations a client unarchived (two open ones may then exist) */
  unarchived: Set<string>;
}

export interface StepContext<A extends StepActor> {
  world: StepWorld<A>;
  step: number;
  actor: A;
  store: RowStore;
  /** a random conversation of the actor's replica, if it has any */
  conv: RowOf<'conversations'> | undefined;
  mutate: <N extends MutationName>(name: N, args: MutationArgs<N>) => Promise<MutateResult>;
}

export interface Step<A extends StepActor> {
  name: string;
  /** chance in percent (whole numbers, so the thresholds are exactly n/100) */
  weight: number;
  /** a step that needs a conversation falls through to the next one when the replica has none */
  needsConversation: boolean;
  run: (c: StepContext<A> & { conv: RowOf<'conversations'> }) => Promise<void>;
}

const PHONES = ['+447700900601', '+447700900602', '+447700900603', '+447700900604', '+447700900605'];

type StepBody<A extends StepActor> = Omit<Step<A>, 'name' | 'weight'>;

const COMMON_ORDER = ['inbound', 'sendMessage', 'addNote', 'manageConversation', 'archive', 'deleteConversation', 'createInvoice', 'payOrVoidInvoice', 'markRead', 'updateContact', 'toggleOffline', 'dropConnection'] as const;
export type CommonStep = (typeof COMMON_ORDER)[number];

/** The common steps; a scenario gives each its weight, and they are drawn in COMMON_ORDER. */
const commonSteps = <A extends StepActor>(): Record<CommonStep, StepBody<A>> => ({
  inbound: { needsConversation: false, run: async ({ world, step }) => world.inbound(world.pick(world.groupIds()), world.pick(PHONES), `inbound ${step}`) },
  sendMessage: {
    needsConversation: true,
    run: async ({ world, step, actor, conv, mutate }) => {
      const id = uuidv7();
      const res = await mutate('sendMessage', { id, conversationId: conv.id, contactId: conv.contactId, groupId: conv.groupId, channel: 'sms', body: `reply ${step}` });
      if (res.ok) world.created.push({ actor, mutationId: res.mutationId, table: 'messages', id });
    },
  },
  addNote: {
    needsConversation: true,
    run: async ({ world, step, actor, conv, mutate }) => {
      const id = uuidv7();
      const res = await mutate('addNote', { id, conversationId: conv.id, body: `note ${step}` });
      if (res.ok) world.created.push({ actor, mutationId: res.mutationId, table: 'notes', id });
    },
  },
  manageConversation: {
    needsConversation: true,
    run: async ({ world, conv, mutate }) => {
      const ms = world.members(conv.groupId);
      const visibleTo = world.rnd() < 0.5 ? null : (() => { const s = world.subset(ms); return s.length ? s : [world.pick(ms)]; })();
      await mutate('manageConversation', { conversationId: conv.id, visibleTo, assignees: world.subset(visibleTo ?? ms), baseVisibilityVersion: conv.visibilityVersion });
    },
  },
  archive: {
    needsConversation: true,
    run: async ({ world, conv, mutate }) => {
      if (conv.status === 'open') await mutate('archiveConversation', { conversationId: conv.id });
      else if ((await mutate('unarchiveConversation', { conversationId: conv.id })).ok) world.unarchived.add(`${conv.contactId}:${conv.groupId}`);
    },
  },
  deleteConversation: { needsConversation: true, run: async ({ conv, mutate }) => void (await mutate('deleteConversation', { conversationId: conv.id })) },
  createInvoice: {
    needsConversation: true,
    run: async ({ world, conv, mutate }) =>
      void (await mutate('createInvoice', { id: uuidv7(), conversationId: conv.id, currency: 'GBP', lineItems: [{ description: 'Item', quantity: 1, unitAmount: 1000 }], dueDate: '2027-01-31', send: world.rnd() < 0.7, messageId: uuidv7() })),
  },
  payOrVoidInvoice: {
    needsConversation: false,
    run: async ({ world, store, mutate }) => {
      const inv = store.find('invoices', {});
      if (!inv.length) return;
      const i = world.pick(inv);
      await (world.rnd() < 0.6 ? mutate('markInvoicePaid', { invoiceId: i.id }) : mutate('voidInvoice', { invoiceId: i.id }));
    },
  },
  markRead: { needsConversation: true, run: async ({ world, conv, mutate }) => void (await mutate('markRead', { targetId: conv.id, at: world.rnd() < 0.25 ? 0 : Date.now() })) },
  updateContact: {
    needsConversation: false,
    run: async ({ world, step, store, mutate }) => {
      const cs = store.find('contacts', {});
      if (cs.length) await mutate('updateContact', { id: world.pick(cs).id, notes: `edit ${step}` });
    },
  },
  toggleOffline: {
    needsConversation: false,
    run: async ({ world, step, actor }) => {
      actor.offline = !actor.offline;
      world.log(`${step} ${actor.name} ${actor.offline ? 'offline' : 'online'}`);
      if (actor.offline) await actor.core.impl.current!.sync.stop();
      else actor.core.impl.current!.sync.start();
    },
  },
  dropConnection: {
    needsConversation: false,
    run: async ({ world, step, actor, store, mutate }) => {
      const cs = store.find('contacts', {});
      if (cs.length) await mutate('updateContact', { id: world.pick(cs).id, notes: `drop ${step}` });
      actor.core.impl.current!.sync.dropConnection(); // mid-push
    },
  },
});

/**
 * The step table: the common steps in their fixed order with the scenario's weights (percent),
 * then the scenario's own steps. What the weights leave of 100 is a step that does nothing.
 */
export function stepTable<A extends StepActor>(weights: Record<CommonStep, number>, extra: Step<A>[] = []): Step<A>[] {
  const bodies = commonSteps<A>();
  const common = COMMON_ORDER.map((name): Step<A> => ({ name, weight: weights[name], ...bodies[name] }));
  const table = [...common, ...extra];
  const total = table.reduce((s, x) => s + x.weight, 0);
  if (table.some((x) => !Number.isInteger(x.weight) || x.weight < 0) || total > 100) throw new Error(`step weights must be whole percents summing to at most 100 (${total})`);
  return table;
}

/** One random step: a random actor, a random conversation of its replica, a step drawn by weight, then a short random pause. */
export async function randomStep<A extends StepActor>(world: StepWorld<A>, table: readonly Step<A>[], step: number): Promise<void> {
  const actor = world.pick(world.actors);
  const store = actor.core.impl.current!.replica.store;
  const convs = store.find('conversations', {});
  const conv = convs.length ? world.pick(convs) : undefined;
  const r = world.rnd();
  const mutate = async <N extends MutationName>(name: N, args: MutationArgs<N>): Promise<MutateResult> => {
    const res = await actor.core.mutate(name, args);
    world.log(`${step} ${world.label(actor)} ${name} ${res.ok ? 'ok' : res.code}`);
    return res;
  };
  let upTo = 0;
  for (const s of table) {
    upTo += s.weight;
    if (r < upTo / 100 && (conv || !s.needsConversation)) {
      // a step that does not need a conversation does not read it
      await s.run({ world, step, actor, store, conv: conv as RowOf<'conversations'>, mutate });
      break;
    }
  }
  await new Promise((res) => setTimeout(res, Math.floor(world.rnd() * 25)));
}

/**
 * Invariants at quiescence on the relay's (or database's) rows: an assignee can see the
 * conversation; one open conversation per contact and group unless a client unarchived one; every
 * created row that was not refused is there, or gone with a conversation an admin deleted (the
 * relay's tombstone says so: a reply to an archived conversation may land in another one); no
 * refused one was applied.
 */
export async function checkCreated<A extends StepActor>(seed: number, rel: RowSource, world: Pick<StepWorld<A>, 'created' | 'unarchived'>): Promise<void> {
  const open = new Map<string, number>();
  for (const c of allRows(rel, 'conversations')) {
    if (c.visibleTo) for (const u of c.assignees) if (!c.visibleTo.includes(u)) throw new Error(`seed ${seed}: assignee ${u} not visible in ${c.id}`);
    if (c.status === 'open') open.set(`${c.contactId}:${c.groupId}`, (open.get(`${c.contactId}:${c.groupId}`) ?? 0) + 1);
  }
  for (const [k, n] of open) if (n > 1 && !world.unarchived.has(k)) throw new Error(`seed ${seed}: ${n} open conversations for ${k}`);
  const tombstone = rel.db.prepare('SELECT scope FROM tombstones WHERE table_name = ? AND row_id = ?');
  for (const c of world.created) {
    const refused = (await c.actor.core.query('failures', {})).some((f) => f.mutationId === c.mutationId);
    const row = rel.store.get(c.table, c.id);
    const t = tombstone.get(c.table, c.id) as { scope: string } | undefined;
    const deletedWith = t?.scope.startsWith('conv:') && rel.store.get('conversations', t.scope.slice('conv:'.length)) === undefined;
    if (!refused && !row && !deletedWith) {
      throw new Error(`seed ${seed}: acknowledged ${c.table}/${c.id} of ${c.actor.name} is lost (${t ? `tombstone in ${t.scope}, which still exists` : 'no tombstone: never written or deleted without a trace'})`);
    }
    if (refused && row) throw new Error(`seed ${seed}: refused ${c.table}/${c.id} was applied`);
  }
}
