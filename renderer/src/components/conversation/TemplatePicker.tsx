// Outside WhatsApp's 24-hour window only approved templates may be sent. Placeholders
// ({{1}}, {{2}}…) are filled in here; {{1}} starts as the contact's first name.
import { useState } from 'react';
import type { ConversationDetail } from '../../../../shared/bridge';
import { mutate, newId } from '../../lib/mutate';

const PLACEHOLDER = /\{\{(\d+)\}\}/g;

export function placeholders(body: string): string[] {
  return [...new Set([...body.matchAll(PLACEHOLDER)].map((m) => m[1] ?? ''))].filter(Boolean).sort((a, b) => Number(a) - Number(b));
}

export function fillTemplate(body: string, values: Record<string, string>): string {
  return body.replace(PLACEHOLDER, (whole, n: string) => values[n]?.trim() || whole);
}

export function TemplatePicker({ detail }: { detail: ConversationDetail }) {
  const templates = detail.group.templates;
  const [name, setName] = useState(templates[0]?.name ?? '');
  const [values, setValues] = useState<Record<string, string>>({ '1': detail.contact.name.split(/\s+/)[0] ?? '' });
  const t = templates.find((x) => x.name === name);
  if (templates.length === 0) {
    return <p className="small muted template-empty">The window is closed and {detail.group.name} has no approved WhatsApp templates. Switch to SMS or wait for the contact to write.</p>;
  }
  const slots = t ? placeholders(t.body) : [];
  const body = t ? fillTemplate(t.body, values) : '';
  const missing = slots.some((n) => !values[n]?.trim());
  const send = () => {
    if (!t || missing) return;
    void mutate('sendMessage', {
      id: newId(),
      conversationId: detail.conversation.status === 'open' ? detail.conversation.id : undefined,
      newConversationId: detail.conversation.status === 'open' ? undefined : newId(),
      contactId: detail.contact.id,
      groupId: detail.conversation.groupId,
      channel: 'whatsapp',
      body,
      templateName: t.name,
    });
  };
  return (
    <div className="template-picker">
      <div className="row">
        <label className="sr-only" htmlFor="tpl">
          Template
        </label>
        <select id="tpl" className="select" value={name} onChange={(e) => setName(e.target.value)}>
          {templates.map((x) => (
            <option key={x.name} value={x.name}>
              {x.name} ({x.language})
            </option>
          ))}
        </select>
        {slots.map((n) => (
          <input key={n} className="input tpl-value" aria-label={`Template value ${n}`} placeholder={`{{${n}}}`} value={values[n] ?? ''} onChange={(e) => setValues((v) => ({ ...v, [n]: e.target.value }))} />
        ))}
      </div>
      <div className="row">
        <div className="grow small muted template-preview" aria-label="Template preview">
          {body}
        </div>
        <button type="button" className="btn primary" onClick={send} disabled={missing} aria-label="Send template">
          Send template
        </button>
      </div>
    </div>
  );
}
