// Template chooser with one input per blank and a live preview: used by the composer
// (window closed) and by broadcasts on WhatsApp.
import type { WhatsAppTemplate } from '../../../../shared/schema';
import { templateKey } from '../../../../shared/domain/templates';
import { filledTemplate, templateSlots, type TemplateValues } from './templateValues';

export function TemplateFields({
  templates,
  choice,
  onChoice,
  values,
  onValues,
  idPrefix,
  allowNone,
}: {
  templates: readonly WhatsAppTemplate[];
  /** the chosen template's templateKey ('' = none) */
  choice: string;
  onChoice: (key: string) => void;
  values: TemplateValues;
  onValues: (v: TemplateValues) => void;
  idPrefix: string;
  /** offer "Free text" (broadcast: contacts inside the window) */
  allowNone?: string;
}) {
  const t = templates.find((x) => templateKey(x) === choice);
  const slots = t ? templateSlots(t.body) : [];
  return (
    <>
      <div className="row tpl-row">
        <select id={`${idPrefix}-tpl`} className="select" aria-label="Template" value={choice} onChange={(e) => onChoice(e.target.value)}>
          {allowNone !== undefined && <option value="">{allowNone}</option>}
          {templates.map((x) => (
            <option key={templateKey(x)} value={templateKey(x)}>
              {x.name} ({x.language})
            </option>
          ))}
        </select>
        {slots.map((n) => (
          <input key={n} className="input tpl-value" aria-label={`Template value ${n}`} placeholder={`{{${n}}}`} value={values[n] ?? ''} onChange={(e) => onValues({ ...values, [n]: e.target.value })} />
        ))}
      </div>
      {t && (
        <div className="small muted template-preview" aria-label="Template preview">
          {filledTemplate(t.body, values)}
        </div>
      )}
    </>
  );
}
