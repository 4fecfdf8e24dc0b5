// Canned responses and @mentions in the composer, as pure functions (tested in renderer/test):
// variables and their values, the token the picker is opened by, filtering, and which
// mentioned people are still in a note's text.
import type { ConversationDetail } from '../../../shared/bridge';
import type { CannedResponse } from '../../../shared/schema';

/** The variables a canned response may use, with what the settings screen says about each. */
export const CANNED_VARIABLES = [
  { key: 'contact.first_name', label: 'first name of the contact' },
  { key: 'contact.name', label: 'full name of the contact' },
  { key: 'contact.phone', label: 'phone number of the contact' },
  { key: 'agent.name', label: 'your name' },
  { key: 'agent.first_name', label: 'your first name' },
  { key: 'group.name', label: 'name of the team' },
  { key: 'invoice.link', label: 'payment link of the latest unpaid invoice' },
  { key: 'invoice.number', label: 'number of the latest unpaid invoice' },
  { key: 'invoice.total', label: 'amount due on the latest unpaid invoice' },
] as const;
export type CannedVariable = (typeof CANNED_VARIABLES)[number]['key'];
export type CannedValues = Partial<Record<string, string | null>>;

const VAR_RE = /\{\{\s*([a-z_]+(?:\.[a-z_]+)*)\s*\}\}/g;

const firstName = (name: string) => name.trim().split(/\s+/)[0] ?? name;

/** Values from the open conversation and the signed-in agent; null when there is none (left for the agent to fill). */
export function cannedValues(detail: Pick<ConversationDetail, 'contact' | 'group' | 'invoices'>, agentName: string): CannedValues {
  // the latest invoice waiting for payment (status sent), with its link once the relay made it
  const unpaid = [...detail.invoices].filter((i) => i.status === 'sent').sort((a, b) => b.createdAt - a.createdAt)[0];
  const money = (minor: number, currency: string) => new Intl.NumberFormat('en-GB', { style: 'currency', currency }).format(minor / 100);
  return {
    'contact.first_name': firstName(detail.contact.name),
    'contact.name': detail.contact.name,
    'contact.phone': detail.contact.phone,
    'agent.name': agentName,
    'agent.first_name': firstName(agentName),
    'group.name': detail.group.name,
    'invoice.link': unpaid?.paymentUrl ?? null,
    'invoice.number': unpaid?.number ?? null,
    'invoice.total': unpaid ? money(unpaid.total, unpaid.currency) : null,
  };
}

/** The body with every known variable filled; unknown or empty ones stay as `{{name}}` for the agent. */
export function fillVariables(body: string, values: CannedValues): { text: string; unfilled: string[] } {
  const text = body.replace(VAR_RE, (whole, key: string) => {
    const v = values[key];
    return typeof v === 'string' && v !== '' ? v : `{{${key}}}`;
  });
  return { text, unfilled: unfilledIn(text) };
}

/** Placeholders still in a text, in order, once each. */
export function unfilledIn(text: string): string[] {
  return [...new Set([...text.matchAll(VAR_RE)].map((m) => `{{${m[1] ?? ''}}}`))];
}

/** Canned responses matching what was typed after `/`: title prefix first, then title or body containing it. */
export function matchCanned(list: readonly CannedResponse[], query: string): CannedResponse[] {
  const q = query.trim().toLowerCase();
  if (!q) return [...list];
  const starts = list.filter((r) => r.title.toLowerCase().startsWith(q));
  const contains = list.filter((r) => !starts.includes(r) && (r.title.toLowerCase().includes(q) || r.body.toLowerCase().includes(q)));
  return [...starts, ...contains];
}

/**
 * The picker token before the caret: `/` (canned responses) or `@` (mentions) at the start of
 * the text or after a space, followed by what was typed so far. null when the caret is not in one.
 */
export function tokenAt(text: string, caret: number, sigil: '/' | '@'): { start: number; query: string } | null {
  const before = text.slice(0, caret);
  const re = sigil === '/' ? /(^|\s)\/([^\s/]{0,40})$/ : /(^|\s)@([^\s@]{0,40})$/;
  const m = re.exec(before);
  if (!m) return null;
  return { start: m.index + (m[1] ?? '').length, query: m[2] ?? '' };
}

/** Replaces the token [start, caret) with `insert`; returns the text and where the caret goes. */
export function replaceToken(text: string, start: number, caret: number, insert: string): { text: string; caret: number } {
  return { text: text.slice(0, start) + insert + text.slice(caret), caret: start + insert.length };
}

/** The people whose `@Name` (as inserted by the picker) is still in the note's text. */
export function mentionedIn(body: string, picked: ReadonlyMap<string, string>): string[] {
  return [...picked].filter(([, name]) => body.includes(`@${name}`)).map(([id]) => id);
}
