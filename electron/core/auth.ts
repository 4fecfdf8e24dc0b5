// HTTP calls to the relay's auth endpoints, and the access token's lifetime.
import { authSessionResponse, httpApi, httpErrorBody, type AuthSessionResponse, type LoginRequest, type RefreshRequest } from '../../shared/http';

export class RelayHttpError extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
    this.name = 'RelayHttpError';
  }
}

/** The relay's answer to login and refresh (shared/http/auth.ts). */
export type LoginResponse = AuthSessionResponse;

/** ms since epoch, whether the relay sends seconds, ms or an ISO date. */
export function expiryMs(v: number | string): number {
  if (typeof v === 'string') return Date.parse(v);
  return v < 1e12 ? v * 1000 : v;
}

/**
 * How HTTP requests reach the relay. Node's fetch by default; Electron's main process
 * installs `net.fetch` (the system proxy settings and certificate store) at start-up.
 */
let fetchImpl: typeof fetch = (url, init) => fetch(url, init);
export function setRelayFetch(f: typeof fetch): void {
  fetchImpl = f;
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);
/** Why a relay URL is refused (null when fine): only https:// reaches a relay beyond this machine. */
export function insecureRelayReason(relayUrl: string): string | null {
  let u: URL;
  try {
    u = new URL(relayUrl);
  } catch {
    return 'The relay address is not a valid URL.';
  }
  if (u.protocol === 'https:' || u.protocol === 'wss:') return null;
  if (u.protocol !== 'http:' && u.protocol !== 'ws:') return 'The relay address must start with https://.';
  const host = u.hostname.toLowerCase();
  if (LOOPBACK.has(host) || /^127\.\d+\.\d+\.\d+$/.test(host) || host.endsWith('.localhost')) return null;
  return `Parley only connects to a relay over https:// (${u.host} was given with ${u.protocol}//): sign-in and messages would cross the network unencrypted. Ask IT for the https:// address.`;
}

export async function relayFetch(url: string, init: RequestInit): Promise<Response> {
  let res: Response;
  try {
    res = await fetchImpl(url, init);
  } catch (e) {
    throw new RelayHttpError(0, 'network', `cannot reach the relay (${(e as Error).message})`);
  }
  if (res.ok) return res;
  const text = await res.text();
  let parsed: unknown = null;
  try {
    parsed = JSON.parse(text);
  } catch {
    /* not JSON */
  }
  const e = httpErrorBody.safeParse(parsed);
  if (e.success) throw new RelayHttpError(res.status, e.data.error.code, e.data.error.message);
  throw new RelayHttpError(res.status, 'http_' + res.status, text.slice(0, 200) || res.statusText);
}

async function postJson(url: string, body: unknown): Promise<unknown> {
  const res = await relayFetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (res.status === 204) return null;
  return res.json();
}

const base = (relayUrl: string) => relayUrl.replace(/\/+$/, '');

export async function login(relayUrl: string, email: string, password: string): Promise<LoginResponse> {
  const insecure = insecureRelayReason(relayUrl);
  if (insecure) throw new RelayHttpError(0, 'insecure_relay', insecure);
  const send = () => postJson(base(relayUrl) + httpApi.login.path, { email, password } satisfies LoginRequest);
  let body: unknown;
  try {
    body = await send();
  } catch (e) {
    // a kept-alive connection the relay had just closed (restart, idle timeout): try once more on
    // a new one. Login may be repeated safely; refresh is never retried (its token is single-use).
    if (!(e instanceof RelayHttpError) || e.code !== 'network') throw e;
    body = await send();
  }
  return authSessionResponse.parse(body);
}

export async function refresh(relayUrl: string, refreshToken: string): Promise<LoginResponse> {
  return authSessionResponse.parse(await postJson(base(relayUrl) + httpApi.refresh.path, { refreshToken } satisfies RefreshRequest));
}

export async function logout(relayUrl: string, refreshToken: string): Promise<void> {
  await postJson(base(relayUrl) + httpApi.logout.path, { refreshToken } satisfies RefreshRequest);
}

export function wsUrlOf(relayUrl: string): string {
  return base(relayUrl).replace(/^http/, 'ws') + '/sync';
}
