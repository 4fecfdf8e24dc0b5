// Admins: the organisation's audit log (relay-only, read through the bridge over HTTP): filters
// (who, what, when), pages newest first, CSV export, retention. Entries name what was acted on
// (a contact's name and number, a person) and never carry content.
import { useInfiniteQuery } from '@tanstack/react-query';
import { Download } from 'lucide-react';
import { useEffect, useState } from 'react';
import { getBridge, errorMessage } from '../../../bridge';
import type { AuditEntryView, AuditFilters } from '../../../../shared/http';
import { auditActions, type AuditAction } from '../../../../shared/tx';
import { useDirectory } from '../../lib/directory';
import { cardTime, exactTime, plural } from '../../lib/format';
import { saveTextFile } from '../../lib/saveFile';
import { toast } from '../../state/toasts';

const ACTION_LABEL: Record<AuditAction, string> = {
  grantSelfAccess: 'Admin gave themselves access',
  visibilityChanged: 'Visibility changed',
  signIn: 'Signed in',
  signInFailed: 'Failed sign-in',
  userCreated: 'Person added',
  userDeactivated: 'Person deactivated',
  userReactivated: 'Person reactivated',
  roleChanged: 'Role changed',
  memberAdded: 'Added to a team',
  memberRemoved: 'Removed from a team',
  providerAccountSaved: 'Provider account saved',
  providerAccountRemoved: 'Provider account removed',
  templateSaved: 'Template saved',
  templateRemoved: 'Template removed',
  conversationDeleted: 'Conversation deleted',
  chatDeleted: 'Chat deleted',
  exported: 'Export',
  auditRetentionChanged: 'Retention changed',
};

const DAY = 86_400_000;
const dayStart = (ymd: string) => (ymd ? new Date(`${ymd}T00:00:00`).getTime() : undefined);

/** The entry's details in words: people by name, lists joined. */
function detailText(e: AuditEntryView, userName: (id: string) => string): string {
  const d = e.details;
  const names = (v: unknown) => (Array.isArray(v) ? v.map((id) => userName(String(id))).join(', ') : '');
  switch (e.action) {
    case 'visibilityChanged':
      if (d.everyone === true) return 'Visible to everyone in the team';
      return [names(d.added) && `added ${names(d.added)}`, names(d.removed) && `removed ${names(d.removed)}`].filter(Boolean).join('; ');
    case 'roleChanged':
      return `${String(d.from)} → ${String(d.to)}`;
    case 'memberAdded':
    case 'memberRemoved':
      return String(d.group ?? '');
    case 'signInFailed':
      return d.reason === 'invalid_credentials' ? 'Wrong email or password' : String(d.reason ?? '');
    case 'exported':
      return `${String(d.what)}: ${plural(Number(d.count ?? 0), 'line')}`;
    case 'auditRetentionChanged':
      return `${String(d.from)} → ${String(d.to)} days`;
    default:
      return '';
  }
}

export function AuditLogSettings() {
  const dir = useDirectory();
  const [actorId, setActorId] = useState('');
  const [action, setAction] = useState<AuditAction | ''>('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [days, setDays] = useState('');
  const fromMs = dayStart(from);
  const toMs = dayStart(to);
  const filters: AuditFilters = {
    ...(actorId ? { actorId } : {}),
    ...(action ? { action } : {}),
    ...(fromMs !== undefined ? { from: fromMs } : {}),
    ...(toMs !== undefined ? { to: toMs + DAY } : {}),
  };
  const q = useInfiniteQuery({
    queryKey: ['auditLog', filters],
    initialPageParam: undefined as { at: number; id: string } | undefined,
    queryFn: ({ pageParam }) => getBridge().command('auditLog', { ...filters, limit: 50, ...(pageParam ? { before: pageParam } : {}) }),
    getNextPageParam: (last) => last.next ?? undefined,
  });
  const entries = q.data?.pages.flatMap((p) => p.entries) ?? [];
  useEffect(() => {
    getBridge()
      .command('auditRetention', {})
      .then((r) => setDays(String(r.days)))
      .catch(() => undefined);
  }, []);

  const exportCsv = async () => {
    try {
      const { csv, count } = await getBridge().command('exportAuditLog', filters);
      saveTextFile(csv, `parley-audit-log-${new Date().toISOString().slice(0, 10)}.csv`);
      toast('success', `Exported ${plural(count, 'entry', 'entries')}`);
      void q.refetch();
    } catch (e) {
      toast('error', `Export failed: ${errorMessage(e)}`);
    }
  };
  const saveRetention = async () => {
    try {
      const r = await getBridge().command('setAuditRetention', { days: Number(days) });
      toast('success', r.pruned ? `Keeping ${r.days} days; ${plural(r.pruned, 'older entry', 'older entries')} removed` : `Keeping ${r.days} days of the audit log`);
      void q.refetch();
    } catch (e) {
      toast('error', errorMessage(e));
    }
  };

  return (
    <section className="contact-sec audit-log" aria-labelledby="audit-h">
      <h3 id="audit-h">Audit log</h3>
      <p className="small muted">Sign-ins, changes to people and roles, provider accounts, templates, deletions, visibility and exports. Entries name what was acted on, never what it says.</p>
      <div className="row audit-filters" role="group" aria-label="Audit log filters">
        <select className="input" aria-label="Who" value={actorId} onChange={(e) => setActorId(e.target.value)}>
          <option value="">Anyone</option>
          {dir.users.map((u) => (
            <option key={u.id} value={u.id}>
              {u.name}
            </option>
          ))}
        </select>
        <select className="input" aria-label="What" value={action} onChange={(e) => setAction(e.target.value as AuditAction | '')}>
          <option value="">Any action</option>
          {auditActions.map((a) => (
            <option key={a} value={a}>
              {ACTION_LABEL[a]}
            </option>
          ))}
        </select>
        <label className="small muted">
          From <input className="input" type="date" aria-label="From" value={from} onChange={(e) => setFrom(e.target.value)} />
        </label>
        <label className="small muted">
          To <input className="input" type="date" aria-label="To" value={to} onChange={(e) => setTo(e.target.value)} />
        </label>
        <button type="button" className="btn sm" onClick={() => void exportCsv()}>
          <Download size={13} aria-hidden="true" /> Export CSV
        </button>
      </div>
      {q.isError && <p className="small error">{errorMessage(q.error)}</p>}
      <table className="audit-table">
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">Who</th>
            <th scope="col">What</th>
            <th scope="col">On</th>
            <th scope="col">Details</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((e) => (
            <tr key={e.id} data-action={e.action}>
              <td title={exactTime(e.at)}>{cardTime(e.at)}</td>
              <td>{e.actorName}</td>
              <td>{ACTION_LABEL[e.action]}</td>
              <td>{e.targetName ?? e.target}</td>
              <td className="muted">
                {[detailText(e, dir.userName), e.ip].filter(Boolean).join(' · ')}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {!q.isLoading && entries.length === 0 && <p className="small muted">No entries match these filters.</p>}
      {q.hasNextPage && (
        <button type="button" className="btn sm" disabled={q.isFetchingNextPage} onClick={() => void q.fetchNextPage()}>
          Show older entries
        </button>
      )}
      <div className="row audit-retention">
        <label className="small">
          Keep entries for{' '}
          <input className="input" type="number" min={30} max={3650} aria-label="Days to keep audit entries" value={days} onChange={(e) => setDays(e.target.value)} /> days
        </label>
        <button type="button" className="btn sm" onClick={() => void saveRetention()} disabled={!days}>
          Save retention
        </button>
      </div>
    </section>
  );
}
