// Confirmations for archive and delete.
import { mutate } from '../../lib/mutate';
import { useBridgeQuery } from '../../lib/queries';
import { useShallow } from 'zustand/react/shallow';
import { useUi } from '../../state/ui';
import { Modal } from './Modal';

export function ConfirmArchive({ conversationId }: { conversationId: string }) {
  const close = useUi((s) => s.closeDialog);
  const name = useBridgeQuery('conversation', { id: conversationId }).data?.contact.name ?? 'this contact';
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
          <button type="button" className="btn" onClick={close}>
            Cancel
          </button>
          <button type="button" className="btn primary" onClick={go} autoFocus data-autofocus>
            Archive
          </button>
        </>
      }
    >
      <p>The conversation with {name} moves to Archived. The next message to or from them starts a new conversation.</p>
    </Modal>
  );
}

export function ConfirmDelete({ conversationId }: { conversationId: string }) {
  const { closeDialog: close, select } = useUi(useShallow((s) => ({ closeDialog: s.closeDialog, select: s.select })));
  const name = useBridgeQuery('conversation', { id: conversationId }).data?.contact.name ?? 'this contact';
  const go = () => {
    close();
    select(null);
    void mutate('deleteConversation', { conversationId });
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
          <button type="button" className="btn danger" onClick={go}>
            Delete conversation
          </button>
        </>
      }
    >
      <p>This permanently deletes every message, note, invoice, checkout and attachment in the conversation with {name}, for everyone. It cannot be undone.</p>
    </Modal>
  );
}
