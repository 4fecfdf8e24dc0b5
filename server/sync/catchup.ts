// Catch-up from a client's cookie: what changed since, in the scopes its user sees.
// cookie null (empty replica) or reset: everything the user sees.
import { scopeOf, type Viewer } from '../../shared/scopes';
import { tableNames, type RowOf, type TableName } from '../../shared/schema';
import type { Db } from '../db/open';
import type { Engine } from './engine';
import { PokeBuilder } from './pokeBuilder';
import { ScopeCheck, scopeRows } from './visibility';

export interface CatchUp {
  /** true: the client must drop its replica first (a `reset` frame precedes the poke) */
  reset: string | null;
  baseCookie: number | null;
  builder: PokeBuilder;
}

export function viewerVersion(db: Db, userId: string): number {
  const r = db.prepare('SELECT version FROM viewer_versions WHERE user_id = ?').get(userId) as { version: number } | undefined;
  return r?.version ?? 0;
}

export function catchUp(engine: Engine, viewer: Viewer, cookie: number | null): CatchUp {
  const current = engine.version();
  let reset: string | null = null;
  if (cookie !== null) {
    if (cookie > current) reset = 'cookie from another relay or database';
    else if (cookie < engine.minRetainedVersion()) reset = 'change log no longer reaches the cookie';
    else if (viewerVersion(engine.db, viewer.id) > cookie) reset = 'your groups or role changed';
  }
  const since = reset ? null : cookie;
  const builder = since === null ? fullSet(engine, viewer) : changesSince(engine, viewer, since);
  return { reset, baseCookie: since, builder };
}

function rowsSince(engine: Engine, table: TableName, since: number): Iterable<RowOf<TableName>> {
  const name = engine.store.sqlNames(table).table;
  const stmt = engine.db.prepare(`SELECT * FROM "${name}" WHERE version > ?`);
  const store = engine.store;
  return (function* () {
    for (const raw of stmt.iterate(since)) yield store.decode(table, raw as Record<string, unknown>);
  })();
}

function fullSet(engine: Engine, viewer: Viewer): PokeBuilder {
  const b = new PokeBuilder();
  const check = new ScopeCheck(engine.store, viewer);
  for (const t of tableNames) {
    for (const r of rowsSince(engine, t, -1)) {
      const scope = scopeOf(t, r);
      if (check.canSee(scope)) b.put(t, r, scope);
    }
  }
  return b;
}

function changesSince(engine: Engine, viewer: Viewer, since: number): PokeBuilder {
  const b = new PokeBuilder();
  const check = new ScopeCheck(engine.store, viewer);
  const whole = new Set<string>();
  // Scopes whose audience changed since the cookie: whole scope if visible now, else a scope delete.
  const convs = engine.db.prepare('SELECT id FROM conversations WHERE visibility_version > ?').all(since) as { id: string }[];
  const chats = engine.db.prepare('SELECT scope FROM scope_versions WHERE version > ?').all(since) as { scope: string }[];
  for (const scope of [...convs.map((c) => `conv:${c.id}`), ...chats.map((c) => c.scope)]) {
    whole.add(scope);
    if (check.canSee(scope)) for (const { t, r } of scopeRows(engine.store, scope)) b.put(t, r, scope);
    else b.delScope(scope);
  }
  for (const t of tableNames) {
    for (const r of rowsSince(engine, t, since)) {
      const scope = scopeOf(t, r);
      if (!whole.has(scope) && check.canSee(scope)) b.put(t, r, scope);
    }
  }
  const tombs = engine.db
    .prepare('SELECT table_name AS t, row_id AS id, scope, audience FROM tombstones WHERE version > ? ORDER BY version')
    .all(since) as { t: TableName; id: string; scope: string; audience: string | null }[];
  for (const tomb of tombs) {
    if (tomb.audience) {
      // A deleted conversation or chat: tell everyone, whatever its audience at deletion. A user
      // it was restricted away from while offline still holds it (the conversation row, and with
      // it its visibilityVersion, is gone). Scope ids are opaque UUIDs: the cost is a few ids.
      if (!check.canSee(tomb.scope)) b.delScope(tomb.scope);
    } else if (check.canSee(tomb.scope) && !isRecreated(engine, tomb.t, tomb.id)) {
      b.del(tomb.t, tomb.id);
    }
  }
  return b;
}

function isRecreated(engine: Engine, t: TableName, id: string): boolean {
  return engine.store.get(t, id) !== undefined;
}
