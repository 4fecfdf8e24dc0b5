// Provider account form: which fields each kind asks for, and turning what the admin
// typed into a `saveProviderAccount` input (client-side shape check with the bridge's
// zod schema; the relay checks formats and answers in its own words). Free of React.
import { providerAccountInput, type ProviderAccountInput, type ProviderAccountView } from '../../../../shared/http';

export type AccountKind = 'twilio-sms' | 'twilio-whatsapp' | 'whatsapp-cloud' | 'stripe';

export interface FieldSpec {
  key: string;
  label: string;
  optional?: boolean;
  placeholder?: string;
}

interface KindSpec {
  label: string;
  kind: ProviderAccountInput['kind'];
  channel: 'sms' | 'whatsapp' | 'payments';
  publicFields: FieldSpec[];
  secretFields: FieldSpec[];
}

const twilioPublic: FieldSpec[] = [
  { key: 'accountSid', label: 'Account SID', placeholder: 'AC…' },
  { key: 'number', label: 'Sending number', placeholder: '+44 7700 900123' },
  { key: 'messagingServiceSid', label: 'Messaging service SID', optional: true, placeholder: 'MG…' },
  { key: 'region', label: 'Twilio region', optional: true, placeholder: 'ie1 (leave empty for the US)' },
  { key: 'edge', label: 'Twilio edge', optional: true, placeholder: 'dublin' },
];
const twilioSecrets: FieldSpec[] = [{ key: 'authToken', label: 'Auth token' }];

export const ACCOUNT_KINDS: Record<AccountKind, KindSpec> = {
  'twilio-sms': { label: 'Twilio SMS', kind: 'twilio', channel: 'sms', publicFields: twilioPublic, secretFields: twilioSecrets },
  'twilio-whatsapp': { label: 'Twilio WhatsApp', kind: 'twilio', channel: 'whatsapp', publicFields: twilioPublic, secretFields: twilioSecrets },
  'whatsapp-cloud': {
    label: 'WhatsApp Cloud API (Meta)',
    kind: 'whatsapp-cloud',
    channel: 'whatsapp',
    publicFields: [
      { key: 'phoneNumberId', label: 'Phone number ID', placeholder: 'digits from the Meta console' },
      { key: 'number', label: 'WhatsApp number', placeholder: '+44 7700 900123' },
      { key: 'businessAccountId', label: 'Business account ID', optional: true },
      { key: 'apiVersion', label: 'Graph API version', optional: true, placeholder: 'v21.0' },
    ],
    secretFields: [
      { key: 'accessToken', label: 'Access token' },
      { key: 'appSecret', label: 'App secret' },
      { key: 'verifyToken', label: 'Webhook verify token' },
    ],
  },
  stripe: {
    label: 'Stripe (payments, whole organisation)',
    kind: 'stripe',
    channel: 'payments',
    publicFields: [
      { key: 'successUrl', label: 'After payment, go to', optional: true, placeholder: 'https://…' },
      { key: 'cancelUrl', label: 'On cancel, go to', optional: true, placeholder: 'https://…' },
    ],
    secretFields: [
      { key: 'secretKey', label: 'Secret key', placeholder: 'sk_…' },
      { key: 'webhookSecret', label: 'Webhook signing secret', placeholder: 'whsec_…' },
    ],
  },
};

export interface AccountFormState {
  kind: AccountKind;
  groupId: string;
  rate: string;
  values: Record<string, string>;
}

export type FormErrors = Record<string, string>;

export function kindOfView(v: Pick<ProviderAccountView, 'kind' | 'channel'>): AccountKind {
  if (v.kind === 'twilio') return v.channel === 'whatsapp' ? 'twilio-whatsapp' : 'twilio-sms';
  return v.kind;
}

/** The form for a new account, or filled from a stored one (secrets always blank). */
export function initialState(view: ProviderAccountView | null, defaultGroupId: string): AccountFormState {
  if (!view) return { kind: 'twilio-sms', groupId: defaultGroupId, rate: '', values: {} };
  const values: Record<string, string> = {};
  for (const [k, v] of Object.entries(view.public)) if (v !== null && v !== undefined) values[k] = String(v);
  return { kind: kindOfView(view), groupId: view.groupId ?? defaultGroupId, rate: String(view.sendRatePerSecond), values };
}

/**
 * What to send, or what is wrong field by field. On edit, leaving every secret blank keeps
 * the stored ones; a new account needs them all.
 */
export function buildAccountInput(s: AccountFormState, editing: boolean): { ok: true; input: ProviderAccountInput } | { ok: false; errors: FormErrors } {
  const spec = ACCOUNT_KINDS[s.kind];
  const errors: FormErrors = {};
  const val = (k: string) => (s.values[k] ?? '').trim();
  const pub: Record<string, string> = {};
  for (const f of spec.publicFields) {
    if (val(f.key)) pub[f.key] = val(f.key);
    else if (!f.optional) errors[f.key] = `Enter the ${f.label.toLowerCase()}.`;
  }
  const typed = spec.secretFields.filter((f) => val(f.key));
  let secrets: Record<string, string> | undefined;
  if (typed.length > 0 || !editing) {
    for (const f of spec.secretFields) {
      if (!val(f.key)) errors[f.key] = editing ? 'Fill in every secret, or leave them all blank to keep the stored ones.' : `Enter the ${f.label.toLowerCase()}.`;
    }
    secrets = Object.fromEntries(spec.secretFields.map((f) => [f.key, val(f.key)]));
  }
  if (spec.kind !== 'stripe' && !s.groupId) errors.groupId = 'Pick the team this number belongs to.';
  const raw = {
    kind: spec.kind,
    ...(spec.kind === 'stripe' ? {} : { groupId: s.groupId, channel: spec.channel }),
    ...(s.rate.trim() ? { sendRatePerSecond: s.rate.trim() } : {}),
    public: pub,
    ...(secrets ? { secrets } : {}),
  };
  const parsed = providerAccountInput.safeParse(raw);
  if (!parsed.success) {
    for (const i of parsed.error.issues) {
      const top = String(i.path[0] ?? '');
      const key = top === 'public' || top === 'secrets' ? String(i.path[1] ?? top) : top === 'sendRatePerSecond' ? 'rate' : top;
      errors[key] ??= key === 'rate' ? 'Sends per second: a whole number from 1 to 1000.' : i.message;
    }
  }
  if (Object.keys(errors).length > 0 || !parsed.success) return { ok: false, errors };
  // send what the admin typed (the relay coerces); parsed.data only proved the shape
  return { ok: true, input: raw as ProviderAccountInput };
}

/** Stored secrets as the UI shows them: names only, never values. */
export function secretsSummary(secrets: ProviderAccountView['secrets']): string {
  if (!Array.isArray(secrets)) return `Secrets unreadable: ${secrets.error}`;
  return secrets.length ? secrets.map((k) => `${k}: set`).join(' · ') : 'No secrets stored';
}
