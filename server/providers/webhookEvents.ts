// Webhook deliveries already handled, so a provider's retry of the same delivery is a no-op.
import type Database from 'better-sqlite3';

const KEEP_MS = 7 * 24 * 3600 * 1000;

export class WebhookEvents {
  private readonly hasStmt: Database.Statement<[string], { id: string }>;
  private readonly addStmt: Database.Statement<[string, number]>;
  private readonly pruneStmt: Database.Statement<[number]>;
  private added = 0;

  constructor(db: Database.Database) {
    this.hasStmt = db.prepare('SELECT id FROM webhook_events WHERE id = ?');
    this.addStmt = db.prepare('INSERT OR IGNORE INTO webhook_events (id, received_at) VALUES (?, ?)');
    this.pruneStmt = db.prepare('DELETE FROM webhook_events WHERE received_at < ?');
  }

  seen(id: string): boolean {
    return this.hasStmt.get(id) !== undefined;
  }

  /** Record after the delivery was handled, so a failed attempt is handled again on retry. */
  remember(id: string, now = Date.now()): void {
    this.addStmt.run(id, now);
    if (++this.added % 500 === 0) this.pruneStmt.run(now - KEEP_MS);
  }
}
