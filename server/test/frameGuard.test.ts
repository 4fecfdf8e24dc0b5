// Issue 10 item 16: a stranger (no hello yet) may send only small frames, and no frame may nest
// deeply; both are refused before JSON.parse, so another user's ping is answered during the attack.
import { describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { exceedsDepth, MAX_FRAME_DEPTH } from '../sync/frameGuard';
import { startTestRelay } from '../testing';
import { connectAs } from './helpers';
import type { WsTestClient } from './wsClient';

describe('exceedsDepth', () => {
  const deep = (n: number) => `${'['.repeat(n)}${']'.repeat(n)}`;
  const b = (s: string) => Buffer.from(s);
  it('counts arrays and objects, not brackets inside strings', () => {
    expect(exceedsDepth(b(deep(MAX_FRAME_DEPTH)), MAX_FRAME_DEPTH)).toBe(false);
    expect(exceedsDepth(b(deep(MAX_FRAME_DEPTH + 1)), MAX_FRAME_DEPTH)).toBe(true);
    expect(exceedsDepth(b('{"a":{"b":[{"c":[1,2,{"d":null}]}]}}'), 4)).toBe(true);
    expect(exceedsDepth(b('{"a":{"b":[{"c":[1,2,{"d":null}]}]}}'), 6)).toBe(false);
    // brackets in strings, escaped quotes and escaped backslashes before a closing quote
    expect(exceedsDepth(b(JSON.stringify({ body: '[[[[[[[[{{{{{{', q: 'say \\"[[[[[[\\"', tail: 'C:\\\\' , n: [[1]] })), 3)).toBe(false);
    expect(exceedsDepth(b(JSON.stringify({ s: 'a\\', t: [[[['x']]]] })), 4)).toBe(true);
    // sibling containers do not add up
    expect(exceedsDepth(b(`[${Array.from({ length: 1000 }, () => '[[1]]').join(',')}]`), 3)).toBe(false);
    // not JSON at all: left to JSON.parse
    expect(exceedsDepth(b('"unterminated [[[[[['), 2)).toBe(false);
  });

  it('stops at the first level over the limit of a 4 MiB frame', () => {
    const attack = b(deep(2 * 1024 * 1024 - 32));
    const t0 = performance.now();
    for (let i = 0; i < 100; i++) expect(exceedsDepth(attack, MAX_FRAME_DEPTH)).toBe(true);
    expect(performance.now() - t0).toBeLessThan(1000); // a JSON.parse of it takes longer than all 100
  });
});

/** Round trips of sequential pings until `until` settles (at least `min` of them). */
async function pings(c: WsTestClient, until: Promise<unknown> | null, min: number): Promise<number[]> {
  let done = until === null;
  void until?.finally(() => (done = true));
  const out: number[] = [];
  for (let t = 1; out.length < min || !done; t++) {
    const t0 = performance.now();
    const tag = Date.now() * 1000 + t;
    c.sendRaw(JSON.stringify({ type: 'ping', t: tag }));
    await c.waitFor('pong', (f) => f.t === tag, 20_000);
    out.push(performance.now() - t0);
  }
  return out;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

/** A socket that never says hello and sends one text frame; resolves with the close code and any error frame. */
function stranger(url: string, frame: Buffer): Promise<{ code: number; error: string | null }> {
  return new Promise((resolve, reject) => {
    // a zero mask: ws skips masking, so the attack costs this test process little (the relay still unmasks)
    const ws = new WebSocket(url, { perMessageDeflate: false, generateMask: (m) => void m.fill(0) });
    let error: string | null = null;
    ws.on('open', () => ws.send(frame, { binary: false }));
    // the first answer is all it waits for (a relay that parsed the frame answers too, later)
    ws.on('message', (d: Buffer) => {
      error = (JSON.parse(d.toString('utf8')) as { code?: string }).code ?? null;
      if (ws.readyState === WebSocket.OPEN) ws.close();
    });
    ws.on('close', (code) => resolve({ code, error }));
    ws.on('error', reject);
  });
}

describe('a frame flood before and after hello', () => {
  it('is refused before parsing, and a bystander’s ping stays close to its baseline', async () => {
    const o = await startTestRelay();
    try {
      const bystander = await connectAs(o, 'alice');
      const baseline = await pings(bystander, null, 30);

      // 4 MiB of nesting: what used to hold the relay's thread for seconds per frame
      const half = 2 * 1024 * 1024 - 64;
      const nested = Buffer.concat([Buffer.alloc(half, '['), Buffer.alloc(half, ']')]);
      const bob = await connectAs(o, 'bob');
      const attack = (async () => {
        const closes: { code: number; error: string | null }[] = [];
        for (let round = 0; round < 4; round++) {
          // three strangers at once, each a 4 MiB frame before hello
          closes.push(...(await Promise.all([1, 2, 3].map(() => stranger(o.relay.wsUrl, nested)))));
          // a signed-in user's deep frames: refused by the scan, the socket stays open
          for (let i = 0; i < 2; i++) bob.ws.send(nested, { binary: false });
          await bob.waitFor('error', (f) => f.code === 'bad_frame' && bob.all('error').length >= (round + 1) * 2, 20_000);
        }
        return closes;
      })();
      const during = await pings(bystander, attack, 10);
      const closes = await attack;

      // Bounded relative to the baseline: without the guards a single frame of this attack holds
      // the thread for ~0.5–3 s; with them a ping waits for a few 4 MiB socket reads at most.
      const base = median(baseline);
      expect(median(during)).toBeLessThan(base * 5 + 50);
      expect(Math.max(...during)).toBeLessThan(Math.max(...baseline) + 400);

      expect(closes).toHaveLength(12);
      for (const c of closes) expect(c).toEqual({ code: 1009, error: 'frame_too_large' });
      expect(bob.all('error').every((e) => e.code === 'bad_frame' && e.message.includes(`deeper than ${MAX_FRAME_DEPTH}`))).toBe(true);
      expect(bob.closed).toBeNull();
      await Promise.all([bystander.close(), bob.close()]);
    } finally {
      await o.relay.close();
    }
  }, 120_000);
});
