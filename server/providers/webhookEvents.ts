// Webhook deliveries already handled, so a provider's retry of the same delivery is a no-op.
import type { RelayStore } from '../store/types';

const KEEP_MS = 7 * 24 * 3600 * 1000;

export class WebhookEvents {
  private added = 0;

  constructor(private readonly store: RelayStore) {}

  async seen(id: string): Promise<boolean> {
    return (await this.store.get('SELECT id FROM webhook_events WHERE id = ?', [id])) !== undefined;
  }

  /** Record after the delivery was handled, so a failed attempt is handled again on retry. */
  async remember(id: string, now = Date.now()): Promise<void> {
    await this.store.run('INSERT INTO webhook_events (id, received_at) VALUES (?, ?) ON CONFLICT (id) DO NOTHING', [id, now]);
    if (++this.added % 500 === 0) await this.store.run('DELETE FROM webhook_events WHERE received_at < ?', [now - KEEP_MS]);
  }
}
