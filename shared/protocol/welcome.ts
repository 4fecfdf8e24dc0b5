import { z } from 'zod';
import { idSchema } from './common';

export const welcomeFrame = z.object({
  type: z.literal('welcome'),
  userId: idSchema,
  /** the relay's current global version */
  version: z.number().int().nonnegative(),
  lastMutationId: z.number().int().nonnegative(),
  /** the organisation's display name (additive; absent when the relay has none) */
  orgName: z.string().max(200).optional(),
});
export type WelcomeFrame = z.infer<typeof welcomeFrame>;
