-- Reports (electron/core/bridge/reportQueries.ts): each chart answers within 200 ms on a
-- replica of 100k conversations / 1M messages (bench/reports.bench.ts). Side tables kept by
-- triggers on every write path, like the inbox's (0001): deferred with the message text index
-- during an initial sync (rows with rowid > fts_backfill.upto) and filled by the same backfill
-- (engine.backfillIndexes). Both hold only what the replica holds: messages exist only for
-- conversations whose content this user may read.
--
-- Messages per quarter hour (created_at / 900000), channel and direction: messages by channel
-- and the busiest hours in any time zone read a few thousand rows instead of every message.
CREATE TABLE `report_message_buckets` (`bucket` integer NOT NULL, `channel` text NOT NULL, `direction` text NOT NULL, `n` integer NOT NULL, PRIMARY KEY (`bucket`, `channel`, `direction`)) WITHOUT ROWID;
--> statement-breakpoint
CREATE TRIGGER `report_message_buckets_ai` AFTER INSERT ON `messages` WHEN new.rowid <= (SELECT upto FROM fts_backfill) BEGIN
  INSERT INTO report_message_buckets(bucket, channel, direction, n) VALUES (new.created_at / 900000, new.channel, new.direction, 1)
    ON CONFLICT(bucket, channel, direction) DO UPDATE SET n = n + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `report_message_buckets_ad` AFTER DELETE ON `messages` WHEN old.rowid <= (SELECT upto FROM fts_backfill) BEGIN
  UPDATE report_message_buckets SET n = n - 1 WHERE bucket = old.created_at / 900000 AND channel = old.channel AND direction = old.direction;
END;
--> statement-breakpoint
CREATE TRIGGER `report_message_buckets_au` AFTER UPDATE OF created_at, channel, direction ON `messages`
WHEN (old.created_at IS NOT new.created_at OR old.channel IS NOT new.channel OR old.direction IS NOT new.direction) AND old.rowid <= (SELECT upto FROM fts_backfill) BEGIN
  UPDATE report_message_buckets SET n = n - 1 WHERE bucket = old.created_at / 900000 AND channel = old.channel AND direction = old.direction;
  INSERT INTO report_message_buckets(bucket, channel, direction, n) VALUES (new.created_at / 900000, new.channel, new.direction, 1)
    ON CONFLICT(bucket, channel, direction) DO UPDATE SET n = n + 1;
END;
--> statement-breakpoint
-- Per conversation: when the customer first wrote, and the first reply a person wrote after
-- it (not a broadcast, not an automatic message), with its author. Recomputed from two index
-- seeks whenever a message of the conversation is written or deleted.
CREATE INDEX `messages_conversation_direction` ON `messages` (`conversation_id`, `direction`, `created_at`);
--> statement-breakpoint
CREATE TABLE `report_first_response` (`conversation_id` text PRIMARY KEY NOT NULL, `group_id` text, `first_in` integer NOT NULL, `first_out` integer, `responder` text);
--> statement-breakpoint
CREATE INDEX `report_first_response_in` ON `report_first_response` (`first_in`, `group_id`, `first_out`, `responder`);
--> statement-breakpoint
CREATE TRIGGER `report_first_response_ai` AFTER INSERT ON `messages` WHEN new.rowid <= (SELECT upto FROM fts_backfill) BEGIN
  DELETE FROM report_first_response WHERE conversation_id = new.conversation_id;
  INSERT INTO report_first_response(conversation_id, group_id, first_in, first_out, responder)
    SELECT x.cid, (SELECT c.group_id FROM conversations c WHERE c.id = x.cid), x.fin, r.created_at, r.author_id
    FROM (SELECT new.conversation_id AS cid, (SELECT min(m.created_at) FROM messages m WHERE m.conversation_id = new.conversation_id AND m.direction = 'inbound') AS fin) x
    LEFT JOIN messages r ON r.rowid = (SELECT m.rowid FROM messages m WHERE m.conversation_id = x.cid AND m.direction = 'outbound' AND m.created_at >= x.fin
      AND m.author_id IS NOT NULL AND m.broadcast_id IS NULL ORDER BY m.created_at LIMIT 1)
    WHERE x.fin IS NOT NULL;
END;
--> statement-breakpoint
CREATE TRIGGER `report_first_response_ad` AFTER DELETE ON `messages` WHEN old.rowid <= (SELECT upto FROM fts_backfill) BEGIN
  DELETE FROM report_first_response WHERE conversation_id = old.conversation_id;
  INSERT INTO report_first_response(conversation_id, group_id, first_in, first_out, responder)
    SELECT x.cid, (SELECT c.group_id FROM conversations c WHERE c.id = x.cid), x.fin, r.created_at, r.author_id
    FROM (SELECT old.conversation_id AS cid, (SELECT min(m.created_at) FROM messages m WHERE m.conversation_id = old.conversation_id AND m.direction = 'inbound') AS fin) x
    LEFT JOIN messages r ON r.rowid = (SELECT m.rowid FROM messages m WHERE m.conversation_id = x.cid AND m.direction = 'outbound' AND m.created_at >= x.fin
      AND m.author_id IS NOT NULL AND m.broadcast_id IS NULL ORDER BY m.created_at LIMIT 1)
    WHERE x.fin IS NOT NULL;
END;
--> statement-breakpoint
CREATE TRIGGER `report_first_response_au` AFTER UPDATE OF conversation_id, direction, created_at, author_id, broadcast_id ON `messages`
WHEN (old.conversation_id IS NOT new.conversation_id OR old.direction IS NOT new.direction OR old.created_at IS NOT new.created_at
  OR old.author_id IS NOT new.author_id OR old.broadcast_id IS NOT new.broadcast_id) AND old.rowid <= (SELECT upto FROM fts_backfill) BEGIN
  DELETE FROM report_first_response WHERE conversation_id IN (old.conversation_id, new.conversation_id);
  INSERT INTO report_first_response(conversation_id, group_id, first_in, first_out, responder)
    SELECT x.cid, (SELECT c.group_id FROM conversations c WHERE c.id = x.cid), x.fin, r.created_at, r.author_id
    FROM (SELECT k.cid, (SELECT min(m.created_at) FROM messages m WHERE m.conversation_id = k.cid AND m.direction = 'inbound') AS fin
          FROM (SELECT old.conversation_id AS cid UNION SELECT new.conversation_id) k) x
    LEFT JOIN messages r ON r.rowid = (SELECT m.rowid FROM messages m WHERE m.conversation_id = x.cid AND m.direction = 'outbound' AND m.created_at >= x.fin
      AND m.author_id IS NOT NULL AND m.broadcast_id IS NULL ORDER BY m.created_at LIMIT 1)
    WHERE x.fin IS NOT NULL;
END;
--> statement-breakpoint
-- the group follows the conversation (a row can also arrive before its conversation)
CREATE TRIGGER `report_first_response_conv_ai` AFTER INSERT ON `conversations` BEGIN
  UPDATE report_first_response SET group_id = new.group_id WHERE conversation_id = new.id;
END;
--> statement-breakpoint
CREATE TRIGGER `report_first_response_conv_au` AFTER UPDATE OF group_id ON `conversations` WHEN old.group_id IS NOT new.group_id BEGIN
  UPDATE report_first_response SET group_id = new.group_id WHERE conversation_id = new.id;
END;
--> statement-breakpoint
-- What this replica already holds (a backfill in progress does the rest).
INSERT INTO report_message_buckets(bucket, channel, direction, n)
  SELECT created_at / 900000, channel, direction, count(*) FROM messages WHERE rowid <= (SELECT upto FROM fts_backfill) GROUP BY 1, 2, 3;
--> statement-breakpoint
INSERT INTO report_first_response(conversation_id, group_id, first_in, first_out, responder)
  SELECT x.cid, (SELECT c.group_id FROM conversations c WHERE c.id = x.cid), x.fin, r.created_at, r.author_id
  FROM (SELECT k.cid, (SELECT min(m.created_at) FROM messages m WHERE m.conversation_id = k.cid AND m.direction = 'inbound') AS fin
        FROM (SELECT DISTINCT conversation_id AS cid FROM messages WHERE rowid <= (SELECT upto FROM fts_backfill)) k) x
  LEFT JOIN messages r ON r.rowid = (SELECT m.rowid FROM messages m WHERE m.conversation_id = x.cid AND m.direction = 'outbound' AND m.created_at >= x.fin
    AND m.author_id IS NOT NULL AND m.broadcast_id IS NULL ORDER BY m.created_at LIMIT 1)
  WHERE x.fin IS NOT NULL;
--> statement-breakpoint
-- Periods by time, covering what each chart reads, over the conversations whose content this
-- user holds (metadata-only rows, 0005, are never counted).
CREATE INDEX `conversations_created` ON `conversations` (`created_at`, `group_id`, `meta_only`);
--> statement-breakpoint
CREATE INDEX `conversations_archived` ON `conversations` (`archived_at`, `status`, `opened_at`, `group_id`, `assignees`, `meta_only`) WHERE `archived_at` IS NOT NULL;
--> statement-breakpoint
CREATE INDEX `conversations_open_backlog` ON `conversations` (`group_id`, `assignees`, `last_inbound_at`, `last_activity_at`, `meta_only`) WHERE `status` = 'open';
