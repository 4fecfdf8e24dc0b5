// How an account is shown to admins (CLI and HTTP): public fields, which secrets are set
// (never their values), and the webhook URLs to paste into the provider's console.
import type { Sql } from '../store/types';
import type { ProviderAccountView } from '../../shared/http';
import type { AccountRow, AccountStore } from './accounts';
import { webhookUrlsFor } from './registry';

/** The HTTP contract's shape (shared/http/providers.ts), also printed by the CLI. */
export type AccountView = ProviderAccountView;

export async function accountView(db: Sql, accounts: AccountStore, publicUrl: string, row: AccountRow): Promise<AccountView> {
  let secrets: AccountView['secrets'];
  try {
    const c = accounts.config(row);
    secrets = Object.keys(c.config).filter((k) => !(k in row.publicConfig) && !['apiVersion'].includes(k));
  } catch (e) {
    secrets = { error: (e as Error).message };
  }
  const group = row.groupId ? await db.get<{ name: string }>('SELECT name FROM groups WHERE id = ?', [row.groupId]) : undefined;
  return {
    id: row.id, kind: row.kind, groupId: row.groupId, groupName: group?.name ?? null, channel: row.channel,
    sendRatePerSecond: row.sendRatePerSecond, public: row.publicConfig, secrets, webhooks: webhookUrlsFor(publicUrl, row), updatedAt: row.updatedAt,
  };
}

/** A group by id or (case-insensitive) name. */
export async function findGroup(db: Sql, idOrName: string): Promise<{ id: string; name: string } | undefined> {
  return (
    (await db.get<{ id: string; name: string }>('SELECT id, name FROM groups WHERE id = ?', [idOrName])) ??
    (await db.get<{ id: string; name: string }>('SELECT id, name FROM groups WHERE lower(name) = lower(?) ORDER BY id LIMIT 1', [idOrName]))
  );
}
