-- Snooze and labels in the trigger-kept inbox tables (see 0001_fts_triggers.sql).
-- A snoozed conversation (status 'open', snoozed_by not null) counts under the status
-- 'snoozed' in conversation_counts and unread_conversations: Team inbox, My inbox and the
-- unread badges leave it out, the Snoozed view reads its own total. conversation_labels is
-- conversations.labels exploded, for the label filter.
DROP TRIGGER `conversation_counts_ai`;
--> statement-breakpoint
DROP TRIGGER `conversation_counts_ad`;
--> statement-breakpoint
DROP TRIGGER `conversation_counts_au`;
--> statement-breakpoint
DROP TRIGGER `unread_conversations_ai`;
--> statement-breakpoint
DROP TRIGGER `unread_conversations_au`;
--> statement-breakpoint
DROP TRIGGER `unread_read_states_ai`;
--> statement-breakpoint
DROP TRIGGER `unread_read_states_au`;
--> statement-breakpoint
DROP TRIGGER `unread_read_states_ad`;
--> statement-breakpoint
CREATE TRIGGER `conversation_counts_ai` AFTER INSERT ON `conversations` WHEN new.rowid <= (SELECT upto FROM conversation_backfill) BEGIN
  INSERT INTO conversation_counts(group_id, status, n)
    VALUES (new.group_id, CASE WHEN new.snoozed_by IS NOT NULL AND new.status = 'open' THEN 'snoozed' ELSE new.status END, 1)
    ON CONFLICT(group_id, status) DO UPDATE SET n = n + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `conversation_counts_ad` AFTER DELETE ON `conversations` WHEN old.rowid <= (SELECT upto FROM conversation_backfill) BEGIN
  UPDATE conversation_counts SET n = n - 1
    WHERE group_id = old.group_id AND status = CASE WHEN old.snoozed_by IS NOT NULL AND old.status = 'open' THEN 'snoozed' ELSE old.status END;
END;
--> statement-breakpoint
CREATE TRIGGER `conversation_counts_au` AFTER UPDATE OF group_id, status, snoozed_by ON `conversations`
WHEN (old.group_id IS NOT new.group_id OR old.status IS NOT new.status OR (old.snoozed_by IS NULL) <> (new.snoozed_by IS NULL))
  AND old.rowid <= (SELECT upto FROM conversation_backfill) BEGIN
  UPDATE conversation_counts SET n = n - 1
    WHERE group_id = old.group_id AND status = CASE WHEN old.snoozed_by IS NOT NULL AND old.status = 'open' THEN 'snoozed' ELSE old.status END;
  INSERT INTO conversation_counts(group_id, status, n)
    VALUES (new.group_id, CASE WHEN new.snoozed_by IS NOT NULL AND new.status = 'open' THEN 'snoozed' ELSE new.status END, 1)
    ON CONFLICT(group_id, status) DO UPDATE SET n = n + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `unread_conversations_ai` AFTER INSERT ON `conversations`
WHEN new.rowid <= (SELECT upto FROM conversation_backfill) AND new.last_inbound_at IS NOT NULL AND NOT EXISTS (SELECT 1 FROM read_states r WHERE r.target_id = new.id AND r.last_read_at >= new.last_inbound_at) BEGIN
  INSERT OR REPLACE INTO unread_conversations(conversation_id, group_id, status)
    VALUES (new.id, new.group_id, CASE WHEN new.snoozed_by IS NOT NULL AND new.status = 'open' THEN 'snoozed' ELSE new.status END);
END;
--> statement-breakpoint
CREATE TRIGGER `unread_conversations_au` AFTER UPDATE OF last_inbound_at, status, group_id, snoozed_by ON `conversations` BEGIN
  DELETE FROM unread_conversations WHERE conversation_id = old.id;
  INSERT INTO unread_conversations(conversation_id, group_id, status)
    SELECT new.id, new.group_id, CASE WHEN new.snoozed_by IS NOT NULL AND new.status = 'open' THEN 'snoozed' ELSE new.status END
    WHERE new.last_inbound_at IS NOT NULL AND NOT EXISTS (SELECT 1 FROM read_states r WHERE r.target_id = new.id AND r.last_read_at >= new.last_inbound_at);
END;
--> statement-breakpoint
CREATE TRIGGER `unread_read_states_ai` AFTER INSERT ON `read_states` BEGIN
  DELETE FROM unread_conversations WHERE conversation_id = new.target_id;
  INSERT INTO unread_conversations(conversation_id, group_id, status)
    SELECT c.id, c.group_id, CASE WHEN c.snoozed_by IS NOT NULL AND c.status = 'open' THEN 'snoozed' ELSE c.status END FROM conversations c
    WHERE c.id = new.target_id AND c.last_inbound_at IS NOT NULL AND NOT EXISTS (SELECT 1 FROM read_states r WHERE r.target_id = c.id AND r.last_read_at >= c.last_inbound_at);
END;
--> statement-breakpoint
CREATE TRIGGER `unread_read_states_au` AFTER UPDATE ON `read_states` BEGIN
  DELETE FROM unread_conversations WHERE conversation_id IN (old.target_id, new.target_id);
  INSERT INTO unread_conversations(conversation_id, group_id, status)
    SELECT c.id, c.group_id, CASE WHEN c.snoozed_by IS NOT NULL AND c.status = 'open' THEN 'snoozed' ELSE c.status END FROM conversations c
    WHERE c.id IN (old.target_id, new.target_id) AND c.last_inbound_at IS NOT NULL AND NOT EXISTS (SELECT 1 FROM read_states r WHERE r.target_id = c.id AND r.last_read_at >= c.last_inbound_at);
END;
--> statement-breakpoint
CREATE TRIGGER `unread_read_states_ad` AFTER DELETE ON `read_states` BEGIN
  DELETE FROM unread_conversations WHERE conversation_id = old.target_id;
  INSERT INTO unread_conversations(conversation_id, group_id, status)
    SELECT c.id, c.group_id, CASE WHEN c.snoozed_by IS NOT NULL AND c.status = 'open' THEN 'snoozed' ELSE c.status END FROM conversations c
    WHERE c.id = old.target_id AND c.last_inbound_at IS NOT NULL AND NOT EXISTS (SELECT 1 FROM read_states r WHERE r.target_id = c.id AND r.last_read_at >= c.last_inbound_at);
END;
--> statement-breakpoint
CREATE TRIGGER `conversation_labels_ai` AFTER INSERT ON `conversations` WHEN new.rowid <= (SELECT upto FROM conversation_backfill) BEGIN
  INSERT OR IGNORE INTO conversation_labels(label_id, conversation_id) SELECT value, new.id FROM json_each(new.labels);
END;
--> statement-breakpoint
CREATE TRIGGER `conversation_labels_au` AFTER UPDATE OF labels ON `conversations` WHEN old.labels IS NOT new.labels BEGIN
  DELETE FROM conversation_labels WHERE conversation_id = old.id;
  INSERT OR IGNORE INTO conversation_labels(label_id, conversation_id) SELECT value, new.id FROM json_each(new.labels);
END;
--> statement-breakpoint
CREATE TRIGGER `conversation_labels_ad` AFTER DELETE ON `conversations` BEGIN
  DELETE FROM conversation_labels WHERE conversation_id = old.id;
END;
