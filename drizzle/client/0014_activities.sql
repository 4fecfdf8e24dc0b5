CREATE TABLE `activities` (
	`id` text PRIMARY KEY NOT NULL,
	`conversation_id` text NOT NULL,
	`kind` text NOT NULL,
	`actor_id` text,
	`at` integer NOT NULL,
	`details` text NOT NULL,
	`version` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE INDEX `activities_conversation` ON `activities` (`conversation_id`,`at`);--> statement-breakpoint
CREATE INDEX `activities_version` ON `activities` (`version`);