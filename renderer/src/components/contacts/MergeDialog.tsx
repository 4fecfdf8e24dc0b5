// Merge another contact into this one: its conversations move here, tags are combined.
import { useState } from 'react';
import type { Contact } from '../../../../shared/schema';
import { formatPhone } from '../../../../shared/phone';
import { useBridgeQuery } from '../../lib/queries';
import { mutate } from '../../lib/mutate';
import { Modal } from '../dialogs/Modal';

export function MergeDialog({ into, onClose }: { into: Contact; onClose: () => void }) {
  const [search, setSearch] = useState('');
  const [from, setFrom] = useState<Contact | null>(null);
  const list = useBridgeQuery('contacts', { search: search.trim() || undefined, limit: 20 }).data?.items.filter((c) => c.id !== into.id) ?? [];
  const go = async () => {
    if (!from) return;
    const r = await mutate('mergeContacts', { intoId: into.id, fromId: from.id });
    if (r.ok) onClose();
  };
  return (
    <Modal
      title={`Merge into ${into.name}`}
      onClose={onClose}
      footer={
        <>
          <button type="button" className="btn" onClick={onClose}>
            Cancel
          </button>
          <button type="button" className="btn primary" disabled={!from} onClick={() => void go()}>
            Merge
          </button>
        </>
      }
    >
      <p className="small muted">Pick the duplicate. Its conversations move to {into.name}, tags are combined, and the duplicate is deleted.</p>
      <input className="input" type="search" placeholder="Search contacts" aria-label="Search contacts to merge" value={search} onChange={(e) => setSearch(e.target.value)} autoFocus data-autofocus />
      <div className="check-list merge-list" role="radiogroup" aria-label="Duplicate contact">
        {list.map((c) => (
          <label key={c.id} className="check">
            <input type="radio" name="merge-from" checked={from?.id === c.id} onChange={() => setFrom(c)} />
            <span className="grow">
              {c.name} <span className="xs faint">{formatPhone(c.phone)}</span>
            </span>
          </label>
        ))}
        {list.length === 0 && <p className="xs faint">No other contacts match.</p>}
      </div>
    </Modal>
  );
}
