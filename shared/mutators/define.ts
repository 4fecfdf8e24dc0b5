import type { z } from 'zod';
import type { MutatorContext, Tx } from '../tx';

export interface MutatorDef<S extends z.ZodType> {
  args: S;
  /** true: only the relay runs it (inbound messages, delivery statuses); clients may not push it */
  system?: boolean;
  /** Synchronous and deterministic given (tx state, ctx, args); throws MutationError to refuse. */
  run(tx: Tx, ctx: MutatorContext, args: z.infer<S>): void;
}

export const defineMutator = <S extends z.ZodType>(def: MutatorDef<S>): MutatorDef<S> => def;
