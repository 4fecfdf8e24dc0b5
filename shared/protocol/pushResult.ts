import { z } from 'zod';
import { errorCodes } from '../tx';

export const mutationResult = z.object({
  id: z.number().int().positive(),
  status: z.enum(['ok', 'rejected']),
  code: z.enum(errorCodes).optional(),
  message: z.string().optional(),
});
export type MutationResult = z.infer<typeof mutationResult>;

export const pushResultFrame = z.object({ type: z.literal('pushResult'), results: z.array(mutationResult) });
export type PushResultFrame = z.infer<typeof pushResultFrame>;
