// List + conversation (or chat) + details: the screen agents live in.
import { useCallback, useState } from 'react';
import { MailOpen, MessagesSquare } from 'lucide-react';
import { useUi } from '../state/ui';
import { useDirectory } from '../lib/directory';
import { InboxList, useInboxItems } from '../components/list/InboxList';
import { ConversationPane } from '../components/conversation/ConversationPane';
import { ChatPane } from '../components/chat/ChatPane';
import { plural } from '../lib/format';
import { conversationViews } from '../lib/views';
import type { ConversationViewName } from '../../../shared/bridge';

export function InboxView({ inbox, groupId }: { inbox: ConversationViewName; groupId: string | null }) {
  const [unreadOnly, setUnreadOnly] = useState(false);
  const { q, items, total } = useInboxItems(inbox, groupId, unreadOnly);
  const selectedId = useUi((s) => s.selectedId);
  const dir = useDirectory();
  const view = conversationViews[inbox];
  const title = view.perGroup && groupId ? dir.groupName(groupId) : view.label;
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
          {view.unreadFilter && (
            <button type="button" className="btn ghost sm" aria-pressed={unreadOnly} onClick={() => setUnreadOnly((v) => !v)} title="Show only unread conversations">
              <MailOpen size={14} aria-hidden="true" />
              Unread only
            </button>
          )}
        </header>
        <InboxList inbox={inbox} items={items} loading={q.isPending} onEndReached={more} label={title} />
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
