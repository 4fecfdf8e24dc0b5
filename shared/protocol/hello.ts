import { z } from 'zod';
import { idSchema } from './common';

/** First frame up: who I am and where my replica is. cookie null = empty replica. */
export const helloFrame = z.object({
  type: z.literal('hello'),
  protocolVersion: z.number().int(),
  clientId: idSchema,
  token: z.string().min(1).max(4096),
  cookie: z.number().int().nonnegative().nullable(),
  lastMutationId: z.number().int().nonnegative(),
  /**
   * (v2) the client has durably handled the result of every mutation up to this id: the relay
   * may forget the refusals it kept for them (welcome.rejected).
   */
  handledUpTo: z.number().int().nonnegative().optional(),
});
export type HelloFrame = z.infer<typeof helloFrame>;
