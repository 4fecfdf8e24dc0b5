// Access tokens: short-lived JWTs (HS256, jose). Refresh tokens: 32 random bytes,
// stored only as a sha256 hash, rotated on every use, revoked at logout/deactivation.
import { createHash, randomBytes, webcrypto } from 'node:crypto';
import { SignJWT, jwtVerify, errors } from 'jose';
import type { RelayStore } from '../store/types';
import type { MetaStore } from '../db/meta';

export const REFRESH_TTL_MS = 30 * 24 * 3600 * 1000;

/** expiresAt: when the token expires (ms since epoch), null when it carries no exp. */
export type VerifyResult = { ok: true; userId: string; expiresAt: number | null } | { ok: false; code: 'token_expired' | 'unauthorized' };

export async function tokenSecret(meta: MetaStore): Promise<Uint8Array> {
  let hex = await meta.get('tokenSecret');
  if (!hex) {
    hex = randomBytes(32).toString('hex');
    await meta.set('tokenSecret', hex);
  }
  return Buffer.from(hex, 'hex');
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

export class TokenService {
  /** the secret imported once as an HMAC key (jose imports a raw secret again for every token) */
  private key: Promise<webcrypto.CryptoKey> | null = null;

  constructor(
    private readonly store: RelayStore,
    private readonly secret: Uint8Array,
    readonly accessTtlSeconds: number,
  ) {}

  async issueAccess(userId: string): Promise<{ token: string; expiresAt: number }> {
    const now = Math.floor(Date.now() / 1000);
    const exp = now + this.accessTtlSeconds;
    const token = await new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject(userId).setIssuedAt(now).setExpirationTime(exp).sign(this.secret);
    return { token, expiresAt: exp * 1000 };
  }

  async verifyAccess(token: string): Promise<VerifyResult> {
    try {
      this.key ??= webcrypto.subtle.importKey('raw', this.secret, { name: 'HMAC', hash: 'SHA-256' }, false, ['verify']);
      const { payload } = await jwtVerify(token, await this.key, { algorithms: ['HS256'] });
      if (typeof payload.sub !== 'string') return { ok: false, code: 'unauthorized' };
      return { ok: true, userId: payload.sub, expiresAt: typeof payload.exp === 'number' ? payload.exp * 1000 : null };
    } catch (e) {
      return { ok: false, code: e instanceof errors.JWTExpired ? 'token_expired' : 'unauthorized' };
    }
  }

  async issueRefresh(userId: string): Promise<string> {
    const token = randomBytes(32).toString('base64url');
    const now = Date.now();
    await this.store.run('INSERT INTO refresh_tokens (token_hash, user_id, expires_at, revoked_at, created_at) VALUES (?, ?, ?, NULL, ?)', [sha256(token), userId, now + REFRESH_TTL_MS, now]);
    return token;
  }

  /** Spends a refresh token: returns its user, or why not. Presenting a revoked token revokes all of the user's tokens (theft). */
  async consumeRefresh(token: string): Promise<{ ok: true; userId: string } | { ok: false }> {
    const hash = sha256(token);
    // read and spent in one write: a token presented twice at once is spent once
    return this.store.write(async (tx) => {
      const row = await tx.get<{ userId: string; expiresAt: number; revokedAt: number | null }>(
        'SELECT user_id AS "userId", expires_at AS "expiresAt", revoked_at AS "revokedAt" FROM refresh_tokens WHERE token_hash = ?',
        [hash],
      );
      if (!row) return { ok: false };
      if (row.revokedAt !== null) {
        await tx.run(REVOKE_ALL, [Date.now(), row.userId]);
        return { ok: false };
      }
      await tx.run('UPDATE refresh_tokens SET revoked_at = ? WHERE token_hash = ?', [Date.now(), hash]);
      if (row.expiresAt < Date.now()) return { ok: false };
      return { ok: true, userId: row.userId };
    });
  }

  async revoke(token: string): Promise<void> {
    await this.store.run('UPDATE refresh_tokens SET revoked_at = ? WHERE token_hash = ? AND revoked_at IS NULL', [Date.now(), sha256(token)]);
  }

  async revokeAll(userId: string): Promise<void> {
    await this.store.run(REVOKE_ALL, [Date.now(), userId]);
  }
}

const REVOKE_ALL = 'UPDATE refresh_tokens SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL';
