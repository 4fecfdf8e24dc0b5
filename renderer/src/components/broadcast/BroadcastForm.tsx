// New broadcast: team, channel, recipients (picked or by tag), text, preview, send.
import { useState } from 'react';
import { Send } from 'lucide-react';
import { useBridgeQuery } from '../../lib/queries';
import { useDirectory, useSession } from '../../lib/directory';
import { mutate, newId } from '../../lib/mutate';
import { SmsCounter } from '../conversation/SmsCounter';
import { formatPhone } from '../../../../shared/phone';
import type { Channel } from '../../../../shared/schema';
import { TemplateFields } from '../conversation/TemplateFields';
import { templateKey } from '../../../../shared/domain/templates';
import { filledTemplate, templateProblem, type TemplateValues } from '../conversation/templateValues';
import { GroupChannelFields, sendableGroups } from '../GroupChannelFields';

const PAGE = 50;

export function BroadcastForm({ onSent }: { onSent: (id: string) => void }) {
  const dir = useDirectory();
  const session = useSession();
  const groups = sendableGroups(dir, session);
  const [groupId, setGroupId] = useState<string>('');
  const gid = groupId || groups[0]?.id || '';
  const group = dir.groupsById.get(gid);
  const [channel, setChannel] = useState<Channel>('sms');
  const [mode, setMode] = useState<'pick' | 'tag'>('pick');
  const [tag, setTag] = useState('');
  const [search, setSearch] = useState('');
  const [picked, setPicked] = useState<Map<string, string>>(new Map());
  const [body, setBody] = useState('');
  const [template, setTemplate] = useState('');
  const [values, setValues] = useState<TemplateValues>({});
  const [error, setError] = useState<string | null>(null);
  const tags = useBridgeQuery('tags', {}).data ?? [];
  // pages of 50: the list says how many of how many it shows, and shows more on request
  const [shown, setShown] = useState(PAGE);
  const page = useBridgeQuery('contacts', { search: search.trim() || undefined, limit: shown }).data;
  const contacts = page?.items ?? [];
  const total = page?.total ?? 0;
  const tagCount = useBridgeQuery('contacts', { tag: tag || undefined, limit: 1 }, { enabled: mode === 'tag' && !!tag }).data?.total ?? 0;
  const count = mode === 'tag' ? tagCount : picked.size;
  // a template only on WhatsApp, and only one of this team's
  const tpl = channel === 'whatsapp' ? group?.templates.find((t) => templateKey(t) === template) : undefined;
  const text = tpl ? filledTemplate(tpl.body, values) : body;

  const send = async () => {
    setError(null);
    if (!gid) return setError('Pick a team to send from.');
    if (count === 0) return setError(mode === 'tag' ? 'Pick a tag that has contacts.' : 'Pick at least one contact.');
    if (!text.trim()) return setError('Write the message.');
    const problem = tpl ? templateProblem(tpl.body, values) : null;
    if (problem) return setError(`Template ${tpl?.name ?? ''}: ${problem}`);
    const id = newId();
    const r = await mutate('sendBroadcast', {
      id,
      groupId: gid,
      channel,
      body: text,
      templateName: tpl?.name,
      contactIds: mode === 'pick' ? [...picked.keys()] : undefined,
      tag: mode === 'tag' ? tag : undefined,
    });
    if (r.ok) onSent(id);
  };

  return (
    <div className="contact-detail scroll bc-form">
      <h1>New broadcast</h1>
      <GroupChannelFields idPrefix="bc" groups={groups} groupId={gid} channel={channel} onGroup={setGroupId} onChannel={setChannel} />
      <fieldset className="fs">
        <legend>Recipients</legend>
        <div className="row">
          <label className="check">
            <input type="radio" name="bc-mode" checked={mode === 'pick'} onChange={() => setMode('pick')} /> Pick contacts
          </label>
          <label className="check">
            <input type="radio" name="bc-mode" checked={mode === 'tag'} onChange={() => setMode('tag')} /> Everyone with a tag
          </label>
        </div>
        {mode === 'tag' ? (
          <div className="field">
            <label htmlFor="bc-tag">Tag</label>
            <select id="bc-tag" className="select" value={tag} onChange={(e) => setTag(e.target.value)}>
              <option value="">Choose a tag…</option>
              {tags.map((t) => (
                <option key={t}>{t}</option>
              ))}
            </select>
          </div>
        ) : (
          <>
            <input
              className="input"
              type="search"
              placeholder="Search contacts"
              aria-label="Search contacts to add"
              value={search}
              onChange={(e) => {
                setSearch(e.target.value);
                setShown(PAGE);
              }}
            />
            <div className="check-list bc-pick">
              {contacts.map((c) => (
                <label key={c.id} className="check">
                  <input
                    type="checkbox"
                    checked={picked.has(c.id)}
                    onChange={() =>
                      setPicked((m) => {
                        const n = new Map(m);
                        if (n.has(c.id)) n.delete(c.id);
                        else n.set(c.id, c.name);
                        return n;
                      })
                    }
                    aria-label={`Include ${c.name}`}
                  />
                  <span className="grow">
                    {c.name} <span className="xs faint">{formatPhone(c.phone)}{c.optedOut ? ' · opted out, will be skipped' : ''}</span>
                  </span>
                </label>
              ))}
            </div>
            <div className="row xs muted bc-shown" role="status">
              <span className="grow">
                {total === 0 ? (search.trim() ? `No contact matches “${search.trim()}”.` : 'No contacts yet.') : contacts.length < total ? `Showing ${contacts.length} of ${total} contacts — search to find others, or show more.` : search.trim() ? `${total} ${total === 1 ? 'contact matches' : 'contacts match'} “${search.trim()}”.` : `Showing all ${total} ${total === 1 ? 'contact' : 'contacts'}.`}
              </span>
              {contacts.length < total && (
                <button type="button" className="btn sm" onClick={() => setShown((n) => Math.min(n + PAGE, 500))}>
                  Show {Math.min(PAGE, total - contacts.length)} more
                </button>
              )}
            </div>
          </>
        )}
        <p className="xs muted">{count} recipient{count === 1 ? '' : 's'}. Opted-out contacts are skipped and reported.</p>
      </fieldset>
      {channel === 'whatsapp' && group && group.templates.length > 0 && (
        <fieldset className="fs template-picker">
          <legend>WhatsApp template (needed for contacts outside the 24-hour window)</legend>
          <TemplateFields templates={group.templates} choice={template} onChoice={setTemplate} values={values} onValues={setValues} idPrefix="bc" allowNone="Free text" />
        </fieldset>
      )}
      {!tpl && (
        <div className="field">
          <label htmlFor="bc-body">Message</label>
          <textarea id="bc-body" className="textarea" rows={4} value={body} onChange={(e) => setBody(e.target.value)} maxLength={1600} />
          {channel === 'sms' && <SmsCounter text={body} />}
        </div>
      )}
      <div className="bc-preview" aria-label="Preview">
        <div className="xs muted">Preview</div>
        <div className="bubble out-preview">{text || <span className="faint">Your message</span>}</div>
      </div>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      <div className="row">
        <button type="button" className="btn primary" onClick={() => void send()}>
          <Send size={14} aria-hidden="true" /> Send broadcast to {count}
        </button>
      </div>
    </div>
  );
}
