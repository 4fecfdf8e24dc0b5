// What the core lends its command handlers: a narrow interface instead of the core itself,
// so the handlers (commands.ts, adminCommands.ts) import nothing of core.ts and core.ts
// imports them — one direction, no circle.
import type { Bridge, BridgeEvent, Session } from '../../../shared/bridge';
import { RelayHttpError, relayFetch } from '../auth';
import type { Replica } from '../db/replica';
import { bridgeError } from './errors';

export interface CommandEnv {
  readonly sessions: { readonly session: Session | null; token(force?: boolean): Promise<string> };
  /** the replica of the signed-in user, null when signed out */
  readonly current: { readonly replica: Replica } | null;
  signIn(relayUrl: string, email: string, password: string): Promise<Session>;
  signOut(): Promise<void>;
  mutate: Bridge['mutate'];
  emit(e: BridgeEvent): void;
  /** this device's presence (sent to the relay, coalesced to ≤ 1/s) */
  setPresence(p: { status?: 'online' | 'away'; viewing?: string | null; typing?: boolean }): void;
}

/** The session and replica, or a `signed_out` refusal. */
export function signedIn(env: CommandEnv): { session: Session; replica: Replica } {
  const session = env.sessions.session;
  const o = env.current;
  if (!session || !o) throw bridgeError('signed_out', 'sign in first');
  return { session, replica: o.replica };
}

/** An authenticated request to the relay (path from its root), refreshing the access token once on 401. */
export async function authedFetch(env: CommandEnv, path: string, init: RequestInit): Promise<Response> {
  const { session } = signedIn(env);
  const url = session.relayUrl + path;
  const withToken = async (force: boolean) =>
    relayFetch(url, { ...init, headers: { ...(init.headers as Record<string, string>), authorization: `Bearer ${await env.sessions.token(force)}` } });
  try {
    return await withToken(false);
  } catch (e) {
    if (e instanceof RelayHttpError && e.status === 401) return withToken(true);
    throw e;
  }
}
