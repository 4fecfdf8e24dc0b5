ALTER TABLE `groups` ADD `payment_instructions` text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE `groups` ADD `channel_providers` text DEFAULT '{"sms":"simulator","whatsapp":"simulator"}' NOT NULL;--> statement-breakpoint
ALTER TABLE `invoices` ADD `refunded_amount` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `invoices` ADD `link_expired` integer DEFAULT false NOT NULL;