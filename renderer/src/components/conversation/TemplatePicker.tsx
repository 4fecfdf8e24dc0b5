// Outside WhatsApp's 24-hour window only approved templates may be sent.
import { useState } from 'react';
import type { ConversationDetail } from '../../../../shared/bridge';
import { mutate, newId } from '../../lib/mutate';

export function TemplatePicker({ detail }: { detail: ConversationDetail }) {
  const templates = detail.group.templates;
  const [name, setName] = useState(templates[0]?.name ?? '');
  const t = templates.find((x) => x.name === name);
  if (templates.length === 0) {
    return <p className="small muted template-empty">The window is closed and {detail.group.name} has no approved WhatsApp templates. Switch to SMS or wait for the contact to write.</p>;
  }
  const send = () => {
    if (!t) return;
    void mutate('sendMessage', {
      id: newId(),
      conversationId: detail.conversation.status === 'open' ? detail.conversation.id : undefined,
      newConversationId: detail.conversation.status === 'open' ? undefined : newId(),
      contactId: detail.contact.id,
      groupId: detail.conversation.groupId,
      channel: 'whatsapp',
      body: t.body,
      templateName: t.name,
    });
  };
  return (
    <div className="template-picker row">
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
      <div className="grow small muted template-preview">{t?.body}</div>
      <button type="button" className="btn primary" onClick={send} aria-label="Send template">
        Send template
      </button>
    </div>
  );
}
