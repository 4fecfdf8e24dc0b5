// One sync WebSocket: an ordered, backpressured send queue and the client's sync state.
import { WebSocket } from 'ws';
import type { Viewer } from '../../shared/scopes';
import { downgradeFrame, PROTOCOL_VERSION, type DownFrame } from '../../shared/protocol/index';
import type { ProtocolErrorCode } from '../../shared/protocol/error';
import type { PokeBuilder } from './pokeBuilder';

/** rows (puts + dels) per poke part */
export const POKE_PART_ROWS = 2000;
const HIGH_WATER = 1 << 20;
const MAX_ERRORS = 10;
const MAX_TIMER_MS = 2 ** 31 - 1;

export class Connection {
  state: 'new' | 'auth' | 'live' | 'closed' = 'new';
  userId = '';
  clientId = '';
  viewer: Viewer | null = null;
  /** the version the client's replica reaches once it has applied what we queued */
  cookie: number | null = null;
  lastMutationId = 0;
  /** the protocol version the client said hello with: frames are brought down to it */
  protocolVersion = PROTOCOL_VERSION;
  /** set while this client's push runs: its changes wait for the pushResult */
  pushBuilder: PokeBuilder | null = null;
  /** frames are handled one after another (hello verification is async) */
  chain: Promise<void> = Promise.resolve();
  /** closes the socket when the access token presented at hello expires */
  private expiryTimer: NodeJS.Timeout | null = null;
  private errors = 0;
  private readonly queue: (DownFrame | { close: number; reason: string })[] = [];
  private pumping = false;

  constructor(readonly ws: WebSocket) {}

  send(frame: DownFrame): void {
    if (this.state === 'closed') return;
    const f = this.protocolVersion < PROTOCOL_VERSION ? downgradeFrame(frame, this.protocolVersion) : frame;
    if (!f) return;
    this.queue.push(f);
    if (!this.pumping) void this.pump();
  }

  /** Sends a poke (in parts when large) and advances the cookie. */
  sendPoke(b: PokeBuilder, baseCookie: number | null, cookie: number): void {
    const parts = b.parts(POKE_PART_ROWS);
    parts.forEach((p, i) => {
      const more = i < parts.length - 1;
      this.send({ type: 'poke', baseCookie, cookie, puts: p.puts, dels: p.dels, lastMutationId: this.lastMutationId, ...(more ? { more } : {}) });
    });
    this.cookie = cookie;
  }

  /**
   * Arms the token-expiry close: at `expiresAt` the client gets `token_expired` and the socket
   * closes (4000), so it refreshes and reconnects. Re-armed in steps: timers cap at ~24.8 days.
   */
  expireAt(expiresAt: number, now = Date.now()): void {
    this.clearExpiry();
    const delay = expiresAt - now;
    if (delay <= 0) return this.fail('token_expired', 'access token expired: refresh it and reconnect', true);
    this.expiryTimer = setTimeout(() => this.expireAt(expiresAt), Math.min(delay, MAX_TIMER_MS));
    this.expiryTimer.unref();
  }

  clearExpiry(): void {
    if (this.expiryTimer) clearTimeout(this.expiryTimer);
    this.expiryTimer = null;
  }

  /** An error frame; too many of them (abuse) or a fatal one closes the socket. */
  fail(code: ProtocolErrorCode, message: string, close = false, extra: { minVersion?: number; maxVersion?: number } = {}): void {
    this.send({ type: 'error', code, message, ...extra });
    this.errors++;
    if (close || this.errors > MAX_ERRORS) this.closeAfterFlush(close ? 4000 : 1008, code);
  }

  closeAfterFlush(code: number, reason: string): void {
    this.queue.push({ close: code, reason });
    if (!this.pumping) void this.pump();
  }

  private async pump(): Promise<void> {
    this.pumping = true;
    try {
      while (this.queue.length) {
        if (this.ws.readyState !== WebSocket.OPEN) {
          this.queue.length = 0;
          break;
        }
        const frame = this.queue.shift() as DownFrame | { close: number; reason: string };
        if ('close' in frame) {
          this.state = 'closed';
          this.clearExpiry();
          this.ws.close(frame.close, frame.reason);
          this.queue.length = 0;
          break;
        }
        this.ws.send(JSON.stringify(frame));
        // Backpressure: let the socket drain, and let other work run between large parts.
        if (frame.type === 'poke' && frame.more) await new Promise((r) => setImmediate(r));
        while (this.ws.bufferedAmount > HIGH_WATER && this.ws.readyState === WebSocket.OPEN) await new Promise((r) => setTimeout(r, 2));
      }
    } finally {
      this.pumping = false;
    }
  }
}
