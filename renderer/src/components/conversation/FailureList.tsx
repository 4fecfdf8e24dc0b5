// Relay refusals of this item's changes, in plain words, with Retry and Dismiss.
import { AlertTriangle, Copy, RotateCw, X } from 'lucide-react';
import type { Failure } from '../../../../shared/bridge';
import type { MutationArgs, MutationName } from '../../../../shared/mutators/args';
import { getBridge, errorMessage } from '../../../bridge';
import { mutate, newId } from '../../lib/mutate';
import { toast } from '../../state/toasts';
import { refusalSentence } from '../../../../shared/refusals';

const what: Partial<Record<MutationName, string>> = {
  sendMessage: 'Message not sent',
  addNote: 'Note not saved',
  manageConversation: 'Assignment not saved',
  archiveConversation: 'Not archived',
  unarchiveConversation: 'Not unarchived',
  deleteConversation: 'Not deleted',
  createInvoice: 'Invoice not created',
  sendInvoice: 'Invoice not sent',
  markInvoicePaid: 'Not marked paid',
  createCheckout: 'Checkout not created',
  sendChatMessage: 'Message not sent',
  markRead: 'Read mark not saved',
};

function bodyOf(args: unknown): string | null {
  if (typeof args === 'object' && args && 'body' in args && typeof args.body === 'string') return args.body;
  return null;
}

/** Re-run a refused mutation; rows it creates get fresh ids. */
export async function retryFailure(f: Failure): Promise<void> {
  const args = { ...(f.args as Record<string, unknown>) };
  for (const k of ['id', 'messageId', 'newConversationId']) if (typeof args[k] === 'string') args[k] = newId();
  const r = await mutate(f.name, args as MutationArgs<typeof f.name>);
  if (r.ok) await dismissFailure(f);
}

/** The words of a refused message or note stay the user's, even when its conversation is gone. */
async function copyText(text: string): Promise<void> {
  try {
    await navigator.clipboard.writeText(text);
    toast('success', 'Text copied.');
  } catch {
    toast('error', 'Could not copy the text: select it and copy it by hand.');
  }
}

export async function dismissFailure(f: Failure): Promise<void> {
  try {
    await getBridge().command('dismissFailure', { id: f.id });
  } catch (e) {
    toast('error', errorMessage(e));
  }
}

export function FailureList({ failures }: { failures: Failure[] }) {
  if (failures.length === 0) return null;
  return (
    <div className="failures">
      {failures.map((f) => {
        const body = bodyOf(f.args);
        return (
          <div key={f.id} className="failure" role="alert">
            <AlertTriangle size={16} aria-hidden="true" />
            <div className="grow">
              <strong>{what[f.name] ?? 'Change refused'}</strong>
              <div className="small">{refusalSentence(f.code, f.message)}</div>
              {body && <div className="small faint failure-body">“{body}”</div>}
            </div>
            {body && (
              <button type="button" className="btn sm" onClick={() => void copyText(body)} aria-label="Copy the text">
                <Copy size={12} aria-hidden="true" /> Copy text
              </button>
            )}
            {f.name !== 'markRead' && (
              <button type="button" className="btn sm" onClick={() => void retryFailure(f)} aria-label="Retry">
                <RotateCw size={12} aria-hidden="true" /> Retry
              </button>
            )}
            <button type="button" className="btn sm ghost" onClick={() => void dismissFailure(f)} aria-label="Dismiss">
              <X size={12} aria-hidden="true" /> Dismiss
            </button>
          </div>
        );
      })}
    </div>
  );
}
