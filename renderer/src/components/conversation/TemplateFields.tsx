// Template chooser with one input per blank and a live preview: used by the composer
// (window closed) and by broadcasts on WhatsApp.
import type { WhatsAppTemplate } from '../../../../shared/schema';
import { filledTemplate, templateSlots, type TemplateValues } from './templateValues';

export function TemplateFields({
  templates,
  name,
  onName,
  values,
  onValues,
  idPrefix,
  allowNone,
}: {
  templates: readonly WhatsAppTemplate[];
  name: string;
  onName: (n: string) => void;
  values: TemplateValues;
  onValues: (v: TemplateValues) => void;
  idPrefix: string;
  /** offer "Free text" (broadcast: contacts inside the window) */
  allowNone?: string;
}) {
  const t = templates.find((x) => x.name === name);
  const slots = t ? templateSlots(t.body) : [];
  return (
    <>
      <div className="row tpl-row">
        <select id={`${idPrefix}-tpl`} className="select" aria-label="Template" value={name} onChange={(e) => onName(e.target.value)}>
          {allowNone !== undefined && <option value="">{allowNone}</option>}
          {templates.map((x) => (
            <option key={x.name} value={x.name}>
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
