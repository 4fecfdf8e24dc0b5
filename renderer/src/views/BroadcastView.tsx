// Broadcast: past sends with progress, and the form for a new one.
import { useState } from 'react';
import clsx from 'clsx';
import { Megaphone, Plus } from 'lucide-react';
import { useBridgeQuery } from '../lib/queries';
import { useDirectory } from '../lib/directory';
import { shortTime, exactTime } from '../lib/format';
import { BroadcastForm } from '../components/broadcast/BroadcastForm';
import { BroadcastDetail } from '../components/broadcast/BroadcastDetail';

export function BroadcastView() {
  const list = useBridgeQuery('broadcasts', {}).data ?? [];
  const dir = useDirectory();
  const [selected, setSelected] = useState<string | null>(null);
  const sorted = [...list].sort((a, b) => b.createdAt - a.createdAt);
  return (
    <>
      <section className="list-pane" aria-label="Broadcasts">
        <header className="pane-head">
          <h1 className="grow">Broadcast</h1>
          <button type="button" className="btn sm primary" onClick={() => setSelected(null)} aria-label="New broadcast">
            <Plus size={14} aria-hidden="true" /> New
          </button>
        </header>
        {sorted.length === 0 && (
            <div className="empty">
              <Megaphone size={28} aria-hidden="true" />
              <h2>No broadcasts yet</h2>
              <p className="small">Send one message to many contacts; each copy lands in their own conversation.</p>
            </div>
        )}
        <div className="list-scroll" role="listbox" aria-label="Sent broadcasts">
          {sorted.map((b) => (
            <div key={b.id} role="option" aria-selected={selected === b.id} className={clsx('contact-row bc-row', selected === b.id && 'selected')} onClick={() => setSelected(b.id)}>
              <div className="grow">
                <div className="row">
                  <span className="grow ellipsis strong">{b.body || b.templateName}</span>
                  <time className="xs faint" title={exactTime(b.createdAt)}>
                    {shortTime(b.createdAt)}
                  </time>
                </div>
                <div className="xs faint">
                  {dir.groupName(b.groupId)} · {b.channel === 'sms' ? 'SMS' : 'WhatsApp'} · {b.sent}/{b.total} sent
                  {b.skipped ? ` · ${b.skipped} skipped` : ''}
                  {b.failed ? ` · ${b.failed} failed` : ''}
                </div>
              </div>
            </div>
          ))}
        </div>
      </section>
      <section className="conv-pane contact-pane">{selected ? <BroadcastDetail id={selected} /> : <BroadcastForm onSent={setSelected} />}</section>
    </>
  );
}
