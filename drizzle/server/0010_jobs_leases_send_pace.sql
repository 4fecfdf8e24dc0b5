CREATE TABLE `jobs` (
	`id` text PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`payload` text NOT NULL,
	`next_at` integer NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`seq` integer DEFAULT 0 NOT NULL,
	`owner` text,
	`lease_until` integer,
	`last_error` text,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `jobs_next` ON `jobs` (`next_at`);--> statement-breakpoint
CREATE INDEX `jobs_lease` ON `jobs` (`lease_until`);--> statement-breakpoint
CREATE TABLE `send_pace` (
	`account_id` text PRIMARY KEY NOT NULL,
	`next_at` integer NOT NULL
);
--> statement-breakpoint
ALTER TABLE `timers` ADD `owner` text;--> statement-breakpoint
ALTER TABLE `timers` ADD `lease_until` integer;--> statement-breakpoint
CREATE INDEX `timers_lease` ON `timers` (`lease_until`);