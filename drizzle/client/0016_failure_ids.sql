-- Each failure gets its own id (electron/core/db/localSchema.ts `failures`): mutation ids restart
-- at 1 under a new client id (Engine.becomeNewClient), so `mutation_id` alone was not a key and a
-- later refusal overwrote an older, undismissed one. Rebuilt as drizzle-kit generated it (the
-- replica has no foreign keys: its PRAGMA foreign_keys lines are left out), except the copy:
-- every row is kept, ids in the order the refusals were recorded. A row's client is the
-- replica's current client id, unless its mutation id is at or past `meta.next_mutation_id`:
-- then an earlier client id recorded it (undismissed failures are kept when the client id
-- changes), and it gets '' (no client id is '', they are uuids), so a refusal of the current
-- client's mutation with that number later gets its own row instead of overwriting it.
CREATE TABLE `__new_failures` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`client_id` text NOT NULL,
	`mutation_id` integer NOT NULL,
	`name` text NOT NULL,
	`args` text,
	`code` text NOT NULL,
	`message` text NOT NULL,
	`at` integer NOT NULL,
	`target_id` text,
	`dismissed` integer DEFAULT false NOT NULL
);
--> statement-breakpoint
INSERT INTO `__new_failures`("client_id", "mutation_id", "name", "args", "code", "message", "at", "target_id", "dismissed")
  SELECT CASE WHEN f."mutation_id" < COALESCE(m."next_mutation_id", 0) THEN m."client_id" ELSE '' END,
    f."mutation_id", f."name", f."args", f."code", f."message", f."at", f."target_id", f."dismissed"
  FROM `failures` f LEFT JOIN `meta` m ON m."id" = 1
  ORDER BY f."at", f."mutation_id";
--> statement-breakpoint
DROP TABLE `failures`;--> statement-breakpoint
ALTER TABLE `__new_failures` RENAME TO `failures`;--> statement-breakpoint
CREATE UNIQUE INDEX `failures_client_mutation` ON `failures` (`client_id`,`mutation_id`);--> statement-breakpoint
CREATE INDEX `failures_target` ON `failures` (`target_id`);
