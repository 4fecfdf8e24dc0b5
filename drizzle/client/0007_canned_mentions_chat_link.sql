CREATE TABLE `canned_responses` (
	`id` text PRIMARY KEY NOT NULL,
	`owner_id` text,
	`group_id` text,
	`title` text NOT NULL,
	`body` text NOT NULL,
	`attachments` text NOT NULL,
	`created_by` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`version` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE INDEX `canned_responses_version` ON `canned_responses` (`version`);--> statement-breakpoint
CREATE TABLE `mentions` (
	`id` text PRIMARY KEY NOT NULL,
	`note_id` text NOT NULL,
	`conversation_id` text NOT NULL,
	`user_id` text NOT NULL,
	`author_id` text NOT NULL,
	`created_at` integer NOT NULL,
	`read_at` integer,
	`version` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE INDEX `mentions_conversation` ON `mentions` (`conversation_id`);--> statement-breakpoint
CREATE INDEX `mentions_note` ON `mentions` (`note_id`);--> statement-breakpoint
CREATE INDEX `mentions_user` ON `mentions` (`user_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `mentions_version` ON `mentions` (`version`);--> statement-breakpoint
ALTER TABLE `chats` ADD `conversation_id` text;