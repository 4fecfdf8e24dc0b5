// What the machine under a bench run is like, measured in the run, so figures taken on different
// machines can be compared: the cost of touching fresh memory (a page fault per 4 KiB page), which
// varies 20× between a laptop and some virtual machines and dominates anything that allocates
// large objects (V8 puts strings over 128 KiB in their own mapping: fresh pages every time); the
// cost of one such string; and a fixed piece of JavaScript work.
import { performance } from 'node:perf_hooks';

const PAGE = 4096;

/** µs per fresh page: a new 64 MiB buffer (its own mapping), one byte written per page. */
function pageFaultMicros(): number {
  const best: number[] = [];
  for (let k = 0; k < 3; k++) {
    const b = Buffer.allocUnsafeSlow(64 << 20);
    const t = performance.now();
    for (let i = 0; i < b.length; i += PAGE) b[i] = 1;
    best.push(((performance.now() - t) * 1000) / (b.length / PAGE));
  }
  return Math.min(...best);
}

/** ms to make a string from a buffer of `n` bytes (below 128 KiB: the heap; above: its own mapping). */
function stringMs(n: number): number {
  const b = Buffer.alloc(n, 97);
  for (let i = 0; i < 20; i++) b.toString();
  const k = 500;
  const t = performance.now();
  for (let i = 0; i < k; i++) b.toString();
  return (performance.now() - t) / k;
}

/** ms for a fixed amount of JSON work (encode and decode 2,000 message-like rows). */
function jsonMs(): number {
  const rows = Array.from({ length: 2000 }, (_, i) => ({ t: 'messages', r: { id: `m${i}`, conversationId: `c${i % 97}`, body: 'order parcel delivery invoice refund', createdAt: 1_750_000_000_000 + i, version: i } }));
  let best = Infinity;
  for (let k = 0; k < 5; k++) {
    const t = performance.now();
    JSON.parse(JSON.stringify(rows));
    best = Math.min(best, performance.now() - t);
  }
  return best;
}

export function machine(): Record<string, number> {
  return {
    pageFaultMicros: +pageFaultMicros().toFixed(2),
    string100KiBMs: +stringMs(100 << 10).toFixed(3),
    string200KiBMs: +stringMs(200 << 10).toFixed(3),
    json2000RowsMs: +jsonMs().toFixed(2),
  };
}
