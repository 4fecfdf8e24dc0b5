// Admins: provider accounts (Twilio, WhatsApp Cloud API, Stripe) per team, with the
// webhook URLs to paste into each provider's console. Read from the relay (needs a
// connection); secrets are never shown, only whether they are set.
import { useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Pencil, Plus, Trash2 } from 'lucide-react';
import type { Session } from '../../../shared/bridge';
import type { ProviderAccountView } from '../../../shared/http';
import { canAdminister, sessionViewer } from '../../../shared/permissions';
import { getBridge, errorMessage } from '../../bridge';
import { toast } from '../state/toasts';
import { Modal } from '../components/dialogs/Modal';
import { AccountDialog } from '../components/channels/AccountDialog';
import { CopyButton } from '../components/channels/CopyButton';
import { ChannelIcon } from '../components/ChannelIcon';
import { ACCOUNT_KINDS, kindOfView, secretsSummary } from '../components/channels/accountForm.logic';
import { GroupChannels } from '../components/channels/GroupChannels';
import { useDirectory } from '../lib/directory';
import type { Group } from '../../../shared/schema';

const KEY = ['admin', 'providerAccounts'] as const;

function AccountCard({ a, onEdit, onRemove }: { a: ProviderAccountView; onEdit: () => void; onRemove: () => void }) {
  const label = ACCOUNT_KINDS[kindOfView(a)].label;
  const number = a.public.number;
  return (
    <article className="account-card" aria-label={`${label}${a.groupName ? ` for ${a.groupName}` : ''}`}>
      <header className="row">
        {a.channel !== 'payments' && <ChannelIcon channel={a.channel} size={15} />}
        <div className="grow">
          <div className="strong">
            {label}
            {a.groupName ? ` · ${a.groupName}` : ''}
          </div>
          <div className="xs muted">
            {number ? `${String(number)} · ` : ''}
            {a.sendRatePerSecond} sends per second
          </div>
        </div>
        <button type="button" className="btn sm" onClick={onEdit} aria-label={`Edit ${label}${a.groupName ? ` for ${a.groupName}` : ''}`}>
          <Pencil size={13} aria-hidden="true" /> Edit
        </button>
        <button type="button" className="icon-btn" onClick={onRemove} aria-label={`Remove ${label}${a.groupName ? ` for ${a.groupName}` : ''}`} title="Remove account">
          <Trash2 size={15} />
        </button>
      </header>
      <dl className="account-fields">
        {Object.entries(a.public)
          .filter(([k, v]) => k !== 'number' && v !== null && v !== '')
          .map(([k, v]) => (
            <div key={k}>
              <dt>{k}</dt>
              <dd>{String(v)}</dd>
            </div>
          ))}
        <div>
          <dt>secrets</dt>
          <dd className={Array.isArray(a.secrets) ? undefined : 'field-error'}>{secretsSummary(a.secrets)}</dd>
        </div>
      </dl>
      {a.webhooks.length > 0 && (
        <div className="webhooks">
          <div className="xs muted">Paste into the provider’s console:</div>
          {a.webhooks.map((w) => (
            <div key={w.url} className="webhook row">
              <span className="xs strong webhook-label">{w.label}</span>
              <code className="grow ellipsis" title={w.url}>
                {w.url}
              </code>
              <CopyButton value={w.url} label={`${w.label} URL`} />
            </div>
          ))}
        </div>
      )}
    </article>
  );
}

/** Which channels are simulated, in one sentence (the screen must say so). */
function simulatedSummary(groups: readonly Group[]): string {
  const simulated = groups.flatMap((g) => (['sms', 'whatsapp'] as const).filter((c) => g.channelProviders[c] === 'simulator').map((c) => `${g.name} ${c === 'sms' ? 'SMS' : 'WhatsApp'}`));
  const none = groups.flatMap((g) => (['sms', 'whatsapp'] as const).filter((c) => g.channelProviders[c] === null).map((c) => `${g.name} ${c === 'sms' ? 'SMS' : 'WhatsApp'}`));
  const parts = [
    simulated.length ? `Simulated (nothing reaches a real phone): ${simulated.join(', ')}.` : 'No channel is simulated.',
    ...(none.length ? [`No provider, sends refused: ${none.join(', ')}.`] : []),
  ];
  return parts.join(' ');
}

