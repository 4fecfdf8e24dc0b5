// Errors crossing the bridge arrive as plain `{ bridgeError, code, message }` objects
// (IPC and the local WebSocket both lose Error classes); normalise them here.
import type { BridgeErrorShape } from '../../shared/bridge';
import { refusalSentence } from '../../shared/refusals';

export class BridgeError extends Error implements BridgeErrorShape {
  readonly bridgeError = true as const;
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'BridgeError';
  }
}

function isShape(e: unknown): e is { code: unknown; message: unknown } {
  return typeof e === 'object' && e !== null && 'message' in e;
}

export function toBridgeError(e: unknown): BridgeError {
  if (e instanceof BridgeError) return e;
  if (isShape(e)) {
    const code = typeof e.code === 'string' ? e.code : 'error';
    const message = typeof e.message === 'string' ? e.message : 'Something went wrong';
    // Electron rewrites IPC errors as "Error invoking remote method 'x': Error: message"
    return new BridgeError(code, message.replace(/^Error invoking remote method '[^']+': (?:\w*Error: )?/, ''));
  }
  return new BridgeError('error', typeof e === 'string' ? e : 'Something went wrong');
}

/** A short message fit for the UI: a sentence, never validator or program output. */
export function errorMessage(e: unknown): string {
  const b = toBridgeError(e);
  return refusalSentence(b.code, b.message);
}
