// One conversation: header, timeline, composer; the details pane beside it.
import { useEffect, useRef } from 'react';
import { useBridgeQuery } from '../../lib/queries';
import { mutate } from '../../lib/mutate';
import { useUi } from '../../state/ui';
import { ConversationHeader } from './ConversationHeader';
import { Timeline } from './Timeline';
import { Composer } from './Composer';
import { DetailsPane } from '../details/DetailsPane';

export function ConversationPane({ conversationId }: { conversationId: string }) {
  const q = useBridgeQuery('conversation', { id: conversationId });
  const detailsOpen = useUi((s) => s.detailsOpen);
  const detail = q.data?.conversation.id === conversationId ? q.data : null;

  // opening a conversation (and new activity while open) marks it read
  const markedAt = useRef(0);
  const lastActivity = detail?.conversation.lastActivityAt ?? 0;
  useEffect(() => {
    if (!lastActivity || document.hidden) return;
    if (markedAt.current >= lastActivity) return;
    markedAt.current = lastActivity;
    void mutate('markRead', { targetId: conversationId, at: Math.max(Date.now(), lastActivity) }, { quiet: true });
  }, [conversationId, lastActivity]);

  const loading = q.isPending || q.isPlaceholderData || (q.isFetching && !detail);
  if (!detail) {
    return (
      <section className="conv-pane" aria-busy={loading}>
        {!loading && (
          <div className="empty">
            <h2>This conversation is no longer available</h2>
            <p className="small">It may have been deleted, or its visibility changed.</p>
          </div>
        )}
      </section>
    );
  }
  return (
    <>
      <section className="conv-pane" aria-label={`Conversation with ${detail.contact.name}`}>
        <ConversationHeader detail={detail} />
        <Timeline detail={detail} />
        <Composer key={detail.conversation.id} detail={detail} />
      </section>
      {detailsOpen && <DetailsPane detail={detail} />}
    </>
  );
}
