import { z } from 'zod';
import { MAX_PUSH_MUTATIONS } from './common';

/** Mutations in client order; ids are 1, 2, 3… per clientId. Args are checked against the mutator's schema. */
export const pushFrame = z.object({
  type: z.literal('push'),
  mutations: z
    .array(z.object({ id: z.number().int().positive(), name: z.string().min(1).max(64), args: z.unknown() }))
    .min(1)
    .max(MAX_PUSH_MUTATIONS),
});
export type PushFrame = z.infer<typeof pushFrame>;
