// Outside WhatsApp's 24-hour window only approved templates may be sent, with every
// blank ({{1}}, {{2}}…) filled in; {{1}} starts as the contact's first name.
import { useState } from 'react';
import type { ConversationDetail } from '../../../../shared/bridge';
import { mutate, newId } from '../../lib/mutate';
import { templateKey } from '../../../../shared/domain/templates';
import { TemplateFields } from './TemplateFields';
import { filledTemplate, templateProblem, type TemplateValues } from './templateValues';

export function TemplatePicker({ detail }: { detail: ConversationDetail }) {
  const templates = detail.group.templates;
  const [choice, setChoice] = useState(templates[0] ? templateKey(templates[0]) : '');
  const [values, setValues] = useState<TemplateValues>({ 1: detail.contact.name.split(/\s+/)[0] ?? '' });
  const t = templates.find((x) => templateKey(x) === choice);
  if (templates.length === 0) {
    return <p className="small muted template-empty">The window is closed and {detail.group.name} has no approved WhatsApp templates. Switch to SMS or wait for the contact to write.</p>;
  }
  const problem = t ? templateProblem(t.body, values) : 'Pick a template.';
  const send = () => {
    if (!t || problem) return;
    void mutate('sendMessage', {
      id: newId(),
      conversationId: detail.conversation.status === 'open' ? detail.conversation.id : undefined,
      newConversationId: detail.conversation.status === 'open' ? undefined : newId(),
      contactId: detail.contact.id,
      groupId: detail.conversation.groupId,
      channel: 'whatsapp',
      body: filledTemplate(t.body, values),
      templateName: t.name,
    });
  };
  return (
    <div className="template-picker">
      <TemplateFields templates={templates} choice={choice} onChoice={setChoice} values={values} onValues={setValues} idPrefix="conv" />
      <div className="row">
        <span className="grow xs muted" id="tpl-problem">
          {problem ?? ''}
        </span>
        <button type="button" className="btn primary" onClick={send} disabled={!!problem} aria-describedby={problem ? 'tpl-problem' : undefined} aria-label="Send template">
          Send template
        </button>
      </div>
    </div>
  );
}
