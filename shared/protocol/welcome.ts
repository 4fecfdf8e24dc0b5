import { z } from 'zod';
import { idSchema } from './common';

export const welcomeFrame = z.object({
  type: z.literal('welcome'),
  userId: idSchema,
  /** the relay's current global version */
  version: z.number().int().nonnegative(),
  lastMutationId: z.number().int().nonnegative(),
});
export type WelcomeFrame = z.infer<typeof welcomeFrame>;
