// Contact, channel, team, assignees, lock; the actions an agent takes on a conversation.
import { Archive, ArchiveRestore, MailMinus, CreditCard, FileText, Lock, PanelRightClose, PanelRightOpen, Trash2, UserCog } from 'lucide-react';
import type { ConversationDetail } from '../../../../shared/bridge';
import { formatPhone } from '../../../../shared/phone';
import { useDirectory } from '../../lib/directory';
import { useShallow } from 'zustand/react/shallow';
import { useUi } from '../../state/ui';
import { mutate } from '../../lib/mutate';
import { AvatarStack } from '../Avatar';
import { ChannelIcon } from '../ChannelIcon';
import { SnoozeAndLabels, SnoozeLabelButtons } from './ConversationTools';
import { blockedByInvoice } from '../../../../shared/domain/conversations';

export function ConversationHeader({ detail }: { detail: ConversationDetail }) {
  const { conversation: c, contact, group, permissions: p } = detail;
  const dir = useDirectory();
  const { openDialog, detailsOpen, toggleDetails } = useUi(useShallow((s) => ({ openDialog: s.openDialog, detailsOpen: s.detailsOpen, toggleDetails: s.toggleDetails })));
  const assignees = c.assignees.map((id) => ({ id, name: dir.userName(id) }));
  const archived = c.status === 'archived';
  // why Archive and Delete are unavailable, said before anyone tries (the relay refuses the same)
  const archiveWhy = !p.canArchive ? 'Only assignees and admins can archive this conversation.' : blockedByInvoice(detail.invoices, 'archive');
  const deleteWhy = blockedByInvoice(detail.invoices, 'delete');
  const markUnread = () => {
    void mutate('markRead', { targetId: c.id, at: 0 });
    useUi.getState().select(null);
    useUi.getState().setCursor(c.id);
  };

  return (
    <header className="conv-head">
      {/* one line: the name first and whole; number and team give way (ellipsis), then the state
          flags drop off whole from the end (the details pane and the composer say them too) */}
      <div className="grow conv-title">
        <h1 className="ellipsis" title={contact.name}>
          {contact.name}
        </h1>
        <ChannelIcon channel={c.channel} size={12} compact />
        <span className="conv-sub xs muted ellipsis">
          {contact.name !== formatPhone(contact.phone) && <span>{formatPhone(contact.phone)}</span>}
          <span>{group.name}</span>
        </span>
        <span className="conv-flags">
          {c.visibleTo && (
            <span className="row restricted xs" title={`Visible to ${c.visibleTo.map(dir.userName).join(', ')}`}>
              <Lock size={12} aria-hidden="true" /> Restricted
            </span>
          )}
          <SnoozeAndLabels detail={detail} />
          {archived && <span className="pill">Archived</span>}
          {contact.optedOut && <span className="pill warning">Opted out of SMS</span>}
          {group.channelProviders[c.channel] === 'simulator' && (
            <span className="pill badge-simulated" title={`${group.name}'s ${c.channel === 'sms' ? 'SMS' : 'WhatsApp'} goes through the built-in simulator: nothing reaches a real phone.`}>
              Simulated
            </span>
          )}
          {group.channelProviders[c.channel] === null && (
            <span className="pill warning" title={`No ${c.channel === 'sms' ? 'SMS' : 'WhatsApp'} provider is set up for ${group.name}.`}>
              No {c.channel === 'sms' ? 'SMS' : 'WhatsApp'} provider
            </span>
          )}
        </span>
      </div>
      {assignees.length > 0 ? <AvatarStack users={assignees} /> : <span className="xs faint conv-unassigned">Unassigned</span>}
      <div className="conv-actions" role="toolbar" aria-label="Conversation actions">
        <button type="button" className="btn sm" onClick={() => openDialog({ kind: 'manage', conversationId: c.id })} disabled={!p.canManage} aria-label="Manage conversation" title="Assign and set visibility (A)">
          <UserCog size={14} aria-hidden="true" />
          <span className="conv-manage-label">Manage</span>
        </button>
        <button type="button" className="icon-btn" onClick={() => openDialog({ kind: 'invoice', conversationId: c.id })} aria-label="New invoice" title="New invoice" disabled={archived || !p.canRead}>
          <FileText size={16} />
        </button>
        <button type="button" className="icon-btn" onClick={() => openDialog({ kind: 'checkout', conversationId: c.id })} aria-label="New checkout link" title="New checkout link" disabled={archived || !p.canRead}>
          <CreditCard size={16} />
        </button>
        <button type="button" className="icon-btn" onClick={markUnread} aria-label="Mark unread" title="Mark unread (U)">
          <MailMinus size={16} />
        </button>
        <SnoozeLabelButtons detail={detail} />
        {archived ? (
          <button type="button" className="icon-btn" onClick={() => void mutate('unarchiveConversation', { conversationId: c.id })} aria-label="Unarchive" title="Unarchive" disabled={!p.canArchive}>
            <ArchiveRestore size={16} />
          </button>
        ) : (
          // a disabled button shows no tooltip: the wrapper carries the reason, the button describes itself by it
          <span title={archiveWhy ?? 'Archive (E)'}>
            <button type="button" className="icon-btn" onClick={() => openDialog({ kind: 'confirm-archive', conversationId: c.id })} aria-label="Archive" aria-describedby={archiveWhy ? `archive-why-${c.id}` : undefined} disabled={!!archiveWhy}>
              <Archive size={16} />
            </button>
            {archiveWhy && (
              <span id={`archive-why-${c.id}`} className="sr-only">
                {archiveWhy}
              </span>
            )}
          </span>
        )}
        {p.canDelete && (
          <span title={deleteWhy ?? 'Delete conversation'}>
            <button type="button" className="icon-btn danger-hover" onClick={() => openDialog({ kind: 'confirm-delete', conversationId: c.id })} aria-label="Delete conversation" aria-describedby={deleteWhy ? `delete-why-${c.id}` : undefined} disabled={!!deleteWhy}>
              <Trash2 size={16} />
            </button>
            {deleteWhy && (
              <span id={`delete-why-${c.id}`} className="sr-only">
                {deleteWhy}
              </span>
            )}
          </span>
        )}
        <button type="button" className="icon-btn" onClick={toggleDetails} aria-label={detailsOpen ? 'Hide details' : 'Show details'} aria-pressed={detailsOpen} title="Details">
          {detailsOpen ? <PanelRightClose size={16} /> : <PanelRightOpen size={16} />}
        </button>
      </div>
    </header>
  );
}
