// WhatsApp template placeholders ({{1}}, {{2}}, …): filling them, and recovering the
// values from a filled-in text so the relay can hand them to the provider (Twilio
// ContentVariables, Meta body parameters), which send the template, not our text.
// Values are positional: values[n - 1] fills {{n}}.

export const TEMPLATE_VALUE_MAX = 200;
const PLACEHOLDER = /\{\{\s*([1-9]\d{0,2})\s*\}\}/g;

/** The placeholder numbers of a template body, distinct, ascending. */
export function templatePlaceholders(body: string): number[] {
  const seen = new Set<number>();
  for (const m of body.matchAll(PLACEHOLDER)) seen.add(Number(m[1]));
  return [...seen].sort((a, b) => a - b);
}

/** The template with each {{n}} replaced by values[n - 1] (left as is when there is none). */
export function fillTemplate(body: string, values: readonly string[]): string {
  return body.replace(PLACEHOLDER, (whole, n: string) => values[Number(n) - 1] ?? whole);
}

/** A usable value: not blank, not itself a placeholder left unfilled (one line, length: by the caller). */
function validValue(v: string): boolean {
  return v.trim().length > 0 && !/\{\{\s*[1-9]\d{0,2}\s*\}\}/.test(v);
}

/**
 * The values that fill the template's placeholders (values[n - 1] for {{n}}; a number the
 * template skips gets ''), when `text` is exactly the template with every placeholder
 * replaced by a non-empty single-line value of at most 200 characters, a repeated
 * placeholder by the same value each time. Otherwise null. A template without
 * placeholders matches only its own text, giving [].
 */
export function matchTemplate(templateBody: string, text: string): string[] | null {
  // The template as literal text around placeholders: literals[i] comes before numbers[i].
  const literals: string[] = [];
  const numbers: number[] = [];
  let last = 0;
  for (const m of templateBody.matchAll(PLACEHOLDER)) {
    literals.push(templateBody.slice(last, m.index));
    numbers.push(Number(m[1]));
    last = m.index + m[0].length;
  }
  literals.push(templateBody.slice(last));
  if (!numbers.length) return text === templateBody ? [] : null;
  if (!text.startsWith(literals[0] ?? '')) return null;

  // Shortest values first; positions already known to fail are not tried again, which keeps
  // the search linear-ish in the text (a regex with lazy groups backtracks exponentially).
  // A repeated placeholder makes the outcome depend on the values taken before, so the
  // memo key carries them.
  const assigned = new Map<number, string>();
  const failed = new Set<string>();
  const repeated = numbers.some((n, i) => numbers.indexOf(n) !== i);
  const fill = (i: number, pos: number): boolean => {
    if (i === numbers.length) return pos === text.length;
    const key = repeated ? `${i}:${pos}:${JSON.stringify([...assigned])}` : `${i}:${pos}`;
    if (failed.has(key)) return false;
    const n = numbers[i] as number;
    const after = literals[i + 1] ?? '';
    const known = assigned.get(n);
    if (known !== undefined) {
      if (text.startsWith(known + after, pos) && fill(i + 1, pos + known.length + after.length)) return true;
    } else {
      for (let end = pos + 1; end <= Math.min(text.length, pos + TEMPLATE_VALUE_MAX); end++) {
        const c = text[end - 1];
        if (c === '\n' || c === '\r') break;
        if (!text.startsWith(after, end)) continue;
        const v = text.slice(pos, end);
        if (!validValue(v)) continue;
        assigned.set(n, v);
        if (fill(i + 1, end + after.length)) return true;
        assigned.delete(n);
      }
    }
    failed.add(key);
    return false;
  };
  if (!fill(0, (literals[0] ?? '').length)) return null;
  const values: string[] = Array.from({ length: Math.max(...numbers) }, () => '');
  for (const [n, v] of assigned) values[n - 1] = v;
  return values;
}

export const TEMPLATE_REFUSED = 'Outside the 24-hour window only an approved template can be sent, with every blank filled in.';

/**
 * The group's template of that name whose text, with every blank filled in, is `text`. A name
 * may be approved in several languages (one text each): the text tells which one was used.
 */
export function approvedTemplate<T extends { name: string; body: string }>(templates: readonly T[], name: string, text: string): { template: T; values: string[] } | null {
  for (const template of templates) {
    if (template.name !== name) continue;
    const values = matchTemplate(template.body, text);
    if (values) return { template, values };
  }
  return null;
}

/** One string per template of a group (a language code has no ':'), e.g. for a picker's value. */
export const templateKey = (t: { name: string; language: string }): string => `${t.language}:${t.name}`;

/** A template's identity in its group: name and language (Meta approves a text per name and language). */
export const sameTemplate = (a: { name: string; language: string }, b: { name: string; language: string }): boolean => a.name === b.name && a.language === b.language;
