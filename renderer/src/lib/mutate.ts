// Mutations: applied at once by the core (optimistic), confirmed or refused by the relay
// later. An immediate refusal (local validation) is shown as a toast here; a later relay
// refusal arrives as a Failure shown on the item.
import type { MutateResult } from '../../../shared/bridge';
import type { MutationArgs, MutationName } from '../../../shared/mutators/args';
import { getBridge, errorMessage } from '../../bridge';
import { toast } from '../state/toasts';
import { refusalSentence } from '../../../shared/refusals';

export async function mutate<N extends MutationName>(name: N, args: MutationArgs<N>, opts: { quiet?: boolean } = {}): Promise<MutateResult> {
  try {
    const r = await getBridge().mutate(name, args);
    if (!r.ok) {
      const sentence = { ...r, message: refusalSentence(r.code, r.message) };
      if (!opts.quiet) toast('error', sentence.message);
      return sentence;
    }
    return r;
  } catch (e) {
    const message = errorMessage(e);
    if (!opts.quiet) toast('error', message);
    return { ok: false, code: 'internal', message };
  }
}

/** Client-made ids (UUIDv7 as the protocol expects). */
export { uuidv7 as newId } from 'uuidv7';
