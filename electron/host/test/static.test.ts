// Static serving and the bridge upgrade's gatekeeping, over a real loopback server.
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkUpgrade, secretsMatch } from '../bridgeSocket';
import { resolveStaticPath, serveStatic } from '../static';

let server: Server;
let port = 0;
const outer = mkdtempSync(join(tmpdir(), 'parley-static-'));
const root = join(outer, 'www');

function get(path: string): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((ok, fail) => {
    // a raw request line, so "../" reaches the server unnormalised
    const req = request({ host: '127.0.0.1', port, path, method: 'GET' }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => ok({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', fail);
    req.end();
  });
}

beforeAll(async () => {
  mkdirSync(root);
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>Parley</title>');
  mkdirSync(join(root, 'assets'));
  writeFileSync(join(root, 'assets/app.js'), 'console.log(1)');
  writeFileSync(join(root, 'assets/app.css'), 'body{}');
  writeFileSync(join(outer, 'parley-secret.txt'), 'secret');
  server = createServer((req, res) => void serveStatic(root, port, req, res));
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((ok) => server.close(() => ok())));

describe('static files', () => {
  it('serves index.html at / with a strict CSP and nosniff', async () => {
    const r = await get('/');
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(r.headers['x-content-type-options']).toBe('nosniff');
    const csp = String(r.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain(`connect-src 'self' ws://127.0.0.1:${port}`);
    expect(csp).not.toContain('unsafe-eval');
    expect(r.body).toContain('<title>Parley</title>');
  });
  it('sends the right MIME types', async () => {
    expect((await get('/assets/app.js')).headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect((await get('/assets/app.css')).headers['content-type']).toBe('text/css; charset=utf-8');
  });
  it('refuses directory traversal, encoded or not, and directories', async () => {
    expect((await get('/../parley-secret.txt')).status).toBe(404);
    expect((await get('/%2e%2e/parley-secret.txt')).status).toBe(404);
    expect((await get('/assets/..%2f..%2fparley-secret.txt')).status).toBe(404);
    expect((await get('/assets')).status).toBe(404);
    expect((await get('/nope.js')).status).toBe(404);
    expect(resolveStaticPath(root, '/%00x')).toBeNull();
  });
});

describe('bridge upgrade gate', () => {
  const req = (url: string, origin?: string) => ({ url, headers: origin ? { origin } : {} }) as Parameters<typeof checkUpgrade>[0];
  const origins = ['http://127.0.0.1:5000'];
  it('accepts the right secret from our origin', () => {
    expect(checkUpgrade(req('/bridge?secret=s3cret', 'http://127.0.0.1:5000'), 's3cret', origins)).toBeNull();
  });
  it('refuses a wrong or missing secret, a foreign or missing origin, another path', () => {
    expect(checkUpgrade(req('/bridge?secret=nope', 'http://127.0.0.1:5000'), 's3cret', origins)).toBe(401);
    expect(checkUpgrade(req('/bridge', 'http://127.0.0.1:5000'), 's3cret', origins)).toBe(401);
    expect(checkUpgrade(req('/bridge?secret=s3cret', 'https://evil.example'), 's3cret', origins)).toBe(403);
    expect(checkUpgrade(req('/bridge?secret=s3cret'), 's3cret', origins)).toBe(403);
    expect(checkUpgrade(req('/sync?secret=s3cret', 'http://127.0.0.1:5000'), 's3cret', origins)).toBe(404);
  });
  it('compares secrets of any length', () => {
    expect(secretsMatch('a', 'a')).toBe(true);
    expect(secretsMatch('a', 'ab')).toBe(false);
  });
});
