// What an admin configures per provider account: public fields (shown back) and secrets
// (write-only, sealed at rest). One zod schema per kind; used by the CLI and the admin API.
import { z } from 'zod';
import { parsePhoneNumberFromString } from 'libphonenumber-js';

const e164 = z.string().trim().transform((v, ctx) => {
  const p = parsePhoneNumberFromString(v);
  if (!p?.isValid()) {
    ctx.addIssue({ code: 'custom', message: `${v} is not a valid phone number` });
    return z.NEVER;
  }
  return p.number;
});
const baseUrl = z.string().url().transform((u) => u.replace(/\/+$/, ''));

export const twilioPublic = z.object({
  accountSid: z.string().regex(/^AC[0-9a-zA-Z]{8,40}$/, 'an account SID starts with AC'),
  number: e164,
  messagingServiceSid: z.string().regex(/^MG\w+$/).optional(),
  /** API origin override (tests, Twilio edges): default https://api.twilio.com */
  apiBaseUrl: baseUrl.optional(),
});
export const twilioSecrets = z.object({ authToken: z.string().min(8) });

export const whatsappPublic = z.object({
  phoneNumberId: z.string().regex(/^\d{5,30}$/, 'the phone-number-id is numeric'),
  number: e164,
  businessAccountId: z.string().regex(/^\d{5,30}$/).optional(),
  apiVersion: z.string().regex(/^v\d+\.\d+$/).default('v21.0'),
  /** Graph API origin override (tests): default https://graph.facebook.com */
  graphBaseUrl: baseUrl.optional(),
});
export const whatsappSecrets = z.object({ accessToken: z.string().min(8), appSecret: z.string().min(8), verifyToken: z.string().min(8) });

export const stripePublic = z.object({
  successUrl: z.string().url().optional(),
  cancelUrl: z.string().url().optional(),
  /** API host override (tests): the stripe package's host/port/protocol options */
  apiHost: z.string().optional(),
  apiPort: z.coerce.number().int().min(1).max(65535).optional(),
  apiProtocol: z.enum(['http', 'https']).optional(),
});
export const stripeSecrets = z.object({ secretKey: z.string().regex(/^(sk|rk)_\w+$/, 'a Stripe secret key starts with sk_ or rk_'), webhookSecret: z.string().regex(/^whsec_\w+$/, 'a webhook secret starts with whsec_') });

const rate = z.coerce.number().int().min(1).max(1000).optional();
/** Secrets may be omitted on update: the stored ones are kept. */
export const accountInput = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('twilio'), groupId: z.string().min(1), channel: z.enum(['sms', 'whatsapp']), sendRatePerSecond: rate, public: twilioPublic, secrets: twilioSecrets.optional() }),
  z.object({ kind: z.literal('whatsapp-cloud'), groupId: z.string().min(1), channel: z.literal('whatsapp'), sendRatePerSecond: rate, public: whatsappPublic, secrets: whatsappSecrets.optional() }),
  z.object({ kind: z.literal('stripe'), groupId: z.null().optional(), channel: z.literal('payments').default('payments'), sendRatePerSecond: rate, public: stripePublic, secrets: stripeSecrets.optional() }),
]);
export type AccountInput = z.input<typeof accountInput>;

export type TwilioConfig = z.output<typeof twilioPublic> & z.output<typeof twilioSecrets>;
export type WhatsAppConfig = z.output<typeof whatsappPublic> & z.output<typeof whatsappSecrets>;
export type StripeConfig = z.output<typeof stripePublic> & z.output<typeof stripeSecrets>;

/** Default sends per second when an admin sets none (Twilio long codes: 1/s; Meta: 80/s). */
export const defaultRate = { twilio: 1, 'whatsapp-cloud': 20, stripe: 25 } as const;
