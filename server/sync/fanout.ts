// Live fan-out: what one committed change set means for one connected user.
import type { Viewer } from '../../shared/scopes';
import type { RowStore } from '../../shared/store/rowStore';
import type { Db } from '../db/open';
import { audienceOf, type Audience, type ChangeSet } from './changeSet';
import { PokeBuilder } from './pokeBuilder';
import { canSeeAudience, ScopeCheck, scopeRows } from './visibility';

/**
 * `before` is the viewer as it was before the commit (differs from `after` when the
 * user's role or memberships changed). Adds to `b` (a pusher accumulates several commits).
 */
export function fanOut(db: Db, store: RowStore, cs: ChangeSet, before: Viewer, after: Viewer, b: PokeBuilder): void {
  const check = new ScopeCheck(store, after);
  const handled = new Set<string>();
  const audienceChanges = new Map(cs.visibility);
  if (before !== after) addViewerChange(db, store, cs, before, after, audienceChanges);
  for (const [scope, vc] of audienceChanges) {
    const was = vc.before ? canSeeAudience(before, vc.before) : false;
    const is = vc.after ? canSeeAudience(after, vc.after) : false;
    if (was === is) continue;
    handled.add(scope);
    if (was) b.delScope(scope);
    else for (const { t, r } of scopeRows(store, scope)) b.put(t, r, scope);
  }
  for (const d of cs.dels.values()) {
    if (handled.has(d.scope)) continue;
    if (d.t === 'conversations' || d.t === 'chats') continue; // covered by the audience change above
    if (check.canSee(d.scope) || (before !== after && new ScopeCheck(store, before).canSee(d.scope))) b.del(d.t, d.id);
  }
  for (const p of cs.puts.values()) {
    if (handled.has(p.scope)) continue;
    if (check.canSee(p.scope)) b.put(p.t, p.row, p.scope);
  }
  if (before !== after) addGroupScopeChange(store, before, after, b);
}

/** A user's role or groups changed: every conversation and chat may have flipped for them. */
function addViewerChange(db: Db, store: RowStore, cs: ChangeSet, _before: Viewer, _after: Viewer, out: Map<string, { before: Audience | null; after: Audience | null }>): void {
  const convs = db.prepare('SELECT id FROM conversations').all() as { id: string }[];
  const chats = db.prepare('SELECT id FROM chats').all() as { id: string }[];
  const add = (scope: string, t: 'conversations' | 'chats', id: string) => {
    if (out.has(scope)) return;
    const row = store.get(t, id);
    if (!row) return;
    const a = audienceOf(t, row);
    out.set(scope, { before: a, after: a });
  };
  for (const c of convs) add(`conv:${c.id}`, 'conversations', c.id);
  for (const c of chats) add(`chat:${c.id}`, 'chats', c.id);
  void cs;
}

/** Broadcast rows live in group scopes: send or remove them when group access flips. */
function addGroupScopeChange(store: RowStore, before: Viewer, after: Viewer, b: PokeBuilder): void {
  const groups = store.find('groups', {});
  const was = new ScopeCheck(store, before);
  const is = new ScopeCheck(store, after);
  for (const g of groups) {
    const scope = `group:${g.id}`;
    const w = was.canSee(scope);
    const n = is.canSee(scope);
    if (w === n) continue;
    for (const bc of store.find('broadcasts', { groupId: g.id })) {
      if (n) b.put('broadcasts', bc, scope);
      else b.del('broadcasts', bc.id);
    }
    for (const r of store.find('broadcastRecipients', { groupId: g.id })) {
      if (n) b.put('broadcastRecipients', r, scope);
      else b.del('broadcastRecipients', r.id);
    }
  }
}
