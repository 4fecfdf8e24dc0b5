ALTER TABLE `chats` ADD `meta_only` text;--> statement-breakpoint
ALTER TABLE `conversations` ADD `visibility_changed_by` text;--> statement-breakpoint
ALTER TABLE `conversations` ADD `meta_only` text;