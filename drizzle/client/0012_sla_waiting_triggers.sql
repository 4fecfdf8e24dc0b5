-- First-response SLA (shared/domain/sla.ts, electron/core/bridge/slaQueries.ts): per conversation
-- that waits for an answer, since when. Waiting = the customer's last message has no later reply
-- written by a person (broadcasts and automatic messages do not answer, as in report_first_response);
-- `since` = the first inbound message after the last such reply: the first-response clock's start.
-- Kept by triggers on every write path like the report tables (0006): deferred during an initial
-- sync (rows with rowid > fts_backfill.upto) and filled by the same backfill (db/reportTables.ts).
-- The deadline itself depends on the group's business hours and is computed in code; per group it
-- grows with `since`, so the SLA sort reads each group's rows in `since` order.
CREATE TABLE `sla_waiting` (`conversation_id` text PRIMARY KEY NOT NULL, `since` integer NOT NULL);
--> statement-breakpoint
CREATE INDEX `sla_waiting_since` ON `sla_waiting` (`since`, `conversation_id`);
--> statement-breakpoint
CREATE TRIGGER `sla_waiting_ai` AFTER INSERT ON `messages` WHEN new.rowid <= (SELECT upto FROM fts_backfill) BEGIN
  DELETE FROM sla_waiting WHERE conversation_id = new.conversation_id;
  INSERT INTO sla_waiting(conversation_id, since)
    SELECT x.cid, x.since FROM (SELECT k.cid, (SELECT m.created_at FROM messages m WHERE m.conversation_id = k.cid AND m.direction = 'inbound'
        AND m.created_at > COALESCE((SELECT r.created_at FROM messages r WHERE r.conversation_id = k.cid AND r.direction = 'outbound'
          AND r.author_id IS NOT NULL AND r.broadcast_id IS NULL ORDER BY r.created_at DESC LIMIT 1), -1)
        ORDER BY m.created_at LIMIT 1) AS since FROM (SELECT new.conversation_id AS cid) k) x
    WHERE x.since IS NOT NULL;
END;
--> statement-breakpoint
CREATE TRIGGER `sla_waiting_ad` AFTER DELETE ON `messages` WHEN old.rowid <= (SELECT upto FROM fts_backfill) BEGIN
  DELETE FROM sla_waiting WHERE conversation_id = old.conversation_id;
  INSERT INTO sla_waiting(conversation_id, since)
    SELECT x.cid, x.since FROM (SELECT k.cid, (SELECT m.created_at FROM messages m WHERE m.conversation_id = k.cid AND m.direction = 'inbound'
        AND m.created_at > COALESCE((SELECT r.created_at FROM messages r WHERE r.conversation_id = k.cid AND r.direction = 'outbound'
          AND r.author_id IS NOT NULL AND r.broadcast_id IS NULL ORDER BY r.created_at DESC LIMIT 1), -1)
        ORDER BY m.created_at LIMIT 1) AS since FROM (SELECT old.conversation_id AS cid) k) x
    WHERE x.since IS NOT NULL;
END;
--> statement-breakpoint
CREATE TRIGGER `sla_waiting_au` AFTER UPDATE OF conversation_id, direction, created_at, author_id, broadcast_id ON `messages`
WHEN (old.conversation_id IS NOT new.conversation_id OR old.direction IS NOT new.direction OR old.created_at IS NOT new.created_at
  OR old.author_id IS NOT new.author_id OR old.broadcast_id IS NOT new.broadcast_id) AND old.rowid <= (SELECT upto FROM fts_backfill) BEGIN
  DELETE FROM sla_waiting WHERE conversation_id IN (old.conversation_id, new.conversation_id);
  INSERT INTO sla_waiting(conversation_id, since)
    SELECT x.cid, x.since FROM (SELECT k.cid, (SELECT m.created_at FROM messages m WHERE m.conversation_id = k.cid AND m.direction = 'inbound'
        AND m.created_at > COALESCE((SELECT r.created_at FROM messages r WHERE r.conversation_id = k.cid AND r.direction = 'outbound'
          AND r.author_id IS NOT NULL AND r.broadcast_id IS NULL ORDER BY r.created_at DESC LIMIT 1), -1)
        ORDER BY m.created_at LIMIT 1) AS since FROM (SELECT old.conversation_id AS cid UNION SELECT new.conversation_id) k) x
    WHERE x.since IS NOT NULL;
END;
--> statement-breakpoint
CREATE TRIGGER `sla_waiting_conv_ad` AFTER DELETE ON `conversations` BEGIN
  DELETE FROM sla_waiting WHERE conversation_id = old.id;
END;
--> statement-breakpoint
-- What this replica already holds (a backfill in progress does the rest).
INSERT INTO sla_waiting(conversation_id, since)
    SELECT x.cid, x.since FROM (SELECT k.cid, (SELECT m.created_at FROM messages m WHERE m.conversation_id = k.cid AND m.direction = 'inbound'
        AND m.created_at > COALESCE((SELECT r.created_at FROM messages r WHERE r.conversation_id = k.cid AND r.direction = 'outbound'
          AND r.author_id IS NOT NULL AND r.broadcast_id IS NULL ORDER BY r.created_at DESC LIMIT 1), -1)
        ORDER BY m.created_at LIMIT 1) AS since FROM (SELECT DISTINCT conversation_id AS cid FROM messages WHERE rowid <= (SELECT upto FROM fts_backfill)) k) x
    WHERE x.since IS NOT NULL;
