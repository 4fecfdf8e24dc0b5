// Filling a WhatsApp template's blanks ({{1}}, {{2}}…) from what the user typed, and
// saying what is missing: the relay accepts the text only when `matchTemplate` recovers
// every value from it, so the same check runs here before sending. Free of React.
import { TEMPLATE_VALUE_MAX, fillTemplate, matchTemplate, templatePlaceholders } from '../../../../shared/domain/templates';

export type TemplateValues = Record<number, string>;

export const templateSlots = templatePlaceholders;

/** The template with each typed value in place; blanks stay as {{n}}. */
export function filledTemplate(body: string, values: TemplateValues): string {
  const slots = templatePlaceholders(body);
  const max = slots.length ? Math.max(...slots) : 0;
  return fillTemplate(body, Array.from({ length: max }, (_, i) => values[i + 1]?.trim() || `{{${i + 1}}}`));
}

/** Why the filled template cannot be sent yet, or null when it can. */
export function templateProblem(body: string, values: TemplateValues): string | null {
  for (const n of templatePlaceholders(body)) {
    const v = values[n]?.trim() ?? '';
    if (!v) return `Fill in blank {{${n}}}.`;
    if (/[\r\n]/.test(v)) return `Blank {{${n}}}: one line only.`;
    if (v.length > TEMPLATE_VALUE_MAX) return `Blank {{${n}}}: at most ${TEMPLATE_VALUE_MAX} characters.`;
    if (/\{\{\s*\d+\s*\}\}/.test(v)) return `Blank {{${n}}}: write the value, not a placeholder.`;
  }
  return matchTemplate(body, filledTemplate(body, values)) ? null : 'These values make the message ambiguous; reword one of them.';
}
