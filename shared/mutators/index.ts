// The registry of every mutation of the product; each area lives in its own file.
import type { z } from 'zod';
import { args, type ArgsMap, type MutationName } from './args';
import type { MutatorDef } from './define';

export { args, systemMutations } from './args';
export type { ArgsMap, MutationName, MutationArgs } from './args';

export type MutatorRegistry = { [N in MutationName]: MutatorDef<ArgsMap[N]> };

// TODO(domain): `export const mutators: MutatorRegistry = { ...contactMutators, ... }`

export function isMutationName(name: string): name is MutationName {
  return Object.prototype.hasOwnProperty.call(args, name);
}
export type AnyMutator = MutatorDef<z.ZodType>;
