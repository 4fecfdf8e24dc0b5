ALTER TABLE `groups` ADD `sla_first_response_minutes` integer;--> statement-breakpoint
ALTER TABLE `groups` ADD `business_hours` text;