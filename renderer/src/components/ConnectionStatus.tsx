// Bottom of the sidebar: Online / Offline / Syncing · N changes waiting.
import { useEffect, useState } from 'react';
import clsx from 'clsx';
import type { SyncStatus } from '../../../shared/bridge';
import { useBridgeQuery } from '../lib/queries';
import { hostConnection } from '../../bridge';
import { plural } from '../lib/format';

function useHostConnection() {
  const [c, setC] = useState(() => hostConnection().get());
  useEffect(() => hostConnection().on(setC), []);
  return c;
}

/** `fetched`: during the first full fetch, how many conversations have arrived so far. */
export function describeSync(s: SyncStatus | undefined, hostUp: boolean, fetched?: number): { label: string; tone: 'ok' | 'busy' | 'off' } {
  if (!hostUp) return { label: 'Reconnecting to Parley…', tone: 'off' };
  if (!s) return { label: 'Connecting…', tone: 'busy' };
  const waiting = s.pending > 0 ? ` · ${plural(s.pending, 'change')} waiting` : '';
  switch (s.state) {
    case 'online':
      return s.pending > 0 ? { label: `Syncing${waiting}`, tone: 'busy' } : { label: 'Online', tone: 'ok' };
    case 'syncing':
      if (s.lastSyncedAt === null) return { label: `Fetching your inbox${fetched ? ` · ${plural(fetched, 'conversation')}` : '…'}${waiting}`, tone: 'busy' };
      return { label: `Syncing${waiting}`, tone: 'busy' };
    case 'connecting':
      return { label: `Connecting${waiting}`, tone: 'busy' };
    case 'offline':
      return { label: `Offline${waiting}`, tone: 'off' };
    case 'outdated':
      return { label: `Update needed${waiting}`, tone: 'off' };
    default:
      return { label: 'Signed out', tone: 'off' };
  }
}

export function ConnectionStatus() {
  const status = useBridgeQuery('syncStatus', {}, { refetchInterval: 15_000 });
  const host = useHostConnection();
  // the first full fetch of a big replica takes a while: count what has arrived
  const first = status.data?.state === 'syncing' && status.data.lastSyncedAt === null;
  const fetched = useBridgeQuery('inbox', { view: 'team', limit: 1 }, { enabled: first }).data?.total;
  const d = describeSync(status.data, host !== 'closed', first ? fetched : undefined);
  return (
    <div className="conn" role="status" aria-live="polite" title={status.data?.error ?? undefined}>
      <span className={clsx('conn-dot', d.tone)} aria-hidden="true" />
      <span className="ellipsis">{d.label}</span>
    </div>
  );
}
