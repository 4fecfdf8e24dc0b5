ALTER TABLE `conversations` ADD `auto_assign_waiting` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `conversations` ADD `auto_assigned_to` text;--> statement-breakpoint
ALTER TABLE `conversations` ADD `auto_assigned_at` integer;--> statement-breakpoint
CREATE INDEX `conversations_auto_assign_waiting` ON `conversations` (`group_id`,`auto_assign_waiting`);--> statement-breakpoint
ALTER TABLE `groups` ADD `auto_assign` text DEFAULT 'off' NOT NULL;--> statement-breakpoint
ALTER TABLE `groups` ADD `auto_assign_capacity` integer DEFAULT 5 NOT NULL;--> statement-breakpoint
ALTER TABLE `groups` ADD `auto_assign_last` text;--> statement-breakpoint
ALTER TABLE `users` ADD `accepting` integer DEFAULT true NOT NULL;