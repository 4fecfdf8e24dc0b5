// Live fan-out: what one committed change set means for one connected user.
import type { Scope, Viewer } from '../../shared/scopes';
import type { Rows } from '../store/types';
import type { RowOf, TableName } from '../../shared/schema';
import { audienceOf, rowKey, type Audience, type ChangeSet, type RowChange, type RowDelete } from './changeSet';
import type { PokeBuilder, PokeSink } from './pokeBuilder';
import type { Subscriber, Subscribers } from './subscribers';
import { audienceAccess, metadataRowOf, ScopeCheck, scopeRows } from './visibility';
import { canSeeGroup } from '../../shared/permissions';
import type { ScopeAccess } from '../../shared/scopes';

/**
 * What one distinct live poke holds, scope by scope: `r` rows changed, `g` scope gained whole,
 * `l` scope lost, `m` its metadata row (a viewer who may not read it), `d` content lost but
 * metadata kept (the scope is deleted, then its metadata row put back).
 */
export type ScopeOp = `${'r' | 'g' | 'l' | 'm' | 'd'}${string}`;

/** The op for a viewer whose access to a scope went from `was` to `is`; null: nothing to send. */
function opFor(was: ScopeAccess, is: ScopeAccess, changed: boolean): 'r' | 'g' | 'l' | 'm' | 'd' | null {
  if (is === 'none') return was === 'none' ? null : 'l';
  if (is === 'content') return was !== 'content' ? 'g' : changed ? 'r' : null;
  if (was === 'content') return 'd';
  return was === 'none' || changed ? 'm' : null;
}

export interface FanOutPlan {
  /** users getting the same poke, grouped: each group's poke is built and encoded once */
  groups: { subs: Subscriber[]; ops: ScopeOp[] }[];
  /** adds the ops to a builder (a group's shared poke, or a pusher's own); reads nothing */
  build(b: PokeBuilder, ops: readonly ScopeOp[]): void;
}

/**
 * Live fan-out of one commit by index: for each changed scope, only the connected users who may
 * see it (from the scope's audience) are visited; users are grouped by what they get, so a poke
 * is built once per distinct content. Cost follows what changed and who it affects, not how many
 * sockets are connected. Users in `skip` (their role or groups changed) are handled one by one.
 */
export async function planFanOut(store: Rows, cs: ChangeSet, subs: Subscribers, skip: ReadonlySet<string>): Promise<FanOutPlan> {
  const byScope = new Map<string, { puts: RowChange[]; dels: RowDelete[] }>();
  const at = (scope: string) => {
    let e = byScope.get(scope);
    if (!e) byScope.set(scope, (e = { puts: [], dels: [] }));
    return e;
  };
  for (const d of cs.dels.values()) if (d.t !== 'conversations' && d.t !== 'chats') at(d.scope).dels.push(d); // roots: audience change below
  for (const p of cs.puts.values()) at(p.scope).puts.push(p);

  const ops = new Map<Subscriber, ScopeOp[]>();
  const add = (s: Subscriber, op: ScopeOp) => {
    if (skip.has(s.userId)) return;
    const l = ops.get(s);
    if (l) l.push(op);
    else ops.set(s, [op]);
  };
  for (const [scope, vc] of cs.visibility) {
    const candidates = new Set([...(vc.before ? subs.forAudience(vc.before) : []), ...(vc.after ? subs.forAudience(vc.after) : [])]);
    const rows = byScope.has(scope);
    for (const s of candidates) {
      const was = vc.before ? audienceAccess(s.viewer, vc.before) : 'none';
      const is = vc.after ? audienceAccess(s.viewer, vc.after) : 'none';
      const op = opFor(was, is, rows);
      if (op) add(s, `${op}${scope}`);
    }
  }
  for (const scope of byScope.keys()) {
    if (cs.visibility.has(scope as Scope)) continue;
    for (const { s, access } of await recipients(store, cs, subs, scope)) add(s, `${access === 'content' ? 'r' : 'm'}${scope}`);
  }

  const bySignature = new Map<string, { subs: Subscriber[]; ops: ScopeOp[] }>();
  for (const [s, l] of ops) {
    const sig = l.join('\n');
    const g = bySignature.get(sig);
    if (g) g.subs.push(s);
    else bySignature.set(sig, { subs: [s], ops: l });
  }

  // what the ops need read, read now: building and encoding the pokes reads nothing
  const whole = new Map<string, { t: TableName; r: RowOf<TableName> }[]>();
  const metas = new Map<string, Awaited<ReturnType<typeof metadataRowOf>>>();
  for (const g of bySignature.values()) {
    for (const op of g.ops) {
      const scope = op.slice(1);
      if ((op[0] === 'm' || op[0] === 'd') && !metas.has(scope)) metas.set(scope, await metadataRowOf(store, scope));
      else if (op[0] === 'g' && !whole.has(scope)) whole.set(scope, await scopeRows(store, scope));
    }
  }
  const meta = (scope: string) => metas.get(scope);
  return {
    groups: [...bySignature.values()],
    build(b, list) {
      for (const op of list) {
        const scope = op.slice(1);
        if (op[0] === 'l') b.delScope(scope);
        else if (op[0] === 'm' || op[0] === 'd') {
          if (op[0] === 'd') b.delScope(scope);
          const m = meta(scope);
          if (m) b.put(m.t, m.r, scope);
        } else if (op[0] === 'g') {
          for (const { t, r } of whole.get(scope) ?? []) b.put(t, r, scope);
        } else {
          const e = byScope.get(scope);
          for (const d of e?.dels ?? []) b.del(d.t, d.id);
          for (const p of e?.puts ?? []) b.put(p.t, p.row, p.scope);
        }
      }
    },
  };
}

