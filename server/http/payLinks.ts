// The link a contact receives for a Stripe payment is the relay's, not Stripe's:
// `${publicUrl}/pay/l/<token>`. One token per invoice or checkout, stable across renewals, so
// every message that ever carried it keeps working: opening it finds the current Checkout
// Session (payRoutes.ts) and, when that session has expired, the relay makes a new one.
// The token is the row's id with an HMAC (a key derived from the relay's token secret), so it
// cannot be guessed or forged and needs no table: a token that does not verify is a 404.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { MetaStore } from '../db/meta';
import { tokenSecret } from '../auth/tokens';

export type PayKind = 'invoice' | 'checkout';

const MAC_CHARS = 22; // 132 bits of HMAC-SHA256, base64url

async function linkKey(meta: MetaStore): Promise<Buffer> {
  return createHmac('sha256', await tokenSecret(meta)).update('parley payment links').digest();
}

const mac = (key: Buffer, kind: PayKind, id: string) => createHmac('sha256', key).update(`${kind}:${id}`).digest('base64url').slice(0, MAC_CHARS);

/** `i.<id>.<mac>` (invoice) or `c.<id>.<mac>` (checkout). */
export async function payLinkToken(meta: MetaStore, kind: PayKind, id: string): Promise<string> {
  return `${kind === 'invoice' ? 'i' : 'c'}.${id}.${mac(await linkKey(meta), kind, id)}`;
}

export async function payLinkUrl(publicUrl: string, meta: MetaStore, kind: PayKind, id: string): Promise<string> {
  return `${publicUrl.replace(/\/+$/, '')}/pay/l/${await payLinkToken(meta, kind, id)}`;
}

/** The invoice or checkout a token names, or null when it was not made by this relay. */
export async function parsePayLinkToken(meta: MetaStore, token: string): Promise<{ kind: PayKind; id: string } | null> {
  const m = /^([ic])\.([A-Za-z0-9-]{1,64})\.([A-Za-z0-9_-]{22})$/.exec(token);
  if (!m) return null;
  const kind: PayKind = m[1] === 'i' ? 'invoice' : 'checkout';
  const id = m[2] as string;
  const want = Buffer.from(mac(await linkKey(meta), kind, id));
  const got = Buffer.from(m[3] as string);
  return want.length === got.length && timingSafeEqual(want, got) ? { kind, id } : null;
}

/** Renewals per invoice: one at a time (concurrent opens share it), and at most one a minute. */
export const RENEWAL_INTERVAL_MS = 60_000;

export class RenewalGate<T> {
  private readonly inFlight = new Map<string, Promise<T>>();
  private readonly last = new Map<string, number>();

  constructor(private readonly intervalMs = RENEWAL_INTERVAL_MS) {}

  /**
   * Runs `renew` for this id unless a renewal is running (its result is shared) or one finished
   * less than the interval ago (null: the caller says "try again in a minute").
   */
  run(id: string, renew: () => Promise<T>): Promise<T> | null {
    const running = this.inFlight.get(id);
    if (running) return running;
    const at = this.last.get(id);
    if (at !== undefined && Date.now() - at < this.intervalMs) return null;
    const p = renew().finally(() => {
      this.inFlight.delete(id);
      this.last.set(id, Date.now());
      // forget old entries: the map holds only recent renewals
      for (const [k, t] of this.last) if (Date.now() - t >= this.intervalMs) this.last.delete(k);
    });
    this.inFlight.set(id, p);
    return p;
  }
}
