// Where the refresh token lives. Electron passes one backed by safeStorage; tests
// and the browser host use a 0600 JSON file.
import { z } from 'zod';
import { readJsonFile, writeFileAtomic } from './fs/atomicFile';

const secretsFile = z.record(z.string(), z.string());

export interface SecretStore {
  get(key: string): Promise<string | null>;
  set(key: string, value: string): Promise<void>;
  delete(key: string): Promise<void>;
}

export class FileSecretStore implements SecretStore {
  constructor(private readonly path: string) {}

  /** A damaged file reads as empty: the session that needed it is then signed out with a reason. */
  private read(): Record<string, string> {
    const r = readJsonFile(this.path, secretsFile);
    return r.kind === 'ok' ? r.value : {};
  }

  private write(data: Record<string, string>): void {
    writeFileAtomic(this.path, JSON.stringify(data), 0o600);
  }

  async get(key: string): Promise<string | null> {
    return this.read()[key] ?? null;
  }

  async set(key: string, value: string): Promise<void> {
    this.write({ ...this.read(), [key]: value });
  }

  async delete(key: string): Promise<void> {
    const d = this.read();
    delete d[key];
    this.write(d);
  }
}
