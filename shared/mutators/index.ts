// The registry of every mutation of the product; each area lives in its own file.
import type { z } from 'zod';
import { args, type ArgsMap, type MutationName } from './args';
import type { MutatorDef } from './define';
import { adminMutators } from './admin';
import { broadcastMutators } from './broadcast';
import { cannedMutators } from './canned';
import { chatMutators } from './chats';
import { contactMutators } from './contacts';
import { conversationMutators } from './conversations';
import { invoiceMutators } from './invoices';
import { messageMutators } from './messages';
import { systemMutators } from './system';
import { snoozeMutators } from './snooze';
import { labelMutators } from './labels';
import { scheduledMutators } from './scheduled';
import { autoAssignMutators } from './autoAssign';

export { args, systemMutations } from './args';
export type { ArgsMap, MutationName, MutationArgs } from './args';

export type MutatorRegistry = { [N in MutationName]: MutatorDef<ArgsMap[N]> };

/** Every mutator of the product, by name: the client runs them on its replica, the relay authoritatively. */
export const mutators: MutatorRegistry = {
  ...contactMutators,
  ...conversationMutators,
  ...messageMutators,
  ...invoiceMutators,
  ...chatMutators,
  ...cannedMutators,
  ...broadcastMutators,
  ...adminMutators,
  ...systemMutators,
  ...snoozeMutators,
  ...labelMutators,
  ...scheduledMutators,
  ...autoAssignMutators,
};

export function isMutationName(name: string): name is MutationName {
  return Object.prototype.hasOwnProperty.call(args, name);
}
export type AnyMutator = MutatorDef<z.ZodType>;
