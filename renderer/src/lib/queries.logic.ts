// Which bridge queries a `changed` event touches (kept free of React for tests). The map of
// which tables each query reads is part of the contract: shared/bridge.ts `queryReads`.
import { queryReads, type QueryName } from '../../../shared/bridge';

/** True when a `changed` event may affect the query `[name, args]`. */
export function affects(name: QueryName, change: { tables: readonly string[] }): boolean {
  if (change.tables.length === 0) return true; // "everything may have changed"
  const deps: readonly string[] | null = queryReads[name];
  if (!deps) return false;
  // failures (relay refusals) can arrive with any mutated table
  if (name === 'failures') return true;
  return change.tables.some((t) => deps.includes(t));
}
