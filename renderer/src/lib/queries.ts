// react-query over the bridge: keys are [name, args]; a bridge `changed` event
// invalidates only the queries that read one of the changed tables.
import { QueryClient, useQuery, keepPreviousData, type UseQueryOptions } from '@tanstack/react-query';
import type { BridgeEvent, QueryArgs, QueryName, QueryResults } from '../../../shared/bridge';
import { getBridge } from '../../bridge';
import { affects, caughtUp, refreshAffected } from './queries.logic';

export { affects } from './queries.logic';

export const queryClient = new QueryClient({
  defaultOptions: {
    // reads come from the local replica: no network state, nothing goes stale by time
    queries: { networkMode: 'always', staleTime: Infinity, retry: 1, refetchOnWindowFocus: false },
    mutations: { networkMode: 'always' },
  },
});

export function handleBridgeEvent(e: BridgeEvent): void {
  if (e.type === 'changed') {
    void refreshAffected(queryClient, (q) => affects(q.queryKey[0] as QueryName, e));
  } else if (e.type === 'sync') {
    const before = queryClient.getQueryData<QueryResults['syncStatus']>(['syncStatus', {}])?.state;
    queryClient.setQueryData(['syncStatus', {}], e.status);
    // the catch-up is complete: read everything again once (a belt to the braces above)
    if (caughtUp(before, e.status.state)) void refreshAffected(queryClient, (q) => q.queryKey[0] !== 'syncStatus' && q.queryKey[0] !== 'session');
  } else if (e.type === 'presence') {
    queryClient.setQueryData(['presence', {}], e.users);
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
