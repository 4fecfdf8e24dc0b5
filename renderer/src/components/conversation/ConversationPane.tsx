// One conversation: header, timeline, composer; the details pane beside it.
import { useEffect, useRef } from 'react';
import { Lock } from 'lucide-react';
import { useDirectory } from '../../lib/directory';
import { exactTime } from '../../lib/format';
import type { ConversationDetail } from '../../../../shared/bridge';
import { dismissFailure } from './FailureList';
import { useBridgeQuery } from '../../lib/queries';
import { mutate } from '../../lib/mutate';
import { useUi } from '../../state/ui';
import { ConversationHeader } from './ConversationHeader';
import { Timeline } from './Timeline';
import { Composer } from './Composer';
import { ConversationPresence } from '../Presence';
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

  // A Manage save refused as stale (visibility changed since the dialog opened): reopen the dialog on
  // the current lists, saying why (issue 10 item 4).
  const stale = detail?.failures.find((f) => f.name === 'manageConversation' && f.code === 'stale');
  useEffect(() => {
    if (!stale) return;
    useUi.getState().openDialog({ kind: 'manage', conversationId, notice: stale.message });
    void dismissFailure(stale);
  }, [stale, conversationId]);

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
        {detail.permissions.canRead ? (
          <>
            <Timeline detail={detail} />
            <ConversationPresence conversationId={detail.conversation.id} />
            <Composer key={detail.conversation.id} detail={detail} />
          </>
        ) : (
          <Confidential detail={detail} />
        )}
      </section>
      {detailsOpen && <DetailsPane detail={detail} />}
    </>
  );
}

/**
 * An admin outside "Visible to" holds the metadata row only: who it is with, who sees it, who is
 * assigned, whether an invoice is outstanding, last activity. Manage, archive and delete stay in
 * the header; the content never reached this machine.
 */
function Confidential({ detail }: { detail: ConversationDetail }) {
  const dir = useDirectory();
  const c = detail.conversation;
  return (
    <div className="timeline">
      <div className="confidential-pane" role="note" aria-label="Confidential conversation">
        <h2 className="row">
          <Lock size={14} aria-hidden="true" /> Confidential conversation
        </h2>
        <p className="small">
          Only the people it is visible to can read it. As an admin you can manage, archive or delete it without seeing its messages, notes or invoices. Adding yourself to
          “Visible to” is recorded in the audit log.
        </p>
        <dl className="meta-facts small">
          <dt>Visible to</dt>
          <dd>{(c.visibleTo ?? []).map(dir.userName).join(', ') || 'Everyone in the group'}</dd>
          <dt>Assigned to</dt>
          <dd>{c.assignees.map(dir.userName).join(', ') || 'Unassigned'}</dd>
          <dt>Status</dt>
          <dd>{c.status === 'open' ? 'Open' : 'Archived'}</dd>
          <dt>Invoice</dt>
          <dd>{c.metaOnly?.invoiceOutstanding ? 'An invoice is outstanding' : 'Nothing outstanding'}</dd>
          <dt>Last activity</dt>
          <dd>{exactTime(c.lastActivityAt)}</dd>
        </dl>
      </div>
    </div>
  );
}
