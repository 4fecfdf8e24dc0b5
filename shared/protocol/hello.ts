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
});
export type HelloFrame = z.infer<typeof helloFrame>;
