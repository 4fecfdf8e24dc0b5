// Team chat: the list of chats and the open one.
import { useCallback } from 'react';
import { Plus } from 'lucide-react';
import { useShallow } from 'zustand/react/shallow';
import { useUi } from '../state/ui';
import { InboxList, useInboxItems } from '../components/list/InboxList';
import { ChatPane } from '../components/chat/ChatPane';

export function ChatsView() {
  const { q, items } = useInboxItems('chats', null, {});
  const { selectedId, openDialog } = useUi(useShallow((s) => ({ selectedId: s.selectedId, openDialog: s.openDialog })));
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = q;
  const more = useCallback(() => {
    if (hasNextPage && !isFetchingNextPage) void fetchNextPage();
  }, [hasNextPage, isFetchingNextPage, fetchNextPage]);
  return (
    <>
      <section className="list-pane" aria-label="Team chats">
        <header className="pane-head">
          <h1 className="grow">Team chat</h1>
          <button type="button" className="btn sm primary" onClick={() => openDialog({ kind: 'new-chat' })}>
            <Plus size={14} aria-hidden="true" /> New chat
          </button>
        </header>
        <InboxList inbox="chats" items={items} loading={q.isPending} onEndReached={more} label="Team chats" />
      </section>
      {selectedId ? (
        <ChatPane chatId={selectedId} />
      ) : (
        <section className="conv-pane">
          <div className="empty">
            <h2>Talk to your team</h2>
            <p className="small">Pick a chat, or start one with New chat. A chat with just yourself is a private notepad.</p>
          </div>
        </section>
      )}
    </>
  );
}
