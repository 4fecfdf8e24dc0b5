// How the bridge travels over the browser host's local WebSocket (Electron uses IPC
// instead). The renderer connects to ws://127.0.0.1:PORT/bridge?secret=S, where S is
// the per-launch secret the host put in the page URL's fragment.
import { z } from 'zod';

export const bridgeRequest = z.object({
  id: z.number().int().nonnegative(),
  kind: z.enum(['query', 'command', 'mutate']),
  name: z.string().min(1).max(64),
  args: z.unknown(),
});
export type BridgeRequest = z.infer<typeof bridgeRequest>;

export type BridgeResponse =
  | { id: number; ok: true; result: unknown }
  | { id: number; ok: false; error: { code: string; message: string } };

/** Pushed by the host: `{ event: BridgeEvent }` (see bridge.ts). */
export interface BridgeEventFrame {
  event: unknown;
}
