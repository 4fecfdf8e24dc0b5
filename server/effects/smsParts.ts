// A multi-part SMS sent as separate texts (Twilio: one API message, one SID and one status
// callback per part) is delivered only when every part is; failed as soon as one part fails;
// sent while parts are in flight. Parts are tracked in the relay-only meta table (JSON per
// message, never synced) from just before the send until the message's outcome is known.
import { GET_META, SET_META } from '../db/meta';
import type { RelayStore, Sql } from '../store/types';

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
  constructor(private readonly store: RelayStore) {}

  private key(messageId: string): string {
    return `smsParts:${messageId}`;
  }

  /** Before sending: expect `total` per-part callbacks (nothing to track for one part). */
  async expect(messageId: string, total: number): Promise<void> {
    if (total > 1) await this.store.run(SET_META, [this.key(messageId), JSON.stringify({ total, parts: {} } satisfies PartsRecord)]);
  }

  async forget(messageId: string): Promise<void> {
    await this.store.run(DEL, [this.key(messageId)]);
  }

  /**
   * The message-level update a part's callback amounts to (unchanged for untracked messages).
   * Read and updated in one write: callbacks of several parts may arrive at once.
   */
  async combine(u: StatusUpdate): Promise<StatusUpdate> {
    return this.store.write((tx) => this.combineIn(tx, u));
  }

  private async combineIn(tx: Sql, u: StatusUpdate): Promise<StatusUpdate> {
    const row = await tx.get<{ value: string }>(GET_META, [this.key(u.messageId)]);
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
      await tx.run(DEL, [this.key(u.messageId)]);
      return { ...u, status: 'failed', failureReason: failed.reason ?? null };
    }
    const done = parts.filter((p) => rank[p.status] >= rank.delivered);
    if (done.length >= rec.total) {
      await tx.run(DEL, [this.key(u.messageId)]);
      return { ...u, status: done.every((p) => p.status === 'read') ? 'read' : 'delivered', failureReason: null };
    }
    await tx.run(SET_META, [this.key(u.messageId), JSON.stringify(rec)]);
    return { ...u, status: 'sent', failureReason: null };
  }
}

const DEL = 'DELETE FROM meta WHERE key = ?';
