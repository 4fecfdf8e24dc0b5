import { z } from 'zod';
import { idSchema, tableNameSchema } from './common';

export const rowPut = z.object({ t: tableNameSchema, r: z.record(z.string(), z.unknown()) });
/** A row delete, or a whole scope (`conv:ID`, `chat:ID`) lost or deleted. */
export const rowDel = z.union([z.object({ t: tableNameSchema, id: idSchema }), z.object({ scope: z.string().min(1).max(140) })]);

/**
 * Rows changed since baseCookie that this user may see. A large poke comes in parts
 * (`more: true` on all but the last); the client applies each part but moves its
 * cookie only with the last. Within a poke (and part), apply dels first, then puts: the
 * relay never puts a row and deletes it in the same poke. baseCookie null = a complete
 * set (catch-up from an empty replica or after `reset`).
 */
export const pokeFrame = z.object({
  type: z.literal('poke'),
  baseCookie: z.number().int().nonnegative().nullable(),
  cookie: z.number().int().nonnegative(),
  puts: z.array(rowPut),
  dels: z.array(rowDel),
  lastMutationId: z.number().int().nonnegative(),
  more: z.boolean().optional(),
});
export type PokeFrame = z.infer<typeof pokeFrame>;
export type RowPut = z.infer<typeof rowPut>;
export type RowDel = z.infer<typeof rowDel>;
