// Web permissions of the window: notifications and clipboard writes (the Copy buttons),
// for the app's own origin only; camera, microphone, geolocation, clipboard reads and the
// rest are refused. Pure; tested under Node.
import { isAppUrl } from './urls';

const GRANTED = new Set(['notifications', 'clipboard-sanitized-write']);

/** For setPermissionRequestHandler / setPermissionCheckHandler (origin: the requesting frame's URL or origin). */
export function allowPermission(permission: string, origin: string): boolean {
  return GRANTED.has(permission) && isAppUrl(origin);
}
