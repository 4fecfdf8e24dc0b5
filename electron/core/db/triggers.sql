-- Client-only search indexes and index tables, kept in step by triggers so they stay
-- correct through every write path: optimistic mutations, undo (rebase), poke puts and
-- scope deletes. Copied into drizzle/client/ as a custom migration by `npm run db:generate:client`.
-- FTS tables use external content keyed by rowid: never VACUUM the replica.
-- Message text indexing can be deferred during an initial sync (it triples its cost):
-- rows with rowid <= upto are indexed, later ones are indexed by a backfill in chunks.
CREATE TABLE `fts_backfill` (`id` integer PRIMARY KEY NOT NULL CHECK (`id` = 1), `upto` integer NOT NULL);
--> statement-breakpoint
INSERT INTO `fts_backfill` (`id`, `upto`) VALUES (1, 9223372036854775807);
--> statement-breakpoint
-- The same for the conversation side tables below (assignees, counts, unread): insert-time
-- work for conversations with rowid > upto is done by the backfill instead.
CREATE TABLE `conversation_backfill` (`id` integer PRIMARY KEY NOT NULL CHECK (`id` = 1), `upto` integer NOT NULL);
--> statement-breakpoint
INSERT INTO `conversation_backfill` (`id`, `upto`) VALUES (1, 9223372036854775807);
--> statement-breakpoint
CREATE VIRTUAL TABLE `messages_fts` USING fts5(body, content='messages', content_rowid='rowid', tokenize='unicode61 remove_diacritics 2');
--> statement-breakpoint
CREATE TRIGGER `messages_fts_ai` AFTER INSERT ON `messages` WHEN new.rowid <= (SELECT upto FROM fts_backfill) BEGIN
  INSERT INTO messages_fts(rowid, body) VALUES (new.rowid, new.body);
END;
--> statement-breakpoint
CREATE TRIGGER `messages_fts_ad` AFTER DELETE ON `messages` WHEN old.rowid <= (SELECT upto FROM fts_backfill) BEGIN
  INSERT INTO messages_fts(messages_fts, rowid, body) VALUES ('delete', old.rowid, old.body);
END;
--> statement-breakpoint
CREATE TRIGGER `messages_fts_au` AFTER UPDATE OF body ON `messages` WHEN old.body IS NOT new.body AND old.rowid <= (SELECT upto FROM fts_backfill) BEGIN
  INSERT INTO messages_fts(messages_fts, rowid, body) VALUES ('delete', old.rowid, old.body);
  INSERT INTO messages_fts(rowid, body) VALUES (new.rowid, new.body);
END;
--> statement-breakpoint
CREATE VIRTUAL TABLE `notes_fts` USING fts5(body, content='notes', content_rowid='rowid', tokenize='unicode61 remove_diacritics 2');
--> statement-breakpoint
CREATE TRIGGER `notes_fts_ai` AFTER INSERT ON `notes` BEGIN
  INSERT INTO notes_fts(rowid, body) VALUES (new.rowid, new.body);
END;
--> statement-breakpoint
CREATE TRIGGER `notes_fts_ad` AFTER DELETE ON `notes` BEGIN
  INSERT INTO notes_fts(notes_fts, rowid, body) VALUES ('delete', old.rowid, old.body);
END;
--> statement-breakpoint
CREATE TRIGGER `notes_fts_au` AFTER UPDATE OF body ON `notes` WHEN old.body IS NOT new.body BEGIN
  INSERT INTO notes_fts(notes_fts, rowid, body) VALUES ('delete', old.rowid, old.body);
  INSERT INTO notes_fts(rowid, body) VALUES (new.rowid, new.body);
END;
--> statement-breakpoint
CREATE VIRTUAL TABLE `contacts_fts` USING fts5(name, phone, email, notes, content='contacts', content_rowid='rowid', tokenize='trigram');
--> statement-breakpoint
CREATE TRIGGER `contacts_fts_ai` AFTER INSERT ON `contacts` BEGIN
  INSERT INTO contacts_fts(rowid, name, phone, email, notes) VALUES (new.rowid, new.name, new.phone, new.email, new.notes);
