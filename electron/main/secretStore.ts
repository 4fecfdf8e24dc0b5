// The core's SecretStore backed by Electron's safeStorage (Keychain, DPAPI, libsecret):
// values are encrypted with the OS key and kept as base64 in one 0600 JSON file.
import { safeStorage } from 'electron';
import { readFile, rename, writeFile } from 'node:fs/promises';
import type { SecretStore } from '../core';

export class SafeStorageSecretStore implements SecretStore {
  constructor(private readonly file: string) {}

  private async load(): Promise<Record<string, string>> {
    try {
      return JSON.parse(await readFile(this.file, 'utf8')) as Record<string, string>;
    } catch {
      return {};
    }
  }

  private async save(all: Record<string, string>): Promise<void> {
    const tmp = `${this.file}.tmp`;
    await writeFile(tmp, JSON.stringify(all), { mode: 0o600 });
    await rename(tmp, this.file);
  }

  async get(key: string): Promise<string | null> {
    const v = (await this.load())[key];
    if (!v) return null;
    try {
      return safeStorage.decryptString(Buffer.from(v, 'base64'));
    } catch {
      return null; // encrypted by another OS user or key: treat as signed out
    }
  }

  async set(key: string, value: string): Promise<void> {
    if (!safeStorage.isEncryptionAvailable()) throw new Error('The operating system offers no secure storage for the sign-in token');
    const all = await this.load();
    all[key] = safeStorage.encryptString(value).toString('base64');
    await this.save(all);
  }

  async delete(key: string): Promise<void> {
    const all = await this.load();
    delete all[key];
    await this.save(all);
  }
}
