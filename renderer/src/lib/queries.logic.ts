// Which bridge queries a `changed` event touches (kept free of React for tests). The map of
// which tables each query reads is part of the contract: shared/bridge.ts `queryReads`.
import type { Query, QueryClient } from '@tanstack/react-query';
import { queryReads, type QueryName, type SyncState } from '../../../shared/bridge';

/** True when a `changed` event may affect the query `[name, args]`. */
export function affects(name: QueryName, change: { tables: readonly string[] }): boolean {
  if (change.tables.length === 0) return true; // "everything may have changed"
  const deps: readonly string[] | null = queryReads[name];
  if (!deps) return false;
  // failures (relay refusals) can arrive with any mutated table
  if (name === 'failures') return true;
  return change.tables.some((t) => deps.includes(t));
}

/**
 * Refetches the queries a change touches. react-query's invalidate re-uses a first fetch
 * still in flight (a query with no data yet is never cancelled), so a change that lands
 * while the first read is on its way would leave that read's old answer on screen — right
 * after sign-in, My inbox and the sidebar counts stayed short until a reload. Those first
 * fetches are cancelled and started again; the rest are invalidated as usual.
 */
export async function refreshAffected(client: QueryClient, matches: (query: Query) => boolean): Promise<void> {
  const firstInFlight = (q: Query) => matches(q) && q.state.data === undefined && q.state.fetchStatus === 'fetching';
  if (client.getQueryCache().findAll({ predicate: firstInFlight }).length > 0) await client.cancelQueries({ predicate: firstInFlight });
  await client.invalidateQueries({ predicate: matches });
}

/** The first move to 'online' after a (re)connection: the catch-up is complete. */
export function caughtUp(before: SyncState | undefined, now: SyncState): boolean {
  return now === 'online' && before !== 'online';
}