END;
--> statement-breakpoint
CREATE TRIGGER `contacts_fts_ad` AFTER DELETE ON `contacts` BEGIN
  INSERT INTO contacts_fts(contacts_fts, rowid, name, phone, email, notes) VALUES ('delete', old.rowid, old.name, old.phone, old.email, old.notes);
END;
--> statement-breakpoint
CREATE TRIGGER `contacts_fts_au` AFTER UPDATE OF name, phone, email, notes ON `contacts`
WHEN old.name IS NOT new.name OR old.phone IS NOT new.phone OR old.email IS NOT new.email OR old.notes IS NOT new.notes BEGIN
  INSERT INTO contacts_fts(contacts_fts, rowid, name, phone, email, notes) VALUES ('delete', old.rowid, old.name, old.phone, old.email, old.notes);
  INSERT INTO contacts_fts(rowid, name, phone, email, notes) VALUES (new.rowid, new.name, new.phone, new.email, new.notes);
END;
--> statement-breakpoint
CREATE TRIGGER `conversation_assignees_ai` AFTER INSERT ON `conversations` WHEN new.rowid <= (SELECT upto FROM conversation_backfill) BEGIN
  INSERT OR IGNORE INTO conversation_assignees(user_id, conversation_id) SELECT value, new.id FROM json_each(new.assignees);
END;
--> statement-breakpoint
CREATE TRIGGER `conversation_assignees_au` AFTER UPDATE OF assignees ON `conversations` WHEN old.assignees IS NOT new.assignees BEGIN
  DELETE FROM conversation_assignees WHERE conversation_id = old.id;
  INSERT OR IGNORE INTO conversation_assignees(user_id, conversation_id) SELECT value, new.id FROM json_each(new.assignees);
END;
--> statement-breakpoint
CREATE TRIGGER `conversation_assignees_ad` AFTER DELETE ON `conversations` BEGIN
  DELETE FROM conversation_assignees WHERE conversation_id = old.id;
END;
--> statement-breakpoint
CREATE TRIGGER `chat_members_ai` AFTER INSERT ON `chats` BEGIN
  INSERT OR IGNORE INTO chat_members(user_id, chat_id) SELECT value, new.id FROM json_each(new.members);
END;
--> statement-breakpoint
CREATE TRIGGER `chat_members_au` AFTER UPDATE OF members ON `chats` WHEN old.members IS NOT new.members BEGIN
  DELETE FROM chat_members WHERE chat_id = old.id;
  INSERT OR IGNORE INTO chat_members(user_id, chat_id) SELECT value, new.id FROM json_each(new.members);
END;
--> statement-breakpoint
CREATE TRIGGER `chat_members_ad` AFTER DELETE ON `chats` BEGIN
  DELETE FROM chat_members WHERE chat_id = old.id;
END;
--> statement-breakpoint
-- Conversations per (group, status): inbox totals without counting 100k rows per query.
CREATE TABLE `conversation_counts` (`group_id` text NOT NULL, `status` text NOT NULL, `n` integer NOT NULL, PRIMARY KEY (`group_id`, `status`));
--> statement-breakpoint
CREATE TRIGGER `conversation_counts_ai` AFTER INSERT ON `conversations` WHEN new.rowid <= (SELECT upto FROM conversation_backfill) BEGIN
  INSERT INTO conversation_counts(group_id, status, n) VALUES (new.group_id, new.status, 1)
    ON CONFLICT(group_id, status) DO UPDATE SET n = n + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `conversation_counts_ad` AFTER DELETE ON `conversations` WHEN old.rowid <= (SELECT upto FROM conversation_backfill) BEGIN
  UPDATE conversation_counts SET n = n - 1 WHERE group_id = old.group_id AND status = old.status;
END;
--> statement-breakpoint
CREATE TRIGGER `conversation_counts_au` AFTER UPDATE OF group_id, status ON `conversations`
WHEN (old.group_id IS NOT new.group_id OR old.status IS NOT new.status) AND old.rowid <= (SELECT upto FROM conversation_backfill) BEGIN
  UPDATE conversation_counts SET n = n - 1 WHERE group_id = old.group_id AND status = old.status;
  INSERT INTO conversation_counts(group_id, status, n) VALUES (new.group_id, new.status, 1)
    ON CONFLICT(group_id, status) DO UPDATE SET n = n + 1;
