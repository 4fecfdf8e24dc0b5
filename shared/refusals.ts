// Every refusal a person may read, in the product's voice: the one mapping from validator
// issues (zod) and refusal codes to sentences. The core, the relay and the renderer all go
// through here, so no validator text ("body: Too big: expected string…") reaches a user.
import type { z } from 'zod';

type Issue = z.core.$ZodIssue;

/** What a field is called in a sentence (the last named part of the issue's path). */
const FIELD_NAMES: Record<string, string> = {
  body: 'the message',
  text: 'the text',
  name: 'the name',
  title: 'the title',
  phone: 'the phone number',
  email: 'the email address',
  notes: 'the notes',
  tags: 'the tags',
  tag: 'the tag',
  members: 'the members',
  contactIds: 'the recipients',
  contacts: 'the contacts',
  attachments: 'the attachments',
  description: 'the description',
  quantity: 'the quantity',
  unitAmount: 'the price',
  amount: 'the amount',
  currency: 'the currency',
  lineItems: 'the invoice lines',
  label: 'the label',
  password: 'the password',
  templateName: 'the template',
  userIds: 'the people',
  visibleTo: 'who may see it',
  assignees: 'the assignees',
  tz: 'the time zone',
  minutes: 'the first-response target',
  businessHours: 'the business hours',
  days: 'the business hours',
};

function fieldOf(path: readonly PropertyKey[]): string | null {
  for (let i = path.length - 1; i >= 0; i--) {
    const p = path[i];
    if (typeof p !== 'string') continue;
    return FIELD_NAMES[p] ?? p.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase().replace(/^/, 'the ');
  }
  return null;
}

const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
const sentence = (s: string) => {
  const t = capital(s.trim());
  return /[.!?]$/.test(t) ? t : `${t}.`;
};
const n = (v: unknown) => (typeof v === 'number' || typeof v === 'bigint' ? Number(v).toLocaleString('en-GB') : String(v));

/** zod's own wording (as opposed to a message the schema's author wrote for people). */
const VALIDATOR_WORDS = /^(Too (big|small)|Invalid|Expected|Unrecognized|Required|Number must|String must|Array must)\b|expected (string|number|array|object)|received /;

/** One issue as a sentence. */
export function issueSentence(issue: Issue): string {
  const field = fieldOf(issue.path);
  const of = field ?? 'this request';
  // a message written for people by the schema's author ("name is required") is kept
  if (issue.message && !VALIDATOR_WORDS.test(issue.message)) return sentence(issue.message);
  switch (issue.code) {
    case 'too_big':
      if (issue.origin === 'string') return sentence(`${of} is too long: at most ${n(issue.maximum)} characters`);
      if (issue.origin === 'array' || issue.origin === 'set') return sentence(`${of} has too many entries: at most ${n(issue.maximum)}`);
      return sentence(`${of} must be at most ${n(issue.maximum)}`);
    case 'too_small':
      if (issue.origin === 'string') return Number(issue.minimum) <= 1 ? sentence(`${of} is required`) : sentence(`${of} must have at least ${n(issue.minimum)} characters`);
      if (issue.origin === 'array' || issue.origin === 'set') return Number(issue.minimum) <= 1 ? sentence(`choose at least one for ${of}`) : sentence(`${of} needs at least ${n(issue.minimum)} entries`);
      return sentence(`${of} must be at least ${n(issue.minimum)}`);
    case 'invalid_format':
      return sentence(`${of} is not in the right format`);
    case 'invalid_type':
      return sentence(`${of} is missing or not valid`);
    case 'invalid_value':
      return sentence(`${of} is not one of the choices`);
    case 'unrecognized_keys':
      return 'This request has fields Parley does not know.';
    default:
      return sentence(`${of} is not valid`);
  }
}

/** The issues of a failed parse as one short sentence (the first issue, and how many more). */
export function issuesSentence(issues: readonly Issue[]): string {
  const first = issues[0];
  if (!first) return 'This request is not valid.';
  const more = issues.length - 1;
  return more > 0 ? `${issueSentence(first)} (${more} more ${more === 1 ? 'problem' : 'problems'})` : issueSentence(first);
}

/** The sentence for a refusal code when its message cannot be shown (validator text, or none). */
const BY_CODE: Record<string, string> = {
  forbidden: 'You are not allowed to do this.',
  not_found: 'This no longer exists — it may have been deleted.',
  invalid: 'This request is not valid.',
  unpaid_invoice: 'This conversation has an unpaid invoice.',
  outstanding_invoice: 'This contact has an outstanding invoice.',
  opted_out: 'This contact has opted out of SMS.',
  whatsapp_window_closed: 'The 24-hour WhatsApp window is closed: send an approved template.',
  sms_no_attachments: 'SMS cannot carry attachments. Send them over WhatsApp instead.',
  assignee_not_visible: 'An assignee cannot see this conversation.',
  mention_not_visible: 'Someone you mentioned cannot see this conversation.',
  conflict: 'Someone changed this at the same time. Try again.',
  stale: 'Who can see this conversation changed since you opened it. Check the current lists and save again.',
  internal: 'Something went wrong on our side. Try again.',
  disconnected: 'Lost the connection to Parley; please try again.',
  invalid_args: 'This request is not valid.',
};

/** True for text that reads like validator or program output rather than a sentence for people. */
export function looksLikeValidatorText(message: string): boolean {
  return VALIDATOR_WORDS.test(message) || /^[\w.[\]]+: (Too|Invalid|Expected|Required)/.test(message) || /^\s*[[{]/.test(message) || /\b(ZodError|TypeError|SQLITE_|undefined is not)\b/.test(message);
}

/**
 * What a person reads for a refusal: the message when it is a sentence, else the code's
 * sentence. Used wherever a refusal is shown (toasts, items' failures, dialogs).
 */
export function refusalSentence(code: string | undefined, message: string | undefined): string {
  const m = (message ?? '').trim();
  if (m && !looksLikeValidatorText(m)) return sentence(m);
  return BY_CODE[code ?? ''] ?? 'Something went wrong. Try again.';
}
