// Contacts CSV: import validates every row (reporting errors by line) and queues one
// importContacts mutation per ≤ 5,000 rows; export writes every contact in the replica.
import Papa from 'papaparse';
import { uuidv7 } from 'uuidv7';
import { z } from 'zod';
import { contactFields } from '../../../shared/mutators/args';
import { normalisePhone } from '../../../shared/phone';
import type { ImportPreviewRow } from '../../../shared/bridge';
import type { Contact } from '../../../shared/schema';
import { issuesSentence } from '../../../shared/refusals';

const rowSchema = z.object(contactFields);
export type ImportRow = z.infer<typeof rowSchema> & { id: string; /** the file's line (header = 1) */ line?: number };
export const IMPORT_BATCH = 5000;

const pick = (r: Record<string, string>, ...keys: string[]): string | undefined => {
  for (const k of Object.keys(r)) if (keys.includes(k.trim().toLowerCase())) return r[k];
  return undefined;
};

export function parseContactsCsv(csv: string): { rows: ImportRow[]; errors: { line: number; message: string }[] } {
  const parsed = Papa.parse<Record<string, string>>(csv.replace(/^\uFEFF/, ''), { header: true, skipEmptyLines: 'greedy' });
  const rows: ImportRow[] = [];
  const errors: { line: number; message: string }[] = [];
  const seen = new Map<string, number>();
  if (!parsed.meta.fields?.some((f) => ['name'].includes(f.trim().toLowerCase())) || !parsed.meta.fields.some((f) => ['phone', 'phone number', 'mobile'].includes(f.trim().toLowerCase()))) {
    return { rows, errors: [{ line: 1, message: 'the header must name the columns, at least "name" and "phone"' }] };
  }
  // line numbers as a spreadsheet shows them: the header is line 1, the first contact line 2
  parsed.data.forEach((r, i) => {
    const line = i + 2;
    const tags = pick(r, 'tags');
    const candidate = {
      name: pick(r, 'name') ?? '',
      phone: pick(r, 'phone', 'phone number', 'mobile') ?? '',
      email: pick(r, 'email')?.trim() ? pick(r, 'email') : null,
      tags: tags ? tags.split(/[;,|]/).map((t) => t.trim()).filter(Boolean) : [],
      notes: pick(r, 'notes') ?? '',
    };
    const v = rowSchema.safeParse(candidate);
    if (!v.success) {
      errors.push({ line, message: issuesSentence(v.error.issues) });
      return;
    }
    const phone = normalisePhone(v.data.phone);
    if (!phone.ok) {
      errors.push({ line, message: phone.message });
      return;
    }
    const dup = seen.get(phone.e164);
    if (dup) {
      errors.push({ line, message: `duplicate of line ${dup} (${phone.e164})` });
      return;
    }
    seen.set(phone.e164, line);
    rows.push({ ...v.data, phone: phone.e164, id: uuidv7(), line });
  });
  for (const e of parsed.errors) errors.push({ line: (e.row ?? 0) + 2, message: e.message });
  errors.sort((a, b) => a.line - b.line);
  return { rows, errors };
}

export function contactsToCsv(contacts: Contact[]): string {
  return Papa.unparse({
    fields: ['name', 'phone', 'email', 'tags', 'notes', 'opted_out'],
    data: contacts.map((c) => [c.name, c.phone, c.email ?? '', c.tags.join(';'), c.notes, c.optedOut ? 'yes' : 'no']),
  });
}

/** Every line of the file, as new / matches an existing contact / invalid (with the reason). */
export function previewContactsCsv(csv: string, byPhone: (phone: string) => Contact | undefined): { rows: ImportPreviewRow[]; parsed: ImportRow[] } {
  const { rows, errors } = parseContactsCsv(csv);
  const out: ImportPreviewRow[] = errors.map((e) => ({ line: e.line, status: 'invalid', name: '', phone: '', email: null, tags: [], reason: e.message, existing: null, differences: [] }));
  rows.forEach((r, i) => {
    const existing = byPhone(r.phone);
    const differences = existing
      ? [
          ...(r.name !== existing.name ? [`name (${existing.name} → ${r.name})`] : []),
          ...(r.email && r.email !== existing.email ? [`email (${existing.email ?? 'none'} → ${r.email})`] : []),
          ...(r.notes && r.notes !== existing.notes ? ['notes'] : []),
        ]
      : [];
    out.push({
      line: lineOf(r, i),
      status: existing ? 'match' : 'new',
      name: r.name,
      phone: r.phone,
      email: r.email ?? null,
      tags: r.tags ?? [],
      reason: null,
      existing: existing ? { id: existing.id, name: existing.name, email: existing.email, tags: existing.tags } : null,
      differences,
    });
  });
  out.sort((a, b) => a.line - b.line);
  return { rows: out, parsed: rows };
}

const lineOf = (r: ImportRow, fallback: number): number => r.line ?? fallback + 2;
