// Login, refresh and logout as the HTTP layer exposes them.
import type { RelayStore } from '../store/types';
import type { User } from '../../shared/schema';
import { dummyHash, hashPassword, verifyPassword } from './passwords';
import { LoginRateLimiter } from './rateLimit';
import type { TokenService } from './tokens';

export interface Session {
  accessToken: string;
  refreshToken: string;
  accessExpiresAt: number;
  user: { id: string; name: string; email: string; role: 'admin' | 'agent' };
}
export type AuthResult = { ok: true; session: Session } | { ok: false; status: 401 | 403 | 429; code: 'invalid_credentials' | 'deactivated' | 'rate_limited' | 'unauthorized'; message: string };

export class AuthService {
  private readonly limiter = new LoginRateLimiter();
  constructor(
    private readonly store: RelayStore,
    readonly tokens: TokenService,
  ) {}

  async findUserByEmail(email: string): Promise<User | undefined> {
    return (await this.store.rows.find('users', { email: email.trim().toLowerCase() }))[0];
  }

  async setPassword(userId: string, password: string): Promise<void> {
    const hash = await hashPassword(password);
    await this.store.run('INSERT INTO credentials (user_id, hash) VALUES (?, ?) ON CONFLICT (user_id) DO UPDATE SET hash = excluded.hash', [userId, hash]);
  }

  async login(email: string, password: string, ip: string): Promise<AuthResult> {
    const key = `${email.trim().toLowerCase()}|${ip}`;
    if (this.limiter.blocked(key)) return { ok: false, status: 429, code: 'rate_limited', message: 'Too many failed sign-ins. Try again in 15 minutes.' };
    const user = await this.findUserByEmail(email);
    const cred = user ? await this.store.get<{ hash: string }>('SELECT hash FROM credentials WHERE user_id = ?', [user.id]) : undefined;
    const good = await verifyPassword(password, cred?.hash ?? (await dummyHash));
    if (!user || !cred || !good) {
      this.limiter.fail(key);
      return { ok: false, status: 401, code: 'invalid_credentials', message: 'Wrong email or password.' };
    }
    this.limiter.succeed(key);
    if (!user.active) return { ok: false, status: 403, code: 'deactivated', message: 'This account has been deactivated.' };
    return { ok: true, session: await this.session(user) };
  }

  async refresh(refreshToken: string): Promise<AuthResult> {
    const r = await this.tokens.consumeRefresh(refreshToken);
    if (!r.ok) return { ok: false, status: 401, code: 'unauthorized', message: 'Sign in again.' };
    const user = await this.store.rows.get('users', r.userId);
    if (!user) return { ok: false, status: 401, code: 'unauthorized', message: 'Sign in again.' };
    if (!user.active) return { ok: false, status: 403, code: 'deactivated', message: 'This account has been deactivated.' };
    return { ok: true, session: await this.session(user) };
  }

  async logout(refreshToken: string): Promise<void> {
    await this.tokens.revoke(refreshToken);
  }

  private async session(user: User): Promise<Session> {
    const access = await this.tokens.issueAccess(user.id);
    return {
      accessToken: access.token,
      accessExpiresAt: access.expiresAt,
      refreshToken: await this.tokens.issueRefresh(user.id),
      user: { id: user.id, name: user.name, email: user.email, role: user.role },
    };
  }
}
