// The signed-in session: who, which relay, and the tokens. The refresh token lives in
// the SecretStore; the rest (not secret) in session.json beside the replicas.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { Session } from '../../shared/bridge';
import { expiryMs, refresh, type LoginResponse } from './auth';
import type { SecretStore } from './secretStore';
import { readJsonFile, writeFileAtomic } from './fs/atomicFile';

const REFRESH_KEY = 'parley.refreshToken';
const sessionFile = z.object({ userId: z.string(), name: z.string(), email: z.string(), role: z.enum(['admin', 'agent']), relayUrl: z.string(), orgName: z.string().optional() });

/** What start-up found on disk: a session to resume, nothing, or a reason the user is signed out. */
export type StoredSession = { kind: 'session'; session: Session } | { kind: 'none' } | { kind: 'lost'; reason: string };

export class SessionKeeper {
  session: Session | null = null;
  private access: { token: string; expiresAt: number } | null = null;
  private refreshing: Promise<string> | null = null;

  constructor(private readonly dataDir: string, private readonly secrets: SecretStore) {}

  private get path(): string {
    return join(this.dataDir, 'session.json');
  }

  /**
   * The stored session if a refresh token is there too. It does not count as signed in until
   * `resume` (the core opens the replica first). A damaged file is removed and explained.
   */
  async load(): Promise<StoredSession> {
    const read = readJsonFile(this.path, sessionFile);
    if (read.kind === 'missing') return { kind: 'none' };
    if (read.kind === 'corrupt') {
      await this.clear();
      return { kind: 'lost', reason: `You were signed out because this computer's saved sign-in ${read.reason}. Sign in again; nothing you sent is lost.` };
    }
    let refreshToken: string | null;
    try {
      refreshToken = await this.secrets.get(REFRESH_KEY);
    } catch {
      refreshToken = null;
    }
    if (!refreshToken) {
      await this.clear();
      return { kind: 'lost', reason: 'You were signed out because the saved sign-in key on this computer could not be read. Sign in again.' };
    }
    return { kind: 'session', session: read.value };
  }

  /** The loaded session becomes the signed-in one (its replica is open). */
  resume(s: Session): void {
    this.session = s;
  }

  /** A login the core accepted (its replica is open): keep it, token first, then session.json. */
  async adopt(relayUrl: string, r: LoginResponse): Promise<Session> {
    const session: Session = { userId: r.user.id, name: r.user.name, email: r.user.email, role: r.user.role, relayUrl, ...(r.orgName ? { orgName: r.orgName } : {}) };
    await this.secrets.set(REFRESH_KEY, r.refreshToken);
    this.session = session;
    this.access = { token: r.accessToken, expiresAt: expiryMs(r.accessExpiresAt) };
    this.persist();
    return session;
  }

  private persist(): void {
    if (!this.session) return;
    writeFileAtomic(this.path, JSON.stringify(this.session));
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
    rmSync(this.path, { force: true });
    await this.secrets.delete(REFRESH_KEY).catch(() => undefined);
  }
}
