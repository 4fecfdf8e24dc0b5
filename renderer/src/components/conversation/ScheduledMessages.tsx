// Replies waiting to be sent later, at the end of the timeline: when, and edit / change the
// time / cancel (author or admin, as the relay rules). A refusal at send time turns the item
// into a failed message in the timeline, with the reason.
import { useState } from 'react';
import { CalendarClock, Clock, Pencil, Trash2 } from 'lucide-react';
import type { ConversationDetail, Pending } from '../../../../shared/bridge';
import { canEditScheduled, sessionViewer } from '../../../../shared/permissions';
import type { Message } from '../../../../shared/schema';
import { useDirectory } from '../../lib/directory';
import { mutate } from '../../lib/mutate';
import { useBridgeQuery } from '../../lib/queries';
import { exactTime } from '../../lib/format';
import { whenLabel } from '../../lib/when';
import { useUi } from '../../state/ui';

function ScheduledItem({ m, conversationId, mayEdit }: { m: Pending<Message>; conversationId: string; mayEdit: boolean }) {
  const dir = useDirectory();
  const [editing, setEditing] = useState(false);
  const [text, setText] = useState(m.body);
  const at = m.scheduledAt ?? m.createdAt;
  const save = async () => {
    const body = text.trim();
    if (!body) return;
    const r = await mutate('editScheduledMessage', { messageId: m.id, body });
    if (r.ok) setEditing(false);
  };
  return (
    <div className="msg out scheduled" aria-label={`Scheduled for ${exactTime(at)}`}>
      {editing ? (
        <div className="scheduled-edit col">
          <textarea
            className="composer-text"
            aria-label="Scheduled message"
            value={text}
            autoFocus
            onChange={(e) => setText(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && !e.shiftKey) {
                e.preventDefault();
                void save();
              } else if (e.key === 'Escape') {
                e.stopPropagation();
                setEditing(false);
              }
            }}
          />
          <div className="scheduled-actions">
            <button type="button" className="btn sm" onClick={() => setEditing(false)}>
              Cancel
            </button>
            <button type="button" className="btn sm primary" onClick={() => void save()} disabled={!text.trim()}>
              Save
            </button>
          </div>
        </div>
      ) : (
        <div className="bubble">
          <div className="bubble-text">{m.body}</div>
        </div>
      )}
      <div className="msg-meta xs">
        {m.authorId && <span>{dir.userName(m.authorId)}</span>}
        <span className="msg-chan">{m.channel === 'whatsapp' ? 'WhatsApp' : 'SMS'}</span>
        <time dateTime={new Date(at).toISOString()} title={exactTime(at)}>
          <CalendarClock size={11} aria-hidden="true" /> Sends {whenLabel(at)}
        </time>
        {m.pending && <Clock size={12} aria-label="Waiting to sync" />}
      </div>
      {mayEdit && !editing && (
        <div className="scheduled-actions">
          <button type="button" className="btn ghost sm" onClick={() => setEditing(true)} aria-label="Edit scheduled message">
            <Pencil size={12} aria-hidden="true" /> Edit
          </button>
          <button type="button" className="btn ghost sm" onClick={() => useUi.getState().openDialog({ kind: 'send-later', conversationId, messageId: m.id })} aria-label="Change the time">
            <CalendarClock size={12} aria-hidden="true" /> Change time
          </button>
          <button type="button" className="btn ghost sm danger-hover" onClick={() => void mutate('cancelScheduledMessage', { messageId: m.id })} aria-label="Cancel scheduled message">
            <Trash2 size={12} aria-hidden="true" /> Cancel
          </button>
        </div>
      )}
    </div>
  );
}

export function ScheduledMessages({ detail }: { detail: ConversationDetail }) {
  const session = useBridgeQuery('session', {}).data;
  const dir = useDirectory();
  const scheduled = detail.messages.filter((m) => m.status === 'scheduled').sort((a, b) => (a.scheduledAt ?? 0) - (b.scheduledAt ?? 0));
  if (scheduled.length === 0) return null;
  const me = session ? { ...sessionViewer(session, dir.memberships), active: true } : null;
  return (
    <section className="scheduled-list" aria-label="Scheduled replies">
      <div className="scheduled-head">
        <CalendarClock size={13} aria-hidden="true" /> Scheduled
      </div>
      {scheduled.map((m) => (
        <ScheduledItem key={m.id} m={m} conversationId={detail.conversation.id} mayEdit={!!me && canEditScheduled(me, m)} />
      ))}
    </section>
  );
}
