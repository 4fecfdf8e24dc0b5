// The virtualized conversation list (My inbox / Team inbox / Archived / chats).
import { useEffect, useMemo, useRef } from 'react';
import { useInfiniteQuery, keepPreviousData } from '@tanstack/react-query';
import { useVirtualizer } from '@tanstack/react-virtual';
import { Inbox, RefreshCw } from 'lucide-react';
import { useBridgeQuery } from '../../lib/queries';
import type { InboxItem, InboxViewName } from '../../../../shared/bridge';
import { getBridge } from '../../../bridge';
import { useShallow } from 'zustand/react/shallow';
import { ROW_HEIGHT, useUi } from '../../state/ui';
import { emptyListText } from '../../lib/views';
import { InboxRow } from './InboxRow';

const PAGE = 200;

export function useInboxItems(inbox: InboxViewName, groupId: string | null, unreadOnly: boolean) {
  const args = { view: inbox, groupId, unreadOnly, limit: PAGE };
  const q = useInfiniteQuery({
    queryKey: ['inbox', args],
    queryFn: ({ pageParam }) => getBridge().query('inbox', { ...args, offset: pageParam }),
    initialPageParam: 0,
    getNextPageParam: (last) => (last.offset + last.items.length < last.total ? last.offset + last.items.length : undefined),
    placeholderData: keepPreviousData,
  });
  const items = useMemo(() => q.data?.pages.flatMap((p) => p.items) ?? [], [q.data]);
  return { q, items, total: q.data?.pages[0]?.total ?? 0 };
}

export function InboxList({ inbox, items, loading, onEndReached, label }: { inbox: InboxViewName; items: InboxItem[]; loading: boolean; onEndReached: () => void; label: string }) {
  const parentRef = useRef<HTMLDivElement>(null);
  const { selectedId, cursorId, select, setListIds, density } = useUi(useShallow((s) => ({ selectedId: s.selectedId, cursorId: s.cursorId, select: s.select, setListIds: s.setListIds, density: s.density })));
  const ROW = ROW_HEIGHT[density];
  const sync = useBridgeQuery('syncStatus', {}).data;
  const firstSync = !!sync && sync.lastSyncedAt === null && sync.state !== 'offline';
  // eslint-disable-next-line react-hooks/incompatible-library -- the virtualizer is meant to be used this way
  const virt = useVirtualizer({ count: items.length, getScrollElement: () => parentRef.current, estimateSize: () => ROW, overscan: 8 });
  useEffect(() => virt.measure(), [ROW, virt]);

  useEffect(() => setListIds(items.map((i) => i.id)), [items, setListIds]);
  const vItems = virt.getVirtualItems();
  const lastIndex = vItems[vItems.length - 1]?.index ?? -1;
  useEffect(() => {
    if (lastIndex >= 0 && lastIndex >= items.length - 20) onEndReached();
  }, [lastIndex, items.length, onEndReached]);

  // keep the keyboard cursor in view
  const cursorIndex = cursorId ? items.findIndex((i) => i.id === cursorId) : -1;
  useEffect(() => {
    if (cursorIndex >= 0) virt.scrollToIndex(cursorIndex, { align: 'auto' });
  }, [cursorIndex, virt]);

  // before the first sync (or the first read) the list is empty for a reason: rows to come, not "all clear"
  if (items.length === 0 && (loading || firstSync)) {
    return (
      <div className={`list-scroll ${density}`} aria-busy="true" aria-label={label}>
        {firstSync && (
          <p className="skeleton-note xs muted" role="status">
            <RefreshCw size={12} className="spin" aria-hidden="true" /> Syncing your inbox… conversations appear as they arrive.
          </p>
        )}
        {Array.from({ length: 12 }, (_, i) => (
          <div key={i} className="inbox-row skeleton" style={{ height: ROW }} aria-hidden="true">
            <div className="inbox-row-top">
              <span className="sk sk-name" style={{ width: `${38 + ((i * 17) % 30)}%` }} />
              <span className="grow" />
              <span className="sk sk-time" />
            </div>
            <div className="inbox-row-bottom">
              <span className="sk sk-line" style={{ width: `${55 + ((i * 29) % 35)}%` }} />
            </div>
          </div>
        ))}
      </div>
    );
  }
  if (!loading && items.length === 0) {
    const [title, hint] = emptyListText[inbox];
    return (
      <div className="empty">
        <Inbox size={28} aria-hidden="true" />
        <h2>{title}</h2>
        <p className="small">{hint}</p>
      </div>
    );
  }
  return (
    <div ref={parentRef} className={`list-scroll ${density}`} role="listbox" aria-label={label} aria-activedescendant={cursorId && cursorIndex >= 0 ? `row-${cursorId}` : undefined} tabIndex={0}>
      <div role="presentation" style={{ height: virt.getTotalSize(), position: 'relative' }}>
        {vItems.map((v) => {
          const item = items[v.index];
          if (!item) return null;
          return (
            <div key={item.id} role="presentation" className="virt-row" style={{ transform: `translateY(${v.start}px)`, height: ROW }}>
              <InboxRow item={item} selected={item.id === selectedId} cursor={item.id === cursorId} onOpen={() => select(item.id)} />
            </div>
          );
        })}
      </div>
    </div>
  );
}