export function ChannelsView({ session }: { session: Session }) {
  const qc = useQueryClient();
  const dir = useDirectory();
  const admin = canAdminister(sessionViewer(session));
  const q = useQuery({ queryKey: KEY, queryFn: () => getBridge().command('providerAccounts', {}), enabled: admin, retry: false });
  const [editing, setEditing] = useState<ProviderAccountView | null | 'new'>(null);
  const [removing, setRemoving] = useState<ProviderAccountView | null>(null);
  const refresh = () => void qc.invalidateQueries({ queryKey: KEY });
  if (!admin) {
    return (
      <section className="conv-pane">
        <div className="empty">
          <h2>Only admins manage channels and payments</h2>
        </div>
      </section>
    );
  }
  const remove = async (a: ProviderAccountView) => {
    setRemoving(null);
    try {
      await getBridge().command('removeProviderAccount', { id: a.id });
      toast('success', 'Account removed');
      refresh();
    } catch (e) {
      toast('error', errorMessage(e));
    }
  };
  const accounts = q.data?.accounts ?? [];
  return (
    <section className="conv-pane contact-pane" aria-label="Channels and payments">
      <div className="contact-detail settings">
        <header className="row">
          <h1 className="grow">Channels and payments</h1>
          <button type="button" className="btn sm" onClick={refresh}>
            Refresh
          </button>
          <button type="button" className="btn sm primary" onClick={() => setEditing('new')}>
            <Plus size={13} aria-hidden="true" /> Add account
          </button>
        </header>
        <p className="small muted">
          Each team sends SMS and WhatsApp through its own provider account; Stripe takes payments for the whole organisation. Webhook addresses start with {q.data?.publicUrl ?? 'the relay’s public address'}.
        </p>
        <h2 className="section-title">Provider accounts</h2>
        {q.isError && (
          <p className="form-refusal" role="alert">
            {errorMessage(q.error)}
          </p>
        )}
        {q.isSuccess && accounts.length === 0 && (
          <div className="empty small">
            <h2>No provider accounts yet</h2>
            <p>A channel without an account refuses to send, unless you choose the simulator for it below. Add a Twilio, WhatsApp Cloud API or Stripe account.</p>
          </div>
        )}
        <div className="account-list">
          {accounts.map((a) => (
            <AccountCard key={a.id} a={a} onEdit={() => setEditing(a)} onRemove={() => setRemoving(a)} />
          ))}
        </div>
        <h2 className="section-title">Teams</h2>
        <p className="small muted">
          {simulatedSummary(dir.groups)}
        </p>
        <div className="account-list">
          {dir.groups.map((g) => (
            <GroupChannels key={g.id} group={g} />
          ))}
        </div>
      </div>
      {editing && <AccountDialog account={editing === 'new' ? null : editing} onClose={() => setEditing(null)} onSaved={refresh} />}
      {removing && (
        <Modal
          title="Remove provider account?"
          onClose={() => setRemoving(null)}
          footer={
            <>
              <button type="button" className="btn" onClick={() => setRemoving(null)}>
                Cancel
              </button>
              <button type="button" className="btn danger" onClick={() => void remove(removing)}>
                Remove account
              </button>
            </>
          }
        >
          <p>
            {ACCOUNT_KINDS[kindOfView(removing)].label}
            {removing.groupName ? ` for ${removing.groupName}` : ''} stops sending and receiving; its stored secrets are deleted.
          </p>
        </Modal>
      )}
    </section>
  );
}
