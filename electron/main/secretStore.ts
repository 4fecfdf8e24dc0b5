// The core's SecretStore backed by Electron's safeStorage (Keychain, DPAPI, libsecret /
// kwallet): values are encrypted with the OS key and kept as base64 in one 0600 JSON file.
// Where the OS offers no real key store (Linux without a keyring: safeStorage's
// "basic_text" fallback, a hard-coded key), nothing is written: the token lives in
// memory for this run only, and the user signs in again at the next launch.
import { safeStorage } from 'electron';
import { readFile } from 'node:fs/promises';
import type { SecretStore } from '../core';
import { writeFileAtomic } from './atomicFile';

/** Why safeStorage must not be trusted on this machine, or null when it may. */
export function insecureStorageReason(platform: NodeJS.Platform = process.platform): string | null {
  if (!safeStorage.isEncryptionAvailable()) return 'the operating system offers no secure storage';
  if (platform !== 'linux') return null;
  const backend = safeStorage.getSelectedStorageBackend();
  if (backend === 'basic_text' || backend === 'unknown') {
    return `no keyring (libsecret or KWallet) is available (safeStorage backend "${backend}" would store the token with a fixed key)`;
  }
  return null;
}

export class SafeStorageSecretStore implements SecretStore {
  private readonly memory = new Map<string, string>();

  /** `persist: false` keeps secrets in memory only (see insecureStorageReason). */
  constructor(private readonly file: string, private readonly persist = true) {}

  private async load(): Promise<Record<string, string>> {
    try {
      const v = JSON.parse(await readFile(this.file, 'utf8')) as unknown;
      return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, string>) : {};
    } catch {
      return {}; // absent or torn: signed out
    }
  }

  private async save(all: Record<string, string>): Promise<void> {
    writeFileAtomic(this.file, JSON.stringify(all), 0o600);
  }

  async get(key: string): Promise<string | null> {
    if (!this.persist) return this.memory.get(key) ?? null;
    const v = (await this.load())[key];
    if (typeof v !== 'string' || !v) return null;
    try {
      return safeStorage.decryptString(Buffer.from(v, 'base64'));
    } catch {
      return null; // encrypted by another OS user or key: treat as signed out
    }
  }

  async set(key: string, value: string): Promise<void> {
    if (!this.persist) {
      this.memory.set(key, value);
      return;
    }
    if (!safeStorage.isEncryptionAvailable()) throw new Error('The operating system offers no secure storage for the sign-in token');
    const all = await this.load();
    all[key] = safeStorage.encryptString(value).toString('base64');
    await this.save(all);
  }

  async delete(key: string): Promise<void> {
    if (!this.persist) {
      this.memory.delete(key);
      return;
    }
    const all = await this.load();
    delete all[key];
    await this.save(all);
  }
}
