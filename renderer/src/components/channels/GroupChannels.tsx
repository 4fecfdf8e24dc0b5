// Per team: who carries SMS and WhatsApp (a provider account, the simulator an admin chose, or
// nobody — then sends are refused), the payment instructions of the manual payment page, and
// the approved WhatsApp templates (added by hand or fetched from the provider). All synced rows:
// changes are mutations (they work offline); only fetching templates needs the relay.
import { useState, type FormEvent } from 'react';
import { CloudDownload, Pencil, Plus, Trash2 } from 'lucide-react';
import type { Channel, Group, WhatsAppTemplate } from '../../../../shared/schema';
import { templateKey } from '../../../../shared/domain/templates';
import { getBridge, errorMessage } from '../../../bridge';
import { mutate } from '../../lib/mutate';
import { toast } from '../../state/toasts';
import { ChannelIcon } from '../ChannelIcon';
import { Modal } from '../dialogs/Modal';

const CHANNEL_LABEL: Record<Channel, string> = { sms: 'SMS', whatsapp: 'WhatsApp' };
const PROVIDER_LABEL = { twilio: 'Twilio', 'whatsapp-cloud': 'WhatsApp Cloud API', simulator: 'Simulated' } as const;

function ChannelRow({ group, channel }: { group: Group; channel: Channel }) {
  const provider = group.channelProviders[channel];
  const number = channel === 'sms' ? group.smsNumber : group.whatsappNumber;
  const real = provider === 'twilio' || provider === 'whatsapp-cloud';
  return (
    <div className="channel-row row" aria-label={`${group.name} ${CHANNEL_LABEL[channel]}`}>
      <span className="channel-name">
        <ChannelIcon channel={channel} size={14} />
      </span>
      <span className="xs muted">{number ?? 'no number'}</span>
      <span className="grow" />
      {provider === null ? (
        <span className="pill warning">No provider — sends are refused</span>
      ) : provider === 'simulator' ? (
        <span className="pill badge-simulated">Simulated — nothing reaches a phone</span>
      ) : (
        <span className="pill success">{PROVIDER_LABEL[provider]}</span>
      )}
      {!real && (
        <label className="check xs">
          <input
            type="checkbox"
            checked={provider === 'simulator'}
            onChange={(e) => void mutate('setChannelSimulated', { groupId: group.id, channel, simulated: e.target.checked })}
          />
          Use the simulator
        </label>
      )}
    </div>
  );
}

function Instructions({ group }: { group: Group }) {
  const [text, setText] = useState(group.paymentInstructions);
  const dirty = text.trim() !== group.paymentInstructions;
  const save = async (e: FormEvent) => {
    e.preventDefault();
    const r = await mutate('updateGroup', { id: group.id, paymentInstructions: text });
    if (r.ok) toast('success', `Saved the payment instructions of ${group.name}`);
  };
  return (
    <form className="field" onSubmit={(e) => void save(e)}>
      <label htmlFor={`pay-${group.id}`}>Payment instructions</label>
      <textarea
        id={`pay-${group.id}`}
        className="textarea"
        rows={3}
        maxLength={2000}
        placeholder="How customers pay without Stripe: bank details, cash on delivery…"
        value={text}
        onChange={(e) => setText(e.target.value)}
      />
      <div className="row">
        <span className="xs muted grow">Shown on the payment page of this team’s invoices when payments are not taken by Stripe. Only an admin marking an invoice paid changes it.</span>
        <button type="submit" className="btn sm" disabled={!dirty}>
          Save instructions
        </button>
      </div>
    </form>
  );
}

