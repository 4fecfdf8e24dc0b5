-- Reports (electron/core/bridge/reportQueries.ts) read periods by time: conversations opened
-- and archived in a range, and messages written in a range (covering: channel and direction).
-- Replica-only: the relay never reads these.
CREATE INDEX `conversations_created` ON `conversations` (`created_at`, `group_id`);--> statement-breakpoint
CREATE INDEX `conversations_archived` ON `conversations` (`archived_at`) WHERE `archived_at` IS NOT NULL;--> statement-breakpoint
CREATE INDEX `messages_created` ON `messages` (`created_at`, `direction`, `channel`);
