// Every relay refusal not yet dismissed, wherever it happened (contact edits, chats…):
// nothing the user did is silently lost.
import { useState } from 'react';
import { AlertTriangle } from 'lucide-react';
import { useBridgeQuery } from '../lib/queries';
import { plural } from '../lib/format';
import { Modal } from './dialogs/Modal';
import { FailureList } from './conversation/FailureList';

export function FailuresButton() {
  const failures = useBridgeQuery('failures', {}).data ?? [];
  const [open, setOpen] = useState(false);
  if (failures.length === 0) return null;
  return (
    <>
      <button type="button" className="failures-btn" onClick={() => setOpen(true)}>
        <AlertTriangle size={14} aria-hidden="true" />
        {plural(failures.length, 'change')} refused
      </button>
      {open && (
        <Modal title="Refused changes" onClose={() => setOpen(false)} wide>
          <p className="small muted">The server refused these changes. Retry them, or dismiss them once you have read why.</p>
          <FailureList failures={failures} />
        </Modal>
      )}
    </>
  );
}
