// Progress and per-recipient results of one broadcast.
import { useRef } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { QueryResults } from '../../../../shared/bridge';
import { useBridgeQuery } from '../../lib/queries';
import { useDirectory } from '../../lib/directory';
import { exactTime } from '../../lib/format';

const tone = { pending: '', sent: 'success', skipped: 'warning', failed: 'danger' } as const;
type Recipient = NonNullable<QueryResults['broadcast']>['recipients'][number];

/** Per-recipient results; virtualized, a broadcast may reach thousands of contacts. */
function RecipientList({ recipients }: { recipients: Recipient[] }) {
  const ref = useRef<HTMLDivElement>(null);
  // eslint-disable-next-line react-hooks/incompatible-library -- the virtualizer is meant to be used this way
  const virt = useVirtualizer({ count: recipients.length, getScrollElement: () => ref.current, estimateSize: () => 36, overscan: 10 });
  return (
    <div className="bc-results">
      <div className="bc-rrow bc-rhead xs" aria-hidden="true">
        <span>Recipient</span>
        <span>Result</span>
        <span>Why</span>
      </div>
      <div ref={ref} className="bc-rscroll">
        <ul role="list" aria-label="Recipients" style={{ height: virt.getTotalSize() }}>
          {virt.getVirtualItems().map((v) => {
            const r = recipients[v.index];
            if (!r) return null;
            return (
              <li key={r.id} className="bc-rrow" style={{ transform: `translateY(${v.start}px)` }}>
                <span className="ellipsis">{r.contactName}</span>
                <span>
                  <span className={`pill ${tone[r.status]}`}>{r.status}</span>
                </span>
                <span className="small muted ellipsis">{r.reason ?? ''}</span>
              </li>
            );
          })}
        </ul>
      </div>
    </div>
  );
}

export function BroadcastDetail({ id }: { id: string }) {
  const d = useBridgeQuery('broadcast', { id }).data;
  const dir = useDirectory();
  if (!d) return null;
  const b = d.broadcast;
  const done = b.sent + b.skipped + b.failed;
  const pct = b.total ? Math.round((done / b.total) * 100) : 100;
  return (
    <div className="contact-detail scroll">
      <h1>Broadcast</h1>
      <p className="small muted">
        {dir.groupName(b.groupId)} · {b.channel === 'sms' ? 'SMS' : 'WhatsApp'} · by {dir.userName(b.createdBy)} · {exactTime(b.createdAt)}
      </p>
      <blockquote className="bc-body">{b.body || `Template ${b.templateName ?? ''}`}</blockquote>
      <div className="progress-wrap">
        <progress className="progress" max={b.total || 1} value={done} aria-label="Broadcast progress" />
        <span className="small">
          {b.status === 'done' ? 'Done' : `Sending… ${pct}%`} — {b.sent} sent, {b.skipped} skipped, {b.failed} failed of {b.total}
        </span>
      </div>
      <RecipientList recipients={d.recipients} />
    </div>
  );
}
