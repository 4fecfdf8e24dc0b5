// Header pieces for snooze and labels: the Snooze / Unsnooze and Label buttons, and the line
// saying until when it sleeps and which labels it carries.
import { AlarmClock, AlarmClockOff, Tag } from 'lucide-react';
import type { ConversationDetail } from '../../../../shared/bridge';
import { mutate } from '../../lib/mutate';
import { whenLabel } from '../../lib/when';
import { useUi } from '../../state/ui';
import { LabelPills } from '../LabelPill';

export function SnoozeLabelButtons({ detail }: { detail: ConversationDetail }) {
  const { conversation: c, permissions: p } = detail;
  const openDialog = useUi((s) => s.openDialog);
  const snoozed = c.snoozedBy !== null;
  const archived = c.status === 'archived';
  return (
    <>
      <button type="button" className="icon-btn" onClick={() => openDialog({ kind: 'labels', conversationId: c.id })} aria-label="Labels" title="Labels (L)" disabled={!p.canLabel}>
        <Tag size={16} />
      </button>
      {snoozed ? (
        <button type="button" className="icon-btn" onClick={() => void mutate('unsnoozeConversation', { conversationId: c.id })} aria-label="Unsnooze" title="Unsnooze: back to the inbox now" disabled={!p.canSnooze}>
          <AlarmClockOff size={16} />
        </button>
      ) : (
        <button
          type="button"
          className="icon-btn"
          onClick={() => openDialog({ kind: 'snooze', conversationId: c.id })}
          aria-label="Snooze"
          title={archived ? 'Unarchive it to snooze' : p.canSnooze ? 'Snooze (H)' : 'Only assignees and admins snooze'}
          disabled={!p.canSnooze || archived}
        >
          <AlarmClock size={16} />
        </button>
      )}
    </>
  );
}

/** "Snoozed until Tomorrow 09:00" and the label pills, for the header's second line. */
export function SnoozeAndLabels({ detail }: { detail: ConversationDetail }) {
  const c = detail.conversation;
  return (
    <>
      {c.snoozedBy !== null && (
        <span className="snooze-line" title={c.snoozedUntil === null ? 'Snoozed until the contact replies' : `Snoozed until ${whenLabel(c.snoozedUntil)}, or until the contact replies`}>
          <AlarmClock size={12} aria-hidden="true" />
          <span className="sr-only">Snoozed </span>
          {c.snoozedUntil === null ? 'until they reply' : `until ${whenLabel(c.snoozedUntil)}`}
        </span>
      )}
      <LabelPills ids={c.labels} small />
    </>
  );
}