/** Connected users who receive something of a scope whose audience did not change in this commit, and what. */
async function recipients(store: Rows, cs: ChangeSet, subs: Subscribers, scope: string): Promise<Iterable<{ s: Subscriber; access: ScopeAccess }>> {
  const all = (list: Iterable<Subscriber>) => [...list].map((s) => ({ s, access: 'content' as const }));
  if (scope === 'org') return all(subs.all());
  const i = scope.indexOf(':');
  const kind = scope.slice(0, i);
  const id = scope.slice(i + 1);
  switch (kind) {
    case 'user': {
      const s = subs.get(id);
      return s ? all([s]) : [];
    }
    case 'group':
      // the index only narrows the candidates: the shared predicate decides
      return all(subs.forGroup(id).filter((s) => canSeeGroup(s.viewer, id)));
    case 'conv':
    case 'chat': {
      const t = kind === 'conv' ? 'conversations' : 'chats';
      const row = cs.puts.get(rowKey(t, id))?.row ?? (await store.get(t, id));
      const a = row ? audienceOf(t, row) : null;
      if (!a) return [];
      const out: { s: Subscriber; access: ScopeAccess }[] = [];
      for (const s of subs.forAudience(a)) {
        const access = audienceAccess(s.viewer, a);
        if (access !== 'none') out.push({ s, access });
      }
      return out;
    }
    default:
      return [];
  }
}

/**
 * `before` is the viewer as it was before the commit (differs from `after` when the
 * user's role or memberships changed). Adds to `b` (a pusher accumulates several commits).
 */
export async function fanOut(store: Rows, cs: ChangeSet, before: Viewer, after: Viewer, b: PokeSink): Promise<void> {
  const check = new ScopeCheck(store, after);
  const handled = new Set<string>();
  const audienceChanges = new Map(cs.visibility);
  if (before !== after) await addViewerChange(store, audienceChanges);
  const putMeta = async (scope: string) => {
    handled.add(scope);
    const m = await metadataRowOf(store, scope);
    if (m) b.put(m.t, m.r, scope);
  };
  for (const [scope, vc] of audienceChanges) {
    const was = vc.before ? audienceAccess(before, vc.before) : 'none';
    const is = vc.after ? audienceAccess(after, vc.after) : 'none';
    if (was === is) continue;
    handled.add(scope);
    if (is === 'none') b.delScope(scope);
    else if (is === 'content') for (const { t, r } of await scopeRows(store, scope)) b.put(t, r, scope);
    else {
      if (was === 'content') b.delScope(scope);
      await putMeta(scope);
    }
  }
  for (const d of cs.dels.values()) {
    if (handled.has(d.scope)) continue;
    if (d.t === 'conversations' || d.t === 'chats') continue; // covered by the audience change above
    if ((await check.canSee(d.scope)) || (before !== after && (await new ScopeCheck(store, before).canSee(d.scope)))) b.del(d.t, d.id);
  }
  for (const p of cs.puts.values()) {
    if (handled.has(p.scope)) continue;
    const access = await check.access(p.scope);
    if (access === 'content') b.put(p.t, p.row, p.scope);
    else if (access === 'meta') await putMeta(p.scope);
  }
  if (before !== after) await addGroupScopeChange(store, before, after, b);
}

/** A user's role or groups changed: every conversation and chat may have flipped for them. */
async function addViewerChange(store: Rows, out: Map<string, { before: Audience | null; after: Audience | null }>): Promise<void> {
  const add = (scope: string, t: 'conversations' | 'chats', row: RowOf<'conversations'> | RowOf<'chats'>) => {
    if (out.has(scope)) return;
    const a = audienceOf(t, row);
    out.set(scope, { before: a, after: a });
  };
  for (const c of await store.find('conversations', {})) add(`conv:${c.id}`, 'conversations', c);
  for (const c of await store.find('chats', {})) add(`chat:${c.id}`, 'chats', c);
}

/** Broadcast rows live in group scopes: send or remove them when group access flips. */
async function addGroupScopeChange(store: Rows, before: Viewer, after: Viewer, b: PokeSink): Promise<void> {
  const groups = await store.find('groups', {});
  const was = new ScopeCheck(store, before);
  const is = new ScopeCheck(store, after);
  for (const g of groups) {
    const scope = `group:${g.id}`;
    const w = await was.canSee(scope);
    const n = await is.canSee(scope);
    if (w === n) continue;
    for (const bc of await store.find('broadcasts', { groupId: g.id })) {
      if (n) b.put('broadcasts', bc, scope);
      else b.del('broadcasts', bc.id);
    }
    for (const r of await store.find('broadcastRecipients', { groupId: g.id })) {
      if (n) b.put('broadcastRecipients', r, scope);
      else b.del('broadcastRecipients', r.id);
    }
  }
}
