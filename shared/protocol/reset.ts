import { z } from 'zod';

/** The change log no longer reaches the client's cookie (or its replica is from another organisation): refetch all. */
export const resetFrame = z.object({ type: z.literal('reset'), reason: z.string() });
export type ResetFrame = z.infer<typeof resetFrame>;
