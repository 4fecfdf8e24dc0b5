// react-query over the bridge: keys are [name, args]; a bridge `changed` event
// invalidates only the queries that read one of the changed tables.
import { QueryClient, useQuery, keepPreviousData, type UseQueryOptions } from '@tanstack/react-query';
import type { BridgeEvent, QueryArgs, QueryName, QueryResults } from '../../../shared/bridge';
import type { TableName } from '../../../shared/schema';
import { getBridge } from '../../bridge';

export const queryClient = new QueryClient({
  defaultOptions: {
    // reads come from the local replica: no network state, nothing goes stale by time
    queries: { networkMode: 'always', staleTime: Infinity, retry: 1, refetchOnWindowFocus: false },
    mutations: { networkMode: 'always' },
  },
});

const convTables: TableName[] = ['conversations', 'messages', 'notes', 'invoices', 'checkouts', 'contacts', 'readStates'];

/** Which tables each query reads. Queries not listed (session, syncStatus) follow their own events. */
export const queryTables: Partial<Record<QueryName, readonly TableName[]>> = {
  directory: ['users', 'groups', 'memberships'],
  counts: ['conversations', 'messages', 'readStates', 'chats', 'chatMessages', 'memberships', 'notes'],
  inbox: [...convTables, 'chats', 'chatMessages', 'memberships', 'users'],
  conversation: [...convTables, 'groups', 'users', 'memberships'],
  contacts: ['contacts'],
  contact: ['contacts', 'conversations', 'messages', 'readStates'],
  tags: ['contacts'],
  chat: ['chats', 'chatMessages', 'users'],
  search: ['contacts', 'messages', 'notes', 'conversations'],
  failures: [],
  broadcasts: ['broadcasts', 'broadcastRecipients'],
  broadcast: ['broadcasts', 'broadcastRecipients', 'contacts'],
};

/** True when a `changed` event may affect the query `[name, args]`. */
export function affects(name: QueryName, change: { tables: readonly string[] }): boolean {
  if (change.tables.length === 0) return true; // "everything may have changed"
  const deps = queryTables[name];
  if (!deps) return false;
  // failures (relay refusals) can arrive with any mutated table
  if (name === 'failures') return true;
  return change.tables.some((t) => deps.includes(t as TableName));
}

export function handleBridgeEvent(e: BridgeEvent): void {
  if (e.type === 'changed') {
    void queryClient.invalidateQueries({
      predicate: (q) => {
        const name = q.queryKey[0] as QueryName;
        return affects(name, e);
      },
    });
  } else if (e.type === 'sync') {
    queryClient.setQueryData(['syncStatus', {}], e.status);
  } else if (e.type === 'session') {
    queryClient.setQueryData(['session', {}], e.session);
    if (!e.session) queryClient.removeQueries({ predicate: (q) => q.queryKey[0] !== 'session' });
    else void queryClient.invalidateQueries();
  }
}

export function bridgeQueryOptions<K extends QueryName>(name: K, args: QueryArgs<K>) {
  return {
    queryKey: [name, args] as const,
    queryFn: () => getBridge().query(name, args),
  };
}

type Extra<K extends QueryName> = Omit<UseQueryOptions<QueryResults[K], Error, QueryResults[K], readonly [K, QueryArgs<K>]>, 'queryKey' | 'queryFn'>;

export function useBridgeQuery<K extends QueryName>(name: K, args: QueryArgs<K>, extra?: Extra<K>) {
  return useQuery({ ...bridgeQueryOptions(name, args), placeholderData: keepPreviousData, ...extra });
}