END;
--> statement-breakpoint
-- Term lists of the text indexes: a typed prefix is expanded into the terms it matches
-- (an OR of terms is read lazily, newest first; a prefix query merges whole doclists).
CREATE VIRTUAL TABLE `messages_fts_vocab` USING fts5vocab(messages_fts, 'row');
--> statement-breakpoint
CREATE VIRTUAL TABLE `notes_fts_vocab` USING fts5vocab(notes_fts, 'row');
--> statement-breakpoint
-- Unread conversations, kept by triggers (the replica holds only its own user's read
-- marks): unread counts and "unread only" without comparing 100k rows per query.
CREATE INDEX `read_states_target` ON `read_states` (`target_id`);
--> statement-breakpoint
CREATE TABLE `unread_conversations` (`conversation_id` text PRIMARY KEY NOT NULL, `group_id` text NOT NULL, `status` text NOT NULL);
--> statement-breakpoint
CREATE INDEX `unread_conversations_status_group` ON `unread_conversations` (`status`, `group_id`);
--> statement-breakpoint
CREATE TRIGGER `unread_conversations_ai` AFTER INSERT ON `conversations`
WHEN new.rowid <= (SELECT upto FROM conversation_backfill) AND new.last_inbound_at IS NOT NULL AND NOT EXISTS (SELECT 1 FROM read_states r WHERE r.target_id = new.id AND r.last_read_at >= new.last_inbound_at) BEGIN
  INSERT OR REPLACE INTO unread_conversations(conversation_id, group_id, status) VALUES (new.id, new.group_id, new.status);
END;
--> statement-breakpoint
CREATE TRIGGER `unread_conversations_au` AFTER UPDATE OF last_inbound_at, status, group_id ON `conversations` BEGIN
  DELETE FROM unread_conversations WHERE conversation_id = old.id;
  INSERT INTO unread_conversations(conversation_id, group_id, status) SELECT new.id, new.group_id, new.status
    WHERE new.last_inbound_at IS NOT NULL AND NOT EXISTS (SELECT 1 FROM read_states r WHERE r.target_id = new.id AND r.last_read_at >= new.last_inbound_at);
END;
--> statement-breakpoint
CREATE TRIGGER `unread_conversations_ad` AFTER DELETE ON `conversations` BEGIN
  DELETE FROM unread_conversations WHERE conversation_id = old.id;
END;
--> statement-breakpoint
CREATE TRIGGER `unread_read_states_ai` AFTER INSERT ON `read_states` BEGIN
  DELETE FROM unread_conversations WHERE conversation_id = new.target_id;
  INSERT INTO unread_conversations(conversation_id, group_id, status) SELECT c.id, c.group_id, c.status FROM conversations c
    WHERE c.id = new.target_id AND c.last_inbound_at IS NOT NULL AND NOT EXISTS (SELECT 1 FROM read_states r WHERE r.target_id = c.id AND r.last_read_at >= c.last_inbound_at);
END;
--> statement-breakpoint
CREATE TRIGGER `unread_read_states_au` AFTER UPDATE ON `read_states` BEGIN
  DELETE FROM unread_conversations WHERE conversation_id IN (old.target_id, new.target_id);
  INSERT INTO unread_conversations(conversation_id, group_id, status) SELECT c.id, c.group_id, c.status FROM conversations c
    WHERE c.id IN (old.target_id, new.target_id) AND c.last_inbound_at IS NOT NULL AND NOT EXISTS (SELECT 1 FROM read_states r WHERE r.target_id = c.id AND r.last_read_at >= c.last_inbound_at);
END;
--> statement-breakpoint
CREATE TRIGGER `unread_read_states_ad` AFTER DELETE ON `read_states` BEGIN
  DELETE FROM unread_conversations WHERE conversation_id = old.target_id;
  INSERT INTO unread_conversations(conversation_id, group_id, status) SELECT c.id, c.group_id, c.status FROM conversations c
    WHERE c.id = old.target_id AND c.last_inbound_at IS NOT NULL AND NOT EXISTS (SELECT 1 FROM read_states r WHERE r.target_id = c.id AND r.last_read_at >= c.last_inbound_at);
END;
