// Right pane: the contact, tags, payments and other conversations with them.
import { Mail, Phone, Ban, MessagesSquare } from 'lucide-react';
import type { ConversationDetail } from '../../../../shared/bridge';
import { formatPhone } from '../../../../shared/phone';
import { useDirectory } from '../../lib/directory';
import { useUi } from '../../state/ui';
import { money, shortTime, exactTime } from '../../lib/format';
import { Avatar } from '../Avatar';

export function DetailsPane({ detail }: { detail: ConversationDetail }) {
  const { contact, invoices, checkouts, otherConversations } = detail;
  const dir = useDirectory();
  const select = useUi((s) => s.select);
  const setView = useUi((s) => s.setView);
  return (
    <aside className="details" aria-label="Details">
      <section className="details-card">
        <Avatar id={contact.id} name={contact.name} size="xl" />
        <h2>{contact.name}</h2>
        <div className="details-line">
          <Phone size={13} aria-hidden="true" />
          <span>{formatPhone(contact.phone)}</span>
        </div>
        {contact.email && (
          <div className="details-line">
            <Mail size={13} aria-hidden="true" />
            <span className="ellipsis">{contact.email}</span>
          </div>
        )}
        {contact.optedOut && (
          <div className="details-line warn-text">
            <Ban size={13} aria-hidden="true" /> Opted out of SMS
          </div>
        )}
        {contact.tags.length > 0 && (
          <div className="tags" aria-label="Tags">
            {contact.tags.map((t) => (
              <span key={t} className="tag">
                {t}
              </span>
            ))}
          </div>
        )}
        {contact.notes && <p className="small muted details-notes">{contact.notes}</p>}
        <button type="button" className="btn sm ghost" onClick={() => {
            setView({ kind: 'contacts' });
            select(contact.id);
          }}>
          Open in Contacts
        </button>
        {detail.permissions.canRead && (
          // "Discuss with…": a team chat about this conversation (also in Ctrl+K)
          <button type="button" className="btn sm ghost" onClick={() => useUi.getState().openDialog({ kind: 'discuss', conversationId: detail.conversation.id })} title="Start a team chat about this conversation">
            <MessagesSquare size={14} aria-hidden="true" /> Discuss with…
          </button>
        )}
      </section>
      <section className="details-sec" aria-labelledby="d-inv">
        <h3 id="d-inv">Invoices</h3>
        {!detail.permissions.canRead && <p className="xs faint">Confidential: only the people it is visible to see its invoices.</p>}
        {detail.permissions.canRead && invoices.length === 0 && <p className="xs faint">None yet</p>}
        {invoices.map((i) => (
          <div key={i.id} className="details-row">
            <span className="grow ellipsis">{i.number}</span>
            <span>{money(i.total, i.currency)}</span>
            <span className={`pill ${i.status === 'paid' ? 'success' : i.status === 'sent' ? 'warning' : ''}`}>{i.status === 'sent' ? 'unpaid' : i.status}</span>
          </div>
        ))}
      </section>
      <section className="details-sec" aria-labelledby="d-co">
        <h3 id="d-co">Checkouts</h3>
        {!detail.permissions.canRead && <p className="xs faint">Confidential.</p>}
        {detail.permissions.canRead && checkouts.length === 0 && <p className="xs faint">None yet</p>}
        {checkouts.map((c) => (
          <div key={c.id} className="details-row">
            <span className="grow ellipsis">{c.description}</span>
            <span>{money(c.amount, c.currency)}</span>
            <span className={`pill ${c.status === 'paid' ? 'success' : c.status === 'open' ? 'warning' : ''}`}>{c.status}</span>
          </div>
        ))}
      </section>
      <section className="details-sec" aria-labelledby="d-oc">
        <h3 id="d-oc">Other conversations</h3>
        {otherConversations.length === 0 && <p className="xs faint">None</p>}
        {otherConversations.map((o) => (
          <button key={o.id} type="button" className="details-row link-row" onClick={() => select(o.id)}>
            <span className="grow ellipsis">{dir.groupName(o.groupId)}</span>
            <span className="pill">{o.status}</span>
            <time className="xs faint" title={exactTime(o.lastActivityAt)}>
              {shortTime(o.lastActivityAt)}
            </time>
          </button>
        ))}
      </section>
    </aside>
  );
}
