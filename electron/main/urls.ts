// Which URLs the window may show and which go to the system browser. Pure, tested under Node.
import { contentSecurityPolicy } from '../../shared/csp';

export const APP_ORIGIN = 'app://parley';

export function isAppUrl(raw: string): boolean {
  try {
    const u = new URL(raw);
    return u.protocol === 'app:' && u.host === 'parley';
  } catch {
    return false;
  }
}

/** Only plain web links leave the app, opened by the system browser; never file:, javascript:, custom schemes. */
export function isSafeExternal(raw: string): boolean {
  try {
    const u = new URL(raw);
    return (u.protocol === 'https:' || u.protocol === 'http:') && u.username === '' && u.password === '';
  } catch {
    return false;
  }
}

/** The page URL with the relay URL to prefill on the sign-in form. */
export function startUrl(relayUrl: string | null): string {
  const base = `${APP_ORIGIN}/index.html`;
  return relayUrl ? `${base}#${new URLSearchParams({ relay: relayUrl }).toString()}` : base;
}

/** Content-Security-Policy for the Electron window (the bridge is IPC, so no sockets at all). */
export const ELECTRON_CSP = contentSecurityPolicy();
