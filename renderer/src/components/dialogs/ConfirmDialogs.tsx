// Confirmations for archive and delete. An unpaid invoice blocks both: the reason is shown
// and the action disabled (the header's buttons say it before the dialog opens).
import { mutate } from '../../lib/mutate';
import { useBridgeQuery } from '../../lib/queries';
import { useShallow } from 'zustand/react/shallow';
import { useUi } from '../../state/ui';
import { blockedByInvoice } from '../../../../shared/domain/conversations';
import { Modal } from './Modal';

function Blocked({ reason }: { reason: string }) {
  return (
    <p className="blocked-reason" role="note">
      {reason}
    </p>
  );
}

export function ConfirmArchive({ conversationId }: { conversationId: string }) {
  const close = useUi((s) => s.closeDialog);
  const detail = useBridgeQuery('conversation', { id: conversationId }).data;
  const name = detail?.contact.name ?? 'this contact';
  const blocked = detail ? blockedByInvoice(detail.invoices, 'archive') : null;
  const go = () => {
    close();
    void mutate('archiveConversation', { conversationId });
  };
  return (
    <Modal
      title="Archive conversation?"
      onClose={close}
      footer={
        <>
          <button type="button" className="btn" onClick={close} autoFocus={!!blocked} data-autofocus={blocked ? true : undefined}>
            Cancel
          </button>
          <button type="button" className="btn primary" onClick={go} disabled={!!blocked} autoFocus={!blocked} data-autofocus={blocked ? undefined : true}>
            Archive
          </button>
        </>
      }
    >
      {blocked ? <Blocked reason={blocked} /> : <p>The conversation with {name} moves to Archived. The next message to or from them starts a new conversation.</p>}
    </Modal>
  );
}

export function ConfirmDelete({ conversationId }: { conversationId: string }) {
  const { closeDialog: close, select } = useUi(useShallow((s) => ({ closeDialog: s.closeDialog, select: s.select })));
  const detail = useBridgeQuery('conversation', { id: conversationId }).data;
  const name = detail?.contact.name ?? 'this contact';
  const blocked = detail ? blockedByInvoice(detail.invoices, 'delete') : null;
  const go = async () => {
    close();
    // a refused delete leaves the conversation open, with the reason (only a deletion closes it)
    const r = await mutate('deleteConversation', { conversationId });
    if (r.ok && useUi.getState().selectedId === conversationId) select(null);
  };
  return (
    <Modal
      title="Delete conversation?"
      onClose={close}
      footer={
        <>
          <button type="button" className="btn" onClick={close} autoFocus data-autofocus>
            Cancel
          </button>
          <button type="button" className="btn danger" onClick={() => void go()} disabled={!!blocked}>
            Delete conversation
          </button>
        </>
      }
    >
      {blocked ? <Blocked reason={blocked} /> : <p>This permanently deletes every message, note, invoice, checkout and attachment in the conversation with {name}, for everyone. It cannot be undone.</p>}
    </Modal>
  );
}
