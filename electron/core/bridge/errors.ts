import type { BridgeErrorShape } from '../../../shared/bridge';

/** A refusal that crosses the bridge: `code` and `message` survive JSON and IPC (see bridgeWire's toWireError). */
export class BridgeError extends Error implements BridgeErrorShape {
  readonly bridgeError = true as const;
  constructor(readonly code: string, message: string) {
    super(message);
    this.name = 'BridgeError';
  }
}

export const bridgeError = (code: string, message: string): BridgeError => new BridgeError(code, message);
