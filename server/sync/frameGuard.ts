// Cheap checks a sync frame passes before JSON.parse and the frame schema see it: a stranger
// (no hello yet) may send only small frames, and no frame may nest deeply. Both guard the relay's
// only thread: a 4 MiB frame of `[[[[…` costs JSON.parse and zod seconds, this scan milliseconds.

/** a hello is a few hundred bytes (token, client id, cookie); before it, frames above this close the socket */
export const MAX_PRE_HELLO_BYTES = 8 * 1024;
/** deeper than any frame of the protocol (a push with mutation args is under 10 levels) */
export const MAX_FRAME_DEPTH = 32;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_ARRAY = 0x5b;
const OPEN_OBJECT = 0x7b;
const CLOSE_ARRAY = 0x5d;
const CLOSE_OBJECT = 0x7d;

/**
 * Whether the JSON text nests arrays/objects deeper than `max` (brackets inside strings do not
 * count). Linear, no allocation; string contents are skipped with indexOf. Not a validator: text
 * that is not JSON passes here and fails JSON.parse as before.
 */
export function exceedsDepth(buf: Uint8Array, max: number): boolean {
  let depth = 0;
  const n = buf.length;
  for (let i = 0; i < n; i++) {
    const c = buf[i];
    if (c === QUOTE) {
      // skip to the closing quote: one preceded by an even number of backslashes
      let j = i;
      for (;;) {
        j = buf.indexOf(QUOTE, j + 1);
        if (j < 0) return false; // unterminated string: JSON.parse refuses it
        let k = j - 1;
        while (k > i && buf[k] === BACKSLASH) k--;
        if ((j - 1 - k) % 2 === 0) break;
      }
      i = j;
    } else if (c === OPEN_ARRAY || c === OPEN_OBJECT) {
      if (++depth > max) return true;
    } else if (c === CLOSE_ARRAY || c === CLOSE_OBJECT) {
      depth--;
    }
  }
  return false;
}
