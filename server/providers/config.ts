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
  /**
   * Twilio's own region and edge (e.g. ie1 + dublin): the official client then talks to
   * api.dublin.ie1.twilio.com, content.dublin.ie1.twilio.com and so on, each API on its own host.
   */
  region: z.string().trim().toLowerCase().regex(/^[a-z]{2}\d$/, 'a Twilio region looks like ie1, au1 or us1').optional(),
  edge: z.string().trim().toLowerCase().regex(/^[a-z]+$/, 'a Twilio edge is a location name such as dublin or sydney').optional(),
  /**
   * One origin for every Twilio API (a local mock in tests and manual checks): replaces the host of
   * api.twilio.com, content.twilio.com alike. Real regional set-ups use region and edge instead.
   */
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
