import { z } from 'zod';
import { idSchema } from './common';
import { mutationResult } from './pushResult';

export const welcomeFrame = z.object({
  type: z.literal('welcome'),
  userId: idSchema,
  /** the relay's current global version */
  version: z.number().int().nonnegative(),
  lastMutationId: z.number().int().nonnegative(),
  /** the organisation's display name (additive; absent when the relay has none) */
  orgName: z.string().max(200).optional(),
  /**
   * (v2) refusals of this client's mutations above hello.handledUpTo, kept by the relay in the
   * transaction that refused them: a pushResult lost with its connection is never a silent loss.
   */
  rejected: z.array(mutationResult).max(10_000).optional(),
  /** (v2, additive) this relay serves presence frames: the client may send `presence` */
  presence: z.boolean().optional(),
});
export type WelcomeFrame = z.infer<typeof welcomeFrame>;
