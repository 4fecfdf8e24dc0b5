// app://parley/… serves the built renderer from disk with a strict CSP header; unlike
// file:// it gives the page a real origin and nothing outside the renderer folder.
import { protocol } from 'electron';
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { resolveStaticPath } from '../core/staticPath';
import { ELECTRON_CSP } from './urls';

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.ico': 'image/x-icon',
};

/** Must run before app is ready. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
}

export function handleAppProtocol(rendererDir: string): void {
  protocol.handle('app', async (request) => {
    const url = new URL(request.url);
    const file = url.host === 'parley' ? resolveStaticPath(rendererDir, url.pathname) : null;
    const headers = { 'Content-Security-Policy': ELECTRON_CSP, 'X-Content-Type-Options': 'nosniff' };
    if (!file) return new Response('Not found', { status: 404, headers });
    try {
      const body = await readFile(file);
      return new Response(body, { headers: { ...headers, 'Content-Type': MIME[extname(file)] ?? 'application/octet-stream' } });
    } catch {
      return new Response('Not found', { status: 404, headers });
    }
  });
}
