// The relay's /admin and /simulator endpoints (admin Bearer token on each).
import { z } from 'zod';
import { channelSchema } from '../mutators/args';
import { roleSchema } from './auth';

const id = z.string().min(1).max(128);

export const createUserRequest = z.object({
  email: z.string().trim().email().max(254),
  name: z.string().trim().min(1).max(120),
  role: roleSchema,
  password: z.string().min(8).max(1024),
  groupIds: z.array(id).max(100).optional(),
});
export type CreateUserRequest = z.input<typeof createUserRequest>;

/** A user as the relay returns it after POST /admin/users. */
export const adminUserView = z.object({ id: z.string(), name: z.string(), email: z.string(), role: roleSchema });
export type AdminUserView = z.infer<typeof adminUserView>;
/** GET /admin/users */
export const adminUserList = z.array(adminUserView.extend({ active: z.boolean() }));
export type AdminUserList = z.infer<typeof adminUserList>;

export const createGroupRequest = z.object({ name: z.string().trim().min(1).max(80), smsNumber: z.string().max(32).optional(), whatsappNumber: z.string().max(32).optional() });
export const groupCreated = z.object({ id: z.string(), name: z.string() });
export type GroupCreated = z.infer<typeof groupCreated>;
export const addMemberRequest = z.object({ groupId: id, userId: id });

/** POST /simulator/inbound: a customer message through the built-in simulator. */
export const simulatorInboundRequest = z.object({
  groupId: id,
  from: z.string().min(3).max(32),
  body: z.string().max(4096),
  channel: channelSchema.optional(),
  contactName: z.string().max(120).optional(),
});

/** POST /simulator/payment: demo only, a payment as if the contact had paid (manual payments only). */
export const simulatePaymentRequest = z
  .object({ invoiceId: id.optional(), checkoutId: id.optional() })
  .refine((b) => !b.invoiceId !== !b.checkoutId, 'Name exactly one invoice or checkout.');
