// An oversized body sent without `Expect: 100-continue` gets its readable 413 (the relay reads and
// drops the rest instead of closing while the client is still writing, which would reset it).
import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestRelay, type TestOrg } from '../testing';

let org: TestOrg | null = null;
afterEach(async () => {
  await org?.relay.close();
  org = null;
});

/** Writes the request in 64 KiB pieces, each after the last drained; resolves with all it read and any socket error. */
function rawRequest(port: number, head: string, body: Buffer, chunked: boolean): Promise<{ response: string; error: string | null }> {
  return new Promise((resolve) => {
    const s = connect(port, '127.0.0.1');
    let response = '';
    let error: string | null = null;
    s.on('data', (d) => (response += d.toString('utf8')));
    s.on('error', (e) => (error = e.message));
    s.on('close', () => resolve({ response, error }));
    s.write(head);
    let at = 0;
    const next = () => {
      while (at < body.length) {
        const piece = body.subarray(at, at + 64 * 1024);
        at += piece.length;
        const ok = s.write(chunked ? Buffer.concat([Buffer.from(`${piece.length.toString(16)}\r\n`), piece, Buffer.from('\r\n')]) : piece);
        if (!ok) return void s.once('drain', next);
      }
      s.end(chunked ? '0\r\n\r\n' : '');
    };
    next();
  });
}

describe('HTTP body limits', () => {
  for (const chunked of [false, true]) {
    it(`answers a 2 MB login body (${chunked ? 'chunked' : 'Content-Length'}) with a readable 413`, async () => {
      const o = (org = await startTestRelay());
      const body = Buffer.alloc(2 * 1024 * 1024, 'a');
      const framing = chunked ? 'Transfer-Encoding: chunked' : `Content-Length: ${body.length}`;
      const r = await rawRequest(o.relay.port, `POST /auth/login HTTP/1.1\r\nHost: relay\r\nContent-Type: application/json\r\nConnection: close\r\n${framing}\r\n\r\n`, body, chunked);
      expect(r.error).toBeNull();
      expect(r.response.startsWith('HTTP/1.1 413')).toBe(true);
      const json = JSON.parse(r.response.slice(r.response.indexOf('\r\n\r\n') + 4)) as { error: { code: string } };
      expect(json.error.code).toBe('too_large');
    });
  }
});
