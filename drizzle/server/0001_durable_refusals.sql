CREATE TABLE `rejected_mutations` (
	`client_id` text NOT NULL,
	`mutation_id` integer NOT NULL,
	`code` text NOT NULL,
	`message` text NOT NULL,
	`version` integer NOT NULL,
	PRIMARY KEY(`client_id`, `mutation_id`)
);
--> statement-breakpoint
CREATE INDEX `rejected_mutations_version` ON `rejected_mutations` (`version`);