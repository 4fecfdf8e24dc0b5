-- Team-chat messages in local search: an FTS5 index over chat_messages.body kept by triggers
-- (every write path: optimistic, undo, poke, scope delete), filled once for rows already there.
CREATE VIRTUAL TABLE `chat_messages_fts` USING fts5(body, content='chat_messages', content_rowid='rowid', tokenize='unicode61 remove_diacritics 2');
--> statement-breakpoint
CREATE TRIGGER `chat_messages_fts_ai` AFTER INSERT ON `chat_messages` BEGIN
  INSERT INTO chat_messages_fts(rowid, body) VALUES (new.rowid, new.body);
END;
--> statement-breakpoint
CREATE TRIGGER `chat_messages_fts_ad` AFTER DELETE ON `chat_messages` BEGIN
  INSERT INTO chat_messages_fts(chat_messages_fts, rowid, body) VALUES ('delete', old.rowid, old.body);
END;
--> statement-breakpoint
CREATE TRIGGER `chat_messages_fts_au` AFTER UPDATE OF body ON `chat_messages` WHEN old.body IS NOT new.body BEGIN
  INSERT INTO chat_messages_fts(chat_messages_fts, rowid, body) VALUES ('delete', old.rowid, old.body);
  INSERT INTO chat_messages_fts(rowid, body) VALUES (new.rowid, new.body);
END;
--> statement-breakpoint
INSERT INTO chat_messages_fts(chat_messages_fts) VALUES ('rebuild');
--> statement-breakpoint
CREATE VIRTUAL TABLE `chat_messages_fts_vocab` USING fts5vocab(chat_messages_fts, 'row');
