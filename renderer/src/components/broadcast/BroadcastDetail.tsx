// Progress and per-recipient results of one broadcast.
import { useBridgeQuery } from '../../lib/queries';
import { useDirectory } from '../../lib/directory';
import { exactTime } from '../../lib/format';

const tone = { pending: '', sent: 'success', skipped: 'warning', failed: 'danger' } as const;

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
      <table className="bc-table">
        <thead>
          <tr>
            <th scope="col">Recipient</th>
            <th scope="col">Result</th>
            <th scope="col">Why</th>
          </tr>
        </thead>
        <tbody>
          {d.recipients.map((r) => (
            <tr key={r.id}>
              <td>{r.contactName}</td>
              <td>
                <span className={`pill ${tone[r.status]}`}>{r.status}</span>
              </td>
              <td className="small muted">{r.reason ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
