// How the bridge travels over the browser host's local WebSocket (Electron uses IPC
// instead). The renderer connects to ws://127.0.0.1:PORT/bridge?secret=S, where S is
// the per-launch secret the host put in the page URL's fragment (`#secret=S`; the host
// may add `&relay=URL`, the relay URL to prefill on the sign-in form).
import { z } from 'zod';
import { commandArgs, queryArgs, type Bridge, type CommandName, type QueryName } from './bridge';
import { args as mutationArgs, type MutationName } from './mutators/args';

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

const has = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);

/** Turns anything thrown by the core into the wire's `{code, message}`. */
export function toWireError(e: unknown): { code: string; message: string } {
  if (e && typeof e === 'object') {
    const o = e as { code?: unknown; message?: unknown; name?: unknown; issues?: unknown };
    if (Array.isArray(o.issues)) return { code: 'invalid_args', message: typeof o.message === 'string' ? o.message : 'Invalid arguments' };
    if (typeof o.code === 'string' && typeof o.message === 'string') return { code: o.code, message: o.message };
    if (typeof o.message === 'string') return { code: 'internal', message: o.message };
  }
  return { code: 'internal', message: String(e) };
}

/**
 * Validates one raw request (already JSON-parsed) and runs it against a bridge. Used by
 * the browser host's socket and by Electron's `ipcMain.handle`. Unknown names never
 * reach the core; the core validates the arguments with the zod maps of bridge.ts.
 */
export async function dispatchBridgeRequest(bridge: Bridge, raw: unknown): Promise<BridgeResponse> {
  const parsed = bridgeRequest.safeParse(raw);
  const rawId = (raw as { id?: unknown } | null)?.id;
  const id = parsed.success ? parsed.data.id : typeof rawId === 'number' ? rawId : -1;
  if (!parsed.success) return { id, ok: false, error: { code: 'bad_request', message: 'Malformed bridge request' } };
  const { kind, name, args } = parsed.data;
  try {
    let result: unknown;
    if (kind === 'query') {
      if (!has(queryArgs, name)) return { id, ok: false, error: { code: 'unknown_name', message: `Unknown query ${name}` } };
      // Names are checked above; the core parses args with queryArgs[name].
      result = await bridge.query(name as QueryName, args as never);
    } else if (kind === 'command') {
      if (!has(commandArgs, name)) return { id, ok: false, error: { code: 'unknown_name', message: `Unknown command ${name}` } };
      result = await bridge.command(name as CommandName, args as never);
    } else {
      if (!has(mutationArgs, name)) return { id, ok: false, error: { code: 'unknown_name', message: `Unknown mutation ${name}` } };
      result = await bridge.mutate(name as MutationName, args as never);
    }
    return { id, ok: true, result: result ?? null };
  } catch (e) {
    return { id, ok: false, error: toWireError(e) };
  }
}
