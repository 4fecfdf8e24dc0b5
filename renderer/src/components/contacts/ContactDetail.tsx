// One contact: details, conversations, edit (everyone); opt-out, defaults, merge, delete (admins).
import { useState } from 'react';
import { Ban, Mail, Pencil, Phone, Trash2, GitMerge } from 'lucide-react';
import { formatPhone } from '../../../../shared/phone';
import { useBridgeQuery } from '../../lib/queries';
import { useDirectory } from '../../lib/directory';
import { mutate } from '../../lib/mutate';
import { useShallow } from 'zustand/react/shallow';
import { useUi } from '../../state/ui';
import { exactTime, shortTime } from '../../lib/format';
import { previewText } from '../../lib/links';
import { Avatar } from '../Avatar';
import { Modal } from '../dialogs/Modal';
import { ContactForm } from './ContactForm';
import { ContactDefaults } from './ContactDefaults';
import { MergeDialog } from './MergeDialog';
import { MessageContact } from './MessageContact';

export function ContactDetail({ id, admin }: { id: string; admin: boolean }) {
  const q = useBridgeQuery('contact', { id });
  const dir = useDirectory();
  const { setView, select } = useUi(useShallow((s) => ({ setView: s.setView, select: s.select })));
  const [mode, setMode] = useState<'view' | 'edit' | 'merge' | 'delete'>('view');
  const d = q.data?.contact.id === id ? q.data : null;
  if (!d) return q.isPending || q.isPlaceholderData || q.isFetching ? null : <div className="empty">This contact no longer exists.</div>;
  const c = d.contact;
  if (mode === 'edit') return <ContactForm contact={c} onDone={() => setMode('view')} />;

  const openConv = (convId: string, archived: boolean) => {
    setView({ kind: 'inbox', inbox: archived ? 'archived' : 'team', groupId: null });
    select(convId);
  };

  return (
    <div className="contact-detail scroll">
      <header className="row contact-head">
        <Avatar id={c.id} name={c.name} size="xl" />
        <div className="grow">
          <h1>{c.name}</h1>
          <div className="row small muted">
            <Phone size={13} aria-hidden="true" /> {formatPhone(c.phone)}
            {c.email && (
              <>
                <Mail size={13} aria-hidden="true" /> {c.email}
              </>
            )}
          </div>
        </div>
        <div className="row">
          <button type="button" className="btn sm" onClick={() => setMode('edit')} aria-label="Edit contact">
            <Pencil size={13} aria-hidden="true" /> Edit
          </button>
          {admin && (
            <>
              <button type="button" className="btn sm" onClick={() => setMode('merge')} aria-label="Merge contact">
                <GitMerge size={13} aria-hidden="true" /> Merge
              </button>
              <button type="button" className="icon-btn" onClick={() => setMode('delete')} aria-label="Delete contact" title="Delete contact">
                <Trash2 size={16} />
              </button>
            </>
          )}
        </div>
      </header>
      {c.tags.length > 0 && (
        <div className="tags">
          {c.tags.map((t) => (
            <span key={t} className="tag">
              {t}
            </span>
          ))}
        </div>
      )}
      {c.notes && <p className="contact-notes">{c.notes}</p>}
      <section className="contact-sec">
        <h3>SMS</h3>
        <label className="check">
          <input
            type="checkbox"
            checked={c.optedOut}
            disabled={c.optedOut && !admin}
            title={c.optedOut && !admin ? 'Only admins opt a contact back in (or the contact, by texting START)' : undefined}
            onChange={(e) => void mutate('setContactOptOut', { id: c.id, optedOut: e.target.checked })}
          />
          <Ban size={13} aria-hidden="true" /> Opted out of SMS {c.optedOut ? '— outbound SMS is refused' : ''}
        </label>
        <p className="xs faint">
          {c.optedOut
            ? admin
              ? 'Opt back in only when the contact asked for it; they can also text START.'
              : 'Only an admin can opt them back in — or the contact, by texting START.'
            : 'Tick when the contact asks to stop receiving texts.'}
        </p>
        {!admin && <p className="xs faint">Only admins change conversation defaults, merge or delete contacts.</p>}
      </section>
      <MessageContact contact={c} conversations={d.conversations} />
      {admin && <ContactDefaults contact={c} />}
      <section className="contact-sec">
        <h3>Conversations</h3>
        {d.conversations.length === 0 && <p className="small faint">No conversations yet.</p>}
        {d.conversations.map((cv) => (
          <button key={cv.id} type="button" className="details-row link-row" onClick={() => openConv(cv.id, cv.status === 'archived')}>
            <span className="strong">{dir.groupName(cv.groupId)}</span>
            <span className="grow ellipsis muted small">{previewText(cv.lastPreview)}</span>
            <span className="pill">{cv.status}</span>
            <time className="xs faint" dateTime={new Date(cv.lastActivityAt).toISOString()} title={exactTime(cv.lastActivityAt)}>
              {shortTime(cv.lastActivityAt)}
            </time>
          </button>
        ))}
      </section>
      {mode === 'merge' && <MergeDialog into={c} onClose={() => setMode('view')} />}
      {mode === 'delete' && (
        <Modal
          title="Delete contact?"
          onClose={() => setMode('view')}
          footer={
            <>
              <button type="button" className="btn" onClick={() => setMode('view')}>
                Cancel
              </button>
              <button
                type="button"
                className="btn danger"
                onClick={() => {
                  setMode('view');
                  select(null);
                  void mutate('deleteContact', { id: c.id });
                }}
              >
                Delete contact
              </button>
            </>
          }
        >
          <p>{c.name} is removed from Contacts for everyone.</p>
        </Modal>
      )}
    </div>
  );
}