function TemplateDialog({ group, template, onClose }: { group: Group; template: WhatsAppTemplate | null; onClose: () => void }) {
  const [t, setT] = useState<WhatsAppTemplate>(template ?? { name: '', language: 'en', body: '', providerId: '' });
  const [refusal, setRefusal] = useState<string | null>(null);
  const set = (k: keyof WhatsAppTemplate, v: string | boolean) => setT((x) => ({ ...x, [k]: v }));
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const providerId = t.providerId?.trim();
    const r = await mutate(
      'saveTemplate',
      { groupId: group.id, ...(template ? { previousName: template.name, previousLanguage: template.language } : {}), template: { name: t.name, language: t.language, body: t.body, ...(providerId ? { providerId } : {}), forPayments: !!t.forPayments } },
      { quiet: true },
    );
    if (r.ok) onClose();
    else setRefusal(r.message);
  };
  return (
    <Modal
      title={template ? `Edit template ${template.name} (${template.language})` : `Add a template to ${group.name}`}
      onClose={onClose}
      footer={
        <>
          <button type="button" className="btn" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" form="template-form" className="btn primary">
            Save template
          </button>
        </>
      }
    >
      <form id="template-form" className="form" onSubmit={(e) => void submit(e)}>
        <div className="row gap">
          <div className="field grow">
            <label htmlFor="tpl-name">Name (as approved)</label>
            <input id="tpl-name" className="input" required value={t.name} onChange={(e) => set('name', e.target.value)} data-autofocus />
          </div>
          <div className="field">
            <label htmlFor="tpl-lang">Language</label>
            <input id="tpl-lang" className="input" required size={8} value={t.language} onChange={(e) => set('language', e.target.value)} placeholder="en_GB" />
          </div>
        </div>
        <div className="field">
          <label htmlFor="tpl-body">Text, with numbered blanks</label>
          <textarea id="tpl-body" className="textarea" rows={4} required value={t.body} onChange={(e) => set('body', e.target.value)} placeholder="Hello {{1}}, your order {{2}} is ready." />
        </div>
        <div className="field">
          <label htmlFor="tpl-provider">Provider id (optional)</label>
          <input id="tpl-provider" className="input" value={t.providerId ?? ''} onChange={(e) => set('providerId', e.target.value)} placeholder="Twilio ContentSid (HX…); the Meta template name if it differs" />
        </div>
        <label className="check small">
          <input type="checkbox" checked={!!t.forPayments} onChange={(e) => set('forPayments', e.target.checked)} />
          For payment links outside the 24-hour window ({'{{1}}'} = what is due, {'{{2}}'} = the link)
        </label>
        {refusal && (
          <p className="form-refusal" role="alert">
            {refusal}
          </p>
        )}
      </form>
    </Modal>
  );
}

function Templates({ group }: { group: Group }) {
  const [editing, setEditing] = useState<WhatsAppTemplate | null | 'new'>(null);
  const [fetching, setFetching] = useState(false);
  const [fetchRefusal, setFetchRefusal] = useState<string | null>(null);
  const fetchNow = async () => {
    setFetching(true);
    setFetchRefusal(null);
    try {
      const r = await getBridge().command('fetchTemplates', { groupId: group.id });
      toast('success', r.fetched.length ? `Fetched ${r.fetched.length} approved template${r.fetched.length === 1 ? '' : 's'} for ${group.name}` : `The provider has no approved templates for ${group.name}`);
    } catch (e) {
      setFetchRefusal(errorMessage(e));
    } finally {
      setFetching(false);
    }
  };
  return (
    <div className="templates">
      <div className="row">
        <h3 className="grow">WhatsApp templates</h3>
        <button type="button" className="btn sm" onClick={() => void fetchNow()} disabled={fetching}>
          <CloudDownload size={13} aria-hidden="true" /> {fetching ? 'Fetching…' : 'Fetch approved templates'}
        </button>
        <button type="button" className="btn sm" onClick={() => setEditing('new')}>
          <Plus size={13} aria-hidden="true" /> Add template
        </button>
      </div>
      {fetchRefusal && (
        <p className="form-refusal" role="alert">
          {fetchRefusal}
        </p>
      )}
      {group.templates.length === 0 && <p className="xs muted">No approved templates: outside the 24-hour window nothing can be sent on WhatsApp.</p>}
      <ul className="template-list">
        {group.templates.map((t) => (
          <li key={templateKey(t)} className="template-item" aria-label={`Template ${t.name} (${t.language})`}>
            <div className="row">
              <span className="strong">{t.name}</span>
              <span className="xs muted">{t.language}</span>
              {t.providerId && <code className="xs">{t.providerId}</code>}
              {t.forPayments && <span className="pill">Payment links</span>}
              <span className="grow" />
              <button type="button" className="icon-btn" onClick={() => setEditing(t)} aria-label={`Edit template ${t.name} (${t.language})`} title="Edit">
                <Pencil size={13} />
              </button>
              <button type="button" className="icon-btn" onClick={() => void mutate('removeTemplate', { groupId: group.id, name: t.name, language: t.language })} aria-label={`Remove template ${t.name} (${t.language})`} title="Remove">
                <Trash2 size={13} />
              </button>
            </div>
            <div className="small template-body">{t.body}</div>
          </li>
        ))}
      </ul>
      {editing && <TemplateDialog group={group} template={editing === 'new' ? null : editing} onClose={() => setEditing(null)} />}
    </div>
  );
}

export function GroupChannels({ group }: { group: Group }) {
  return (
    <article className="account-card group-channels" aria-label={`Team ${group.name}`}>
      <header className="row">
        <div className="strong grow">{group.name}</div>
      </header>
      <ChannelRow group={group} channel="sms" />
      <ChannelRow group={group} channel="whatsapp" />
      <Instructions group={group} />
      <Templates group={group} />
    </article>
  );
}
