// How an account is shown to admins (CLI and HTTP): public fields, which secrets are set
// (never their values), and the webhook URLs to paste into the provider's console.
import type Database from 'better-sqlite3';
import type { ProviderAccountView } from '../../shared/http';
import type { AccountRow, AccountStore } from './accounts';
import { webhookUrlsFor } from './registry';

/** The HTTP contract's shape (shared/http/providers.ts), also printed by the CLI. */
export type AccountView = ProviderAccountView;

export function accountView(db: Database.Database, accounts: AccountStore, publicUrl: string, row: AccountRow): AccountView {
  let secrets: AccountView['secrets'];
  try {
    const c = accounts.config(row);
    secrets = Object.keys(c.config).filter((k) => !(k in row.publicConfig) && !['apiVersion'].includes(k));
  } catch (e) {
    secrets = { error: (e as Error).message };
  }
  const group = row.groupId ? (db.prepare('SELECT name FROM groups WHERE id = ?').get(row.groupId) as { name: string } | undefined) : undefined;
  return {
    id: row.id, kind: row.kind, groupId: row.groupId, groupName: group?.name ?? null, channel: row.channel,
    sendRatePerSecond: row.sendRatePerSecond, public: row.publicConfig, secrets, webhooks: webhookUrlsFor(publicUrl, row), updatedAt: row.updatedAt,
  };
}

/** A group by id or (case-insensitive) name. */
export function findGroup(db: Database.Database, idOrName: string): { id: string; name: string } | undefined {
  return db.prepare('SELECT id, name FROM groups WHERE id = ? OR lower(name) = lower(?) ORDER BY id = ? DESC LIMIT 1').get(idOrName, idOrName, idOrName) as { id: string; name: string } | undefined;
}
