// List + conversation (or chat) + details: the screen agents live in.
import { useCallback } from 'react';
import { MessagesSquare } from 'lucide-react';
import { useUi } from '../state/ui';
import { useDirectory } from '../lib/directory';
import { InboxList, useInboxItems } from '../components/list/InboxList';
import { ConversationPane } from '../components/conversation/ConversationPane';
import { ChatPane } from '../components/chat/ChatPane';
import { plural } from '../lib/format';
import { conversationViews } from '../lib/views';
import type { ConversationViewName } from '../../../shared/bridge';
import { FilterBar } from '../components/list/FilterBar';
import { activeFilterCount, useFilters } from '../state/filters';
import { useBridgeQuery } from '../lib/queries';

export function InboxView({ inbox, groupId }: { inbox: ConversationViewName; groupId: string | null }) {
  const filters = useFilters((s) => s.filters);
  const savedViewId = useFilters((s) => s.savedViewId);
  const saved = useBridgeQuery('savedViews', {}).data?.find((v) => v.view.id === savedViewId);
  const { q, items, total } = useInboxItems(inbox, groupId ?? filters.groupId ?? null, { ...filters, groupId: undefined });
  const selectedId = useUi((s) => s.selectedId);
  const dir = useDirectory();
  const view = conversationViews[inbox];
  const title = saved ? saved.view.name : view.perGroup && groupId ? dir.groupName(groupId) : view.label;
  const selected = items.find((i) => i.id === selectedId);
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = q;
  const more = useCallback(() => {
    if (hasNextPage && !isFetchingNextPage) void fetchNextPage();
  }, [hasNextPage, isFetchingNextPage, fetchNextPage]);

  return (
    <>
      <section className="list-pane" aria-label={`${title} conversations`}>
        <header className="pane-head">
          <div className="grow">
            <h1 className="ellipsis">{title}</h1>
            <div className="xs faint">{plural(total, 'conversation')}</div>
          </div>
        </header>
        <FilterBar unreadFilter={view.unreadFilter} groupId={groupId} inbox={inbox} />
        <InboxList
          inbox={inbox}
          items={items}
          loading={q.isPending}
          onEndReached={more}
          label={title}
          emptyText={activeFilterCount(filters) > 0 ? ['No conversation matches these filters', 'Change or clear the filters above.'] : undefined}
        />
      </section>
      {selectedId && selected?.kind === 'chat' ? (
        <ChatPane chatId={selectedId} />
      ) : selectedId ? (
        <ConversationPane conversationId={selectedId} />
      ) : (
        <section className="conv-pane">
          <div className="empty">
            <MessagesSquare size={28} aria-hidden="true" />
            <h2>No conversation selected</h2>
            <p className="small">
              Pick one from the list, or use <kbd>J</kbd> / <kbd>K</kbd> and <kbd>Enter</kbd>.
            </p>
          </div>
        </section>
      )}
    </>
  );
}
