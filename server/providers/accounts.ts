// Provider accounts in the relay database: upsert from admin input (secrets sealed),
// look-ups per group/channel, and decrypted configs for the adapters.
import type { RelayStore } from '../store/types';
import { randomUUID } from 'node:crypto';
import { accountInput, defaultRate, stripePublic, stripeSecrets, twilioPublic, twilioSecrets, whatsappPublic, whatsappSecrets } from './config';
import type { StripeConfig, TwilioConfig, WhatsAppConfig } from './config';
import type { ProviderKind } from './schema';
import { open, seal } from './secrets';

export interface AccountRow {
  id: string;
  groupId: string | null;
  channel: 'sms' | 'whatsapp' | 'payments';
  kind: ProviderKind;
  publicConfig: Record<string, string | number | null>;
  secrets: string;
  sendRatePerSecond: number;
  createdAt: number;
  updatedAt: number;
}
export type AccountConfig =
  | { kind: 'twilio'; row: AccountRow; config: TwilioConfig }
  | { kind: 'whatsapp-cloud'; row: AccountRow; config: WhatsAppConfig }
  | { kind: 'stripe'; row: AccountRow; config: StripeConfig };

interface RawRow { id: string; group_id: string | null; channel: AccountRow['channel']; kind: ProviderKind; public_config: string; secrets: string; send_rate_per_second: number; created_at: number; updated_at: number }
const toRow = (r: RawRow): AccountRow => ({
  id: r.id, groupId: r.group_id, channel: r.channel, kind: r.kind,
  publicConfig: JSON.parse(r.public_config) as AccountRow['publicConfig'],
  secrets: r.secrets, sendRatePerSecond: r.send_rate_per_second, createdAt: r.created_at, updatedAt: r.updated_at,
});

/** Public fields that redirect where credentials are sent. */
const apiAddressFields = ['apiBaseUrl', 'region', 'edge', 'graphBaseUrl', 'apiHost', 'apiPort', 'apiProtocol'] as const;

export class AccountStore {
  constructor(private readonly db: RelayStore, private readonly key: () => Buffer) {}

  async get(id: string): Promise<AccountRow | undefined> {
    const r = await this.db.get<RawRow>('SELECT * FROM provider_accounts WHERE id = ?', [id]);
    return r && toRow(r);
  }
  async forGroup(groupId: string, channel: 'sms' | 'whatsapp'): Promise<AccountRow | undefined> {
    const r = await this.db.get<RawRow>('SELECT * FROM provider_accounts WHERE group_id = ? AND channel = ?', [groupId, channel]);
    return r && toRow(r);
  }
  async stripe(): Promise<AccountRow | undefined> {
    const r = await this.db.get<RawRow>("SELECT * FROM provider_accounts WHERE kind = 'stripe' ORDER BY updated_at DESC LIMIT 1");
    return r && toRow(r);
  }
  async list(): Promise<AccountRow[]> {
    return (await this.db.all<RawRow>('SELECT * FROM provider_accounts ORDER BY group_id, channel')).map(toRow);
  }

  /** Creates or replaces the account of (group, channel); secrets omitted = keep the stored ones. */
  async upsert(input: unknown, now = Date.now()): Promise<AccountRow> {
    const a = accountInput.parse(input);
    const groupId = a.kind === 'stripe' ? null : a.groupId;
    const existing = a.kind === 'stripe' ? await this.stripe() : await this.forGroup(a.groupId, a.channel);
    let secrets: string;
    if (a.secrets) secrets = seal(this.key(), JSON.stringify(a.secrets));
    else if (existing && existing.kind === a.kind) {
      // stored credentials never follow a changed API address: that would hand them to another host
      const moved = apiAddressFields.some((f) => (existing.publicConfig[f] ?? null) !== ((a.public as Record<string, unknown>)[f] ?? null));
      if (moved) throw new Error('credentials are required again when the API address changes');
      secrets = existing.secrets;
    } else throw new Error(`credentials are required for a new ${a.kind} account`);
    const row: AccountRow = {
      id: existing?.id ?? randomUUID(),
      groupId,
      channel: a.channel,
      kind: a.kind,
      publicConfig: a.public,
      secrets,
      sendRatePerSecond: a.sendRatePerSecond ?? existing?.sendRatePerSecond ?? defaultRate[a.kind],
      createdAt: existing?.createdAt ?? now,
      updatedAt: Math.max(now, (existing?.updatedAt ?? 0) + 1),
    };
    await this.db.run(
      `INSERT INTO provider_accounts (id, group_id, channel, kind, public_config, secrets, send_rate_per_second, created_at, updated_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (id) DO UPDATE SET group_id = excluded.group_id, channel = excluded.channel, kind = excluded.kind, public_config = excluded.public_config,
        secrets = excluded.secrets, send_rate_per_second = excluded.send_rate_per_second, updated_at = excluded.updated_at`,
      [row.id, row.groupId, row.channel, row.kind, JSON.stringify(row.publicConfig), row.secrets, row.sendRatePerSecond, row.createdAt, row.updatedAt],
    );
    return row;
  }

  async remove(id: string): Promise<boolean> {
    return (await this.db.run('DELETE FROM provider_accounts WHERE id = ?', [id])) > 0;
  }

  /** The decrypted, validated configuration the adapters need. */
  config(row: AccountRow): AccountConfig {
    const secrets: unknown = JSON.parse(open(this.key(), row.secrets));
    switch (row.kind) {
      case 'twilio':
        return { kind: 'twilio', row, config: { ...twilioPublic.parse(row.publicConfig), ...twilioSecrets.parse(secrets) } };
      case 'whatsapp-cloud':
        return { kind: 'whatsapp-cloud', row, config: { ...whatsappPublic.parse(row.publicConfig), ...whatsappSecrets.parse(secrets) } };
      case 'stripe':
        return { kind: 'stripe', row, config: { ...stripePublic.parse(row.publicConfig), ...stripeSecrets.parse(secrets) } };
    }
  }
}
