// Merge another contact into this one: its conversations move here, tags are combined.
import { useState } from 'react';
import type { Contact } from '../../../../shared/schema';
import { formatPhone } from '../../../../shared/phone';
import { useBridgeQuery } from '../../lib/queries';
import { mutate } from '../../lib/mutate';
import { useDirectory } from '../../lib/directory';
import { Modal } from '../dialogs/Modal';

export function MergeDialog({ into, onClose }: { into: Contact; onClose: () => void }) {
  const [search, setSearch] = useState('');
  const [from, setFrom] = useState<Contact | null>(null);
  const list = useBridgeQuery('contacts', { search: search.trim() || undefined, limit: 20 }).data?.items.filter((c) => c.id !== into.id) ?? [];
  const dir = useDirectory();
  const mine = useBridgeQuery('contact', { id: into.id }).data?.conversations ?? [];
  const theirs = useBridgeQuery('contact', { id: from?.id ?? '' }, { enabled: !!from }).data?.conversations ?? [];
  // groups where both have an open conversation: after the merge only one stays open there
  const both = [...new Set(mine.filter((c) => c.status === 'open').map((c) => c.groupId))].filter((g) => from && theirs.some((c) => c.status === 'open' && c.groupId === g));
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
      {from && both.length > 0 && (
        <div className="form-note small" role="note" aria-label="Open conversations">
          {both.map((g) => (
            <p key={g}>
              Both have an open conversation in {dir.groupName(g)}. Only one stays open: if both are visible to the same people they are merged into one (every
              message, note and invoice kept); otherwise the older one is archived, so nothing restricted is shown to anyone new.
            </p>
          ))}
        </div>
      )}
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
