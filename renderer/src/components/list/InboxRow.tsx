// One row of the conversation list: name, state icons, team, time; channel, preview, assignees.
// Two lines in either density (compact 46 px, comfortable 64 px: renderer/src/state/ui.ts).
import clsx from 'clsx';
import { AlarmClock, CalendarClock, Clock, Coins, Lock, Timer, Users, User as UserIcon, AlertCircle, Hourglass } from 'lucide-react';
import { SLA_WARN_MINUTES, slaText } from '../../../../shared/domain/sla';
import { useNow } from '../../lib/useNow';
import type { InboxItem } from '../../../../shared/bridge';
import { exactTime, shortTime } from '../../lib/format';
import { AvatarStack } from '../Avatar';
import { useDirectory, useSession } from '../../lib/directory';
import { ChannelIcon } from '../ChannelIcon';
import { previewText } from '../../lib/links';
import { whenLabel } from '../../lib/when';
import { LabelPills } from '../LabelPill';

/** First-response SLA: "32m left", red "Overdue 1h 05m" (the icon and words say it, not the colour alone). */
function SlaPill({ due }: { due: number }) {
  const now = useNow(30_000);
  const overdue = due <= now;
  return (
    <span className={clsx('pill sla-pill', overdue ? 'danger' : due - now <= SLA_WARN_MINUTES * 60_000 && 'warning')} title={`First reply due ${exactTime(due)}`}>
      <Timer size={11} aria-hidden="true" />
      {slaText(due, now)}
    </span>
  );
}

export function InboxRow({ item, selected, cursor, onOpen }: { item: InboxItem; selected: boolean; cursor: boolean; onOpen: () => void }) {
  const dir = useDirectory();
  const title = item.kind === 'conversation' ? item.contactName : item.title;
  const me = useSession()?.userId;
  const people = (item.kind === 'conversation' ? item.assignees : []).map((id) => ({ id, name: dir.userName(id) }));
  // a chat shows who else is in it, each with their presence (a self-chat: nobody)
  const others = item.kind === 'chat' ? item.members.filter((id) => id !== me).map((id) => ({ id, name: dir.userName(id) })) : [];
  // the accessible name comes from the content; states icons show are spelled out for screen readers
  const states = [
    item.unread ? 'unread' : null,
    item.kind === 'conversation' && item.hasFailedSend ? 'a message failed to send' : null,
    item.kind === 'conversation' && item.hasUnpaidInvoice ? 'unpaid invoice' : null,
    item.kind === 'conversation' && item.restricted ? 'restricted' : null,
    item.kind === 'conversation' && item.snoozed ? (item.snoozedUntil === null ? 'snoozed until they reply' : `snoozed until ${whenLabel(item.snoozedUntil)}`) : null,
    item.kind === 'conversation' && item.hasScheduled ? 'a reply is scheduled' : null,
    item.kind === 'conversation' && item.awaitingAssignment ? 'waiting for automatic assignment' : null,
    item.pending ? 'waiting to sync' : null,
  ].filter(Boolean);
  return (
    <div
      role="option"
      aria-selected={selected}
      id={`row-${item.id}`}
      className={clsx('inbox-row', item.unread && 'unread', selected && 'selected', cursor && 'cursor', item.pending && 'pending')}
      onClick={onOpen}
    >
      <div className="inbox-row-top">
        {item.unread && <span className="unread-dot" aria-hidden="true" />}
        <span className="inbox-row-name ellipsis">
          {title}
          {states.length > 0 && <span className="sr-only">, {states.join(', ')},</span>}
        </span>
        {item.kind === 'conversation' && item.hasFailedSend && <AlertCircle size={13} className="failed-icon" aria-hidden="true" />}
        {item.kind === 'conversation' && item.restricted && <Lock size={12} className="faint" aria-hidden="true" />}
        {item.kind === 'conversation' && item.hasUnpaidInvoice && <Coins size={13} className="coin" aria-hidden="true" />}
        {item.pending && <Clock size={12} className="faint" aria-hidden="true" />}
        {item.kind === 'conversation' && item.hasScheduled && <CalendarClock size={12} className="faint" aria-hidden="true" />}
        {item.kind === 'conversation' && item.snoozed && (
          <span className="row-snooze" aria-hidden="true">
            <AlarmClock size={11} /> {item.snoozedUntil === null ? 'until reply' : whenLabel(item.snoozedUntil)}
          </span>
        )}
        {item.kind === 'conversation' && item.slaDueAt !== null && <SlaPill due={item.slaDueAt} />}
        {item.kind === 'conversation' && <LabelPills ids={item.labels} small max={2} />}
        <span className="inbox-row-where faint xs ellipsis">{item.kind === 'conversation' ? dir.groupName(item.groupId) : item.isMember ? 'Team chat' : 'Team chat · private to its participants'}</span>
        <time className="inbox-row-time" dateTime={new Date(item.lastActivityAt).toISOString()} title={exactTime(item.lastActivityAt)}>
          {shortTime(item.lastActivityAt)}
        </time>
      </div>
      <div className="inbox-row-bottom">
        {item.kind === 'conversation' ? (
          <ChannelIcon channel={item.channel} compact />
        ) : (
          <span className="chan chat" title="Team chat">
            {item.chatKind === 'group' ? <Users size={13} aria-hidden="true" /> : <UserIcon size={13} aria-hidden="true" />}
          </span>
        )}
        <span className="inbox-row-preview ellipsis">
          {item.kind === 'conversation' && item.confidential ? (
            <span className="faint">Confidential: visible to {item.restricted ? 'named people' : 'its group'} only</span>
          ) : item.kind === 'chat' && !item.isMember ? (
            <span className="faint">Private · {item.messageCount ?? 0} {item.messageCount === 1 ? 'message' : 'messages'}</span>
          ) : (
            previewText(item.lastPreview) || <span className="faint">No messages yet</span>
          )}
        </span>
        {item.kind === 'conversation' && item.awaitingAssignment && (
          <span className="row-waiting" title="Waiting for automatic assignment: nobody can take it yet" aria-hidden="true">
            <Hourglass size={11} /> Waiting
          </span>
        )}
        <AvatarStack users={people} max={2} />
        <AvatarStack users={others} max={2} label="With" />
      </div>
    </div>
  );
}
