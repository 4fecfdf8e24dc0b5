// The report side tables (drizzle/client/0005_reports.sql) for messages the insert triggers
// skipped during an initial sync: filled by the index backfill, one rowid range at a time.
import type Database from 'better-sqlite3';

/** Counts messages with rowid in (lo, hi] into their quarter hours, and recomputes their conversations' first response and SLA wait. */
export function backfillReportTables(db: Database.Database, lo: number, hi: number): void {
  const range = { lo, hi };
  db.prepare(`INSERT INTO report_message_buckets(bucket, channel, direction, n)
    SELECT * FROM (SELECT created_at / 900000, channel, direction, count(*) FROM messages WHERE rowid > @lo AND rowid <= @hi GROUP BY 1, 2, 3) WHERE true
    ON CONFLICT(bucket, channel, direction) DO UPDATE SET n = n + excluded.n`).run(range);
  const convs = 'SELECT DISTINCT conversation_id AS cid FROM messages WHERE rowid > @lo AND rowid <= @hi';
  db.prepare(`DELETE FROM report_first_response WHERE conversation_id IN (${convs})`).run(range);
  db.prepare(`INSERT INTO report_first_response(conversation_id, group_id, first_in, first_out, responder)
    SELECT x.cid, (SELECT c.group_id FROM conversations c WHERE c.id = x.cid), x.fin, r.created_at, r.author_id
    FROM (SELECT k.cid, (SELECT min(m.created_at) FROM messages m WHERE m.conversation_id = k.cid AND m.direction = 'inbound') AS fin FROM (${convs}) k) x
    LEFT JOIN messages r ON r.rowid = (SELECT m.rowid FROM messages m WHERE m.conversation_id = x.cid AND m.direction = 'outbound' AND m.created_at >= x.fin
      AND m.author_id IS NOT NULL AND m.broadcast_id IS NULL ORDER BY m.created_at LIMIT 1)
    WHERE x.fin IS NOT NULL`).run(range);
  // the first-response SLA's waiting conversations (drizzle/client/0012_sla_waiting_triggers.sql)
  db.prepare(`DELETE FROM sla_waiting WHERE conversation_id IN (${convs})`).run(range);
  db.prepare(`INSERT INTO sla_waiting(conversation_id, since)
    SELECT x.cid, x.since FROM (SELECT k.cid, (SELECT m.created_at FROM messages m WHERE m.conversation_id = k.cid AND m.direction = 'inbound'
        AND m.created_at > COALESCE((SELECT r.created_at FROM messages r WHERE r.conversation_id = k.cid AND r.direction = 'outbound'
          AND r.author_id IS NOT NULL AND r.broadcast_id IS NULL ORDER BY r.created_at DESC LIMIT 1), -1)
        ORDER BY m.created_at LIMIT 1) AS since FROM (${convs}) k) x
    WHERE x.since IS NOT NULL`).run(range);
}
