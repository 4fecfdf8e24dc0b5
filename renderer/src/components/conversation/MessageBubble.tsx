// A message: inbound left and neutral, outbound right in the brand colour.
import clsx from 'clsx';
import { AlertTriangle, Check, CheckCheck, Clock, MapPin, RotateCw } from 'lucide-react';
import type { ConversationDetail, Pending } from '../../../../shared/bridge';
import { PENDING_LINK } from '../../../../shared/domain/payments';
import type { Message } from '../../../../shared/schema';
import { clockTime, exactTime } from '../../lib/format';
import { useDirectory } from '../../lib/directory';
import { mutate, newId } from '../../lib/mutate';
import { Attachments } from '../Attachments';
import { Linkified } from '../Linkified';

const statusText: Record<Message['status'], string> = {
  queued: 'Queued',
  sent: 'Sent',
  delivered: 'Delivered',
  read: 'Read',
  failed: 'Not delivered',
};

function StatusTicks({ m }: { m: Pending<Message> }) {
  if (m.pending) return <Clock size={12} aria-label="Waiting to sync" />;
  const label = m.status === 'failed' ? `Not delivered: ${m.failureReason ?? 'unknown reason'}` : statusText[m.status];
  const Icon = m.status === 'failed' ? AlertTriangle : m.status === 'queued' ? Clock : m.status === 'sent' ? Check : CheckCheck;
  return (
    <span className={clsx('ticks', m.status)} title={label} role="img" aria-label={label}>
      <Icon size={12} aria-hidden="true" />
    </span>
  );
}

/** A payment-link message whose link was replaced by a newer one, or expired unpaid. */
function linkExpired(m: Pending<Message>, detail: ConversationDetail): boolean {
  if (!m.paymentRef?.startsWith('invoice:') || m.direction !== 'outbound') return false;
  const inv = detail.invoices.find((i) => `invoice:${i.id}` === m.paymentRef);
  if (!inv || inv.status !== 'sent') return false;
  if (m.body.includes(PENDING_LINK)) return false;
  return inv.linkExpired || inv.paymentUrl === null || !m.body.includes(inv.paymentUrl);
}

export function MessageBubble({ message: m, detail }: { message: Pending<Message>; detail: ConversationDetail }) {
  const dir = useDirectory();
  const out = m.direction === 'outbound';
  const retry = () =>
    void mutate('sendMessage', {
      id: newId(),
      conversationId: detail.conversation.id,
      contactId: detail.contact.id,
      groupId: detail.conversation.groupId,
      channel: m.channel,
      body: m.body,
      attachments: m.attachments.length ? m.attachments : undefined,
      templateName: m.templateName ?? undefined,
    });
  return (
    <div className={clsx('msg', out ? 'out' : 'in', m.pending && 'pending', m.status === 'failed' && 'failed')}>
      <div className="bubble">
        {m.templateName && <div className="xs bubble-meta">Template · {m.templateName}</div>}
        {linkExpired(m, detail) && <div className="xs bubble-meta link-expired">This payment link has expired</div>}
        {m.body && (
          <div className="bubble-text">
            <Linkified text={m.body} />
          </div>
        )}
        {m.location && (
          <div className="row small">
            <MapPin size={14} aria-hidden="true" />
            <a href={`https://www.openstreetmap.org/?mlat=${m.location.lat}&mlon=${m.location.lng}#map=16/${m.location.lat}/${m.location.lng}`} target="_blank" rel="noopener noreferrer">
              {m.location.label ?? `${m.location.lat.toFixed(4)}, ${m.location.lng.toFixed(4)}`}
            </a>
          </div>
        )}
        <Attachments refs={m.attachments} />
      </div>
      <div className="msg-meta xs">
        {out && m.authorId && <span>{dir.userName(m.authorId)}</span>}
        <span className="msg-chan">{m.channel === 'whatsapp' ? 'WhatsApp' : m.segments > 1 ? `SMS · ${m.segments} texts` : 'SMS'}</span>
        <time dateTime={new Date(m.createdAt).toISOString()} title={exactTime(m.createdAt)}>
          {clockTime(m.createdAt)}
        </time>
        {out && <StatusTicks m={m} />}
      </div>
      {m.status === 'failed' && (
        <div className="msg-failure small" role="note">
          <AlertTriangle size={13} aria-hidden="true" />
          <span>Not delivered{m.failureReason ? `: ${m.failureReason}` : ''}</span>
          <button type="button" className="btn sm" onClick={retry} aria-label="Retry sending">
            <RotateCw size={12} aria-hidden="true" /> Retry
          </button>
        </div>
      )}
    </div>
  );
}
