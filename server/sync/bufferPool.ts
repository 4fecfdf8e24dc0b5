// Reusable send buffers for catch-up parts. A part's bytes wait in the socket until its client
// reads them: long enough for V8 to promote their Buffers, which once sent were garbage of the old
// generation, their memory outside the heap held until a major GC (40-80 MB of a reconnect storm's
// peak). The entries SQLite makes come as a string that is encoded at once into chunks taken from
// here (it dies young), and the chunks go back once the socket wrote them: a relay streaming
// catch-ups holds about its bytes in flight.
/** bytes per chunk: a run of a few hundred KB is a few chunks (fragments of its message) */
export const CHUNK_BYTES = 64 << 10;

const encoder = new TextEncoder();

export class BufferPool {
  private readonly free: Buffer[] = [];
  /** chunks made (tests, metrics) */
  made = 0;

  constructor(
    /** chunks kept for reuse at most (beyond: left to the GC) */
    readonly maxFree: number,
    readonly chunkBytes = CHUNK_BYTES,
  ) {}

  take(): Buffer {
    const b = this.free.pop();
    if (b) return b;
    this.made++;
    return Buffer.allocUnsafeSlow(this.chunkBytes);
  }

  /** `b` (taken from this pool, whole) is read by no one any more. */
  give(b: Buffer): void {
    if (b.length === this.chunkBytes && this.free.length < this.maxFree) this.free.push(b);
  }

  get freeCount(): number {
    return this.free.length;
  }
}

/** Bytes in chunks of a pool: `views` (the filled part of each of `chunks`) to send, then give back. */
export interface Pooled {
  views: Buffer[];
  chunks: Buffer[];
}

/** `text` encoded (UTF-8) into chunks of `pool`. */
export function encodePooled(pool: BufferPool, text: string): Pooled {
  const views: Buffer[] = [];
  const chunks: Buffer[] = [];
  let rest = text;
  while (rest.length > 0) {
    const c = pool.take();
    chunks.push(c);
    const r = encoder.encodeInto(rest, c);
    views.push(c.subarray(0, r.written));
    rest = rest.slice(r.read);
  }
  return { views, chunks };
}

/** The pool of catch-up parts, shared by the relays of the process: about the bytes in flight. */
export const SEND_POOL = new BufferPool((8 << 20) / CHUNK_BYTES);
