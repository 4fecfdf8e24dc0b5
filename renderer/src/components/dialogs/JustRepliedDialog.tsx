// "Alice just replied — send anyway?": asked before a reply goes out on top of a colleague's
// reply of the last seconds (collision detection, issue 13). The app's own modal: Enter sends
// (Send anyway has the focus), Esc cancels, Tab stays inside; the draft is kept on cancel.
import { Modal } from './Modal';

export function JustRepliedDialog({ name, reply, onSend, onCancel }: { name: string; reply: string; onSend: () => void; onCancel: () => void }) {
  return (
    <Modal
      title={`${name} just replied — send anyway?`}
      onClose={onCancel}
      className="just-replied"
      footer={
        <>
          <button type="button" className="btn" onClick={onCancel}>
            Cancel
          </button>
          <button type="button" className="btn primary" onClick={onSend} autoFocus data-autofocus>
            Send anyway
          </button>
        </>
      }
    >
      <p className="muted small">{name} sent this a moment ago. Your reply would go out right after it.</p>
      {reply && <blockquote className="just-replied-quote">{reply}</blockquote>}
      <p className="xs faint">Enter sends · Esc goes back to your draft</p>
    </Modal>
  );
}
