// A multi-part SMS sent as separate texts (Twilio: one API message, one SID and one status
// callback per part) is delivered only when every part is; failed as soon as one part fails;
// sent while parts are in flight. Parts are tracked in the relay-only meta table (JSON per
// message, never synced) from just before the send until the message's outcome is known.
import type { Db } from '../db/open';
import type { SqlStatement } from '../../shared/store/rowStore';

type PartStatus = 'sent' | 'delivered' | 'read' | 'failed';
const rank: Record<PartStatus, number> = { sent: 1, delivered: 2, read: 3, failed: 0 };

interface PartsRecord {
  total: number;
  /** provider part id → its latest status (and failure reason) */
  parts: Record<string, { status: PartStatus; reason?: string | null }>;
}

export interface StatusUpdate {
  messageId: string;
  providerMessageId?: string;
  status: PartStatus;
  failureReason?: string | null;
}

export class SmsPartTracker {
  private readonly getStmt: SqlStatement;
  private readonly setStmt: SqlStatement;
  private readonly delStmt: SqlStatement;

  constructor(db: Db) {
    this.getStmt = db.prepare('SELECT value FROM meta WHERE key = ?');
    this.setStmt = db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value');
    this.delStmt = db.prepare('DELETE FROM meta WHERE key = ?');
  }

  private key(messageId: string): string {
    return `smsParts:${messageId}`;
  }

  /** Before sending: expect `total` per-part callbacks (nothing to track for one part). */
  expect(messageId: string, total: number): void {
    if (total > 1) this.setStmt.run(this.key(messageId), JSON.stringify({ total, parts: {} } satisfies PartsRecord));
  }

  forget(messageId: string): void {
    this.delStmt.run(this.key(messageId));
  }

  /** The message-level update a part's callback amounts to (unchanged for untracked messages). */
  combine(u: StatusUpdate): StatusUpdate {
    const row = this.getStmt.get(this.key(u.messageId)) as { value: string } | undefined;
    if (!row || !u.providerMessageId) return u;
    const rec = JSON.parse(row.value) as PartsRecord;
    const prev = rec.parts[u.providerMessageId];
    // per part, never backwards: a part delivered stays delivered, a failed part stays failed
    if (!prev || (prev.status !== 'failed' && (u.status === 'failed' ? rank[prev.status] < rank.delivered : rank[u.status] > rank[prev.status]))) {
      rec.parts[u.providerMessageId] = { status: u.status, ...(u.status === 'failed' ? { reason: u.failureReason ?? null } : {}) };
    }
    const parts = Object.values(rec.parts);
    const failed = parts.find((p) => p.status === 'failed');
    if (failed) {
      this.forget(u.messageId);
      return { ...u, status: 'failed', failureReason: failed.reason ?? null };
    }
    const done = parts.filter((p) => rank[p.status] >= rank.delivered);
    if (done.length >= rec.total) {
      this.forget(u.messageId);
      return { ...u, status: done.every((p) => p.status === 'read') ? 'read' : 'delivered', failureReason: null };
    }
    this.setStmt.run(this.key(u.messageId), JSON.stringify(rec));
    return { ...u, status: 'sent', failureReason: null };
  }
}
