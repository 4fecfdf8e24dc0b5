// The signed-in session: who, which relay, and the tokens. The refresh token lives in
// the SecretStore; the rest (not secret) in session.json beside the replicas.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { Session } from '../../shared/bridge';
import { expiryMs, refresh, type LoginResponse } from './auth';
import type { SecretStore } from './secretStore';

const REFRESH_KEY = 'parley.refreshToken';
const sessionFile = z.object({ userId: z.string(), name: z.string(), email: z.string(), role: z.enum(['admin', 'agent']), relayUrl: z.string(), orgName: z.string().optional() });

export class SessionKeeper {
  session: Session | null = null;
  private access: { token: string; expiresAt: number } | null = null;
  private refreshing: Promise<string> | null = null;

  constructor(private readonly dataDir: string, private readonly secrets: SecretStore) {}

  private get path(): string {
    return join(this.dataDir, 'session.json');
  }

  /** The stored session if a refresh token is there too. */
  async load(): Promise<Session | null> {
    if (!existsSync(this.path)) return null;
    const parsed = sessionFile.safeParse(JSON.parse(readFileSync(this.path, 'utf8')));
    if (!parsed.success || !(await this.secrets.get(REFRESH_KEY))) return null;
    this.session = parsed.data;
    return this.session;
  }

  async adopt(relayUrl: string, r: LoginResponse): Promise<Session> {
    this.session = { userId: r.user.id, name: r.user.name, email: r.user.email, role: r.user.role, relayUrl, ...(r.orgName ? { orgName: r.orgName } : {}) };
    this.access = { token: r.accessToken, expiresAt: expiryMs(r.accessExpiresAt) };
    await this.secrets.set(REFRESH_KEY, r.refreshToken);
    this.persist();
    return this.session;
  }

  private persist(): void {
    if (!this.session) return;
    mkdirSync(this.dataDir, { recursive: true });
    writeFileSync(this.path, JSON.stringify(this.session), { mode: 0o600 });
  }

  /** The relay named the organisation (welcome): keep it, persisted. True when it changed. */
  setOrgName(orgName: string): boolean {
    if (!this.session || this.session.orgName === orgName) return false;
    this.session = { ...this.session, orgName };
    this.persist();
    return true;
  }

  async refreshToken(): Promise<string | null> {
    return this.secrets.get(REFRESH_KEY);
  }

  /** A valid access token: refreshed when within a minute of expiry, or when forced (token_expired). */
  async token(force = false): Promise<string> {
    if (!force && this.access && this.access.expiresAt - Date.now() > 60_000) return this.access.token;
    this.refreshing ??= this.doRefresh().finally(() => {
      this.refreshing = null;
    });
    return this.refreshing;
  }

  private async doRefresh(): Promise<string> {
    const s = this.session;
    const rt = await this.secrets.get(REFRESH_KEY);
    if (!s || !rt) throw Object.assign(new Error('not signed in'), { status: 401 });
    const r = await refresh(s.relayUrl, rt);
    await this.secrets.set(REFRESH_KEY, r.refreshToken);
    this.access = { token: r.accessToken, expiresAt: expiryMs(r.accessExpiresAt) };
    if (this.session) {
      this.session = { ...this.session, name: r.user.name, email: r.user.email, role: r.user.role, ...(r.orgName ? { orgName: r.orgName } : {}) };
      this.persist();
    }
    return r.accessToken;
  }

  async clear(): Promise<void> {
    this.session = null;
    this.access = null;
    await this.secrets.delete(REFRESH_KEY);
    rmSync(this.path, { force: true });
  }
}
