// Serves the built renderer from one directory: fixed MIME table, strict security
// headers, no directory listing, no path outside the root.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname } from 'node:path';
import { contentSecurityPolicy } from '../../shared/csp';
import { resolveStaticPath } from '../core/staticPath';

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
  '.wasm': 'application/wasm',
};

/** The same policy the renderer's meta tag states, sent as a header so it cannot be weakened. */
export function browserHostCsp(port: number): string {
  return contentSecurityPolicy([`ws://127.0.0.1:${port}`, `ws://localhost:${port}`]);
}

export function securityHeaders(port: number): Record<string, string> {
  return {
    'Content-Security-Policy': browserHostCsp(port),
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'Cache-Control': 'no-store',
  };
}

export { resolveStaticPath };

export async function serveStatic(root: string, port: number, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const headers = securityHeaders(port);
  const send = (status: number, text: string): void => {
    res.writeHead(status, { ...headers, 'Content-Type': 'text/plain; charset=utf-8' });
    res.end(text);
  };
  if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, 'Method not allowed');
  const file = resolveStaticPath(root, new URL(req.url ?? '/', 'http://x').pathname);
  if (!file) return send(404, 'Not found');
  let info;
  try {
    info = await stat(file);
  } catch {
    return send(404, 'Not found');
  }
  if (!info.isFile()) return send(404, 'Not found');
  res.writeHead(200, {
    ...headers,
    'Content-Type': MIME[extname(file).toLowerCase()] ?? 'application/octet-stream',
    'Content-Length': String(info.size),
  });
  if (req.method === 'HEAD') return void res.end();
  createReadStream(file).pipe(res);
}
