CREATE TABLE `audit_log` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`actor_id` text NOT NULL,
	`action` text NOT NULL,
	`target` text NOT NULL,
	`at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `audit_log_at` ON `audit_log` (`at`);--> statement-breakpoint
ALTER TABLE `chats` ADD `meta_only` text;--> statement-breakpoint
ALTER TABLE `conversations` ADD `visibility_changed_by` text;--> statement-breakpoint
ALTER TABLE `conversations` ADD `meta_only` text;