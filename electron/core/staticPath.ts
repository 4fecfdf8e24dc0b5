// Where a URL path of the built renderer lives on disk: shared by the browser host's static
// server (electron/host/static.ts) and Electron's app:// protocol (electron/main/appProtocol.ts),
// which may import the core but not the host.
import { resolve, sep } from 'node:path';

/** Maps a URL path to a file under root, or null when it would escape root. */
export function resolveStaticPath(root: string, urlPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath.split('?')[0] ?? '/');
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  const rel = decoded === '/' || decoded === '' ? 'index.html' : decoded.replace(/^\/+/, '');
  const base = resolve(root);
  const full = resolve(base, rel);
  if (full !== base && !full.startsWith(base + sep)) return null;
  return full;
}
