// GET/PUT /admin/providers, DELETE /admin/providers/:id: provider accounts as admins see them.
import { z } from 'zod';

export const providerKindSchema = z.enum(['twilio', 'whatsapp-cloud', 'stripe']);
export type ProviderKind = z.infer<typeof providerKindSchema>;

/**
 * A provider account as the relay shows it to admins (server/providers/accountView.ts builds it):
 * public fields, the names of the stored secrets (never their values), and the webhook URLs
 * to paste into the provider's console.
 */
export const providerAccountView = z.object({
  id: z.string(),
  kind: providerKindSchema,
  groupId: z.string().nullable(),
  groupName: z.string().nullable(),
  channel: z.enum(['sms', 'whatsapp', 'payments']),
  sendRatePerSecond: z.number(),
  public: z.record(z.string(), z.union([z.string(), z.number(), z.null()])),
  /** names of the stored secrets, or an error when the relay cannot open them */
  secrets: z.union([z.array(z.string()), z.object({ error: z.string() })]),
  webhooks: z.array(z.object({ label: z.string(), url: z.string() })),
  updatedAt: z.number(),
});
export type ProviderAccountView = z.infer<typeof providerAccountView>;

export const providerAccountList = z.object({ publicUrl: z.string(), accounts: z.array(providerAccountView) });
export type ProviderAccountList = z.infer<typeof providerAccountList>;

// Provider account input: shapes only. The relay validates every field on top of these
// (server/providers/config.ts `accountInput`: SID formats, phone numbers, keys) and says what is wrong.
const providerRate = z.coerce.number().int().min(1).max(1000).optional();
const optField = z.string().max(2000).optional();
const field = z.string().max(2000);
export const providerAccountInput = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('twilio'),
    groupId: z.string().min(1).max(128),
    channel: z.enum(['sms', 'whatsapp']),
    sendRatePerSecond: providerRate,
    public: z.looseObject({ accountSid: field, number: field, messagingServiceSid: optField, region: optField, edge: optField, apiBaseUrl: optField }),
    secrets: z.looseObject({ authToken: field }).optional(),
  }),
  z.object({
    kind: z.literal('whatsapp-cloud'),
    groupId: z.string().min(1).max(128),
    channel: z.literal('whatsapp'),
    sendRatePerSecond: providerRate,
    public: z.looseObject({ phoneNumberId: field, number: field, businessAccountId: optField, apiVersion: optField, graphBaseUrl: optField }),
    secrets: z.looseObject({ accessToken: field, appSecret: field, verifyToken: field }).optional(),
  }),
  z.object({
    kind: z.literal('stripe'),
    groupId: z.null().optional(),
    channel: z.literal('payments').optional(),
    sendRatePerSecond: providerRate,
    public: z.looseObject({ successUrl: optField, cancelUrl: optField, apiHost: optField, apiPort: z.coerce.number().int().optional(), apiProtocol: z.enum(['http', 'https']).optional() }),
    secrets: z.looseObject({ secretKey: field, webhookSecret: field }).optional(),
  }),
]);
export type ProviderAccountInput = z.input<typeof providerAccountInput>;
