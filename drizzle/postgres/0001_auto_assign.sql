ALTER TABLE "conversations" ADD COLUMN "auto_assign_waiting" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "conversations" ADD COLUMN "auto_assigned_to" text COLLATE "C";--> statement-breakpoint
ALTER TABLE "conversations" ADD COLUMN "auto_assigned_at" bigint;--> statement-breakpoint
ALTER TABLE "groups" ADD COLUMN "auto_assign" text COLLATE "C" DEFAULT 'off' NOT NULL;--> statement-breakpoint
ALTER TABLE "groups" ADD COLUMN "auto_assign_capacity" bigint DEFAULT 5 NOT NULL;--> statement-breakpoint
ALTER TABLE "groups" ADD COLUMN "auto_assign_last" text COLLATE "C";--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "accepting" bigint DEFAULT 1 NOT NULL;--> statement-breakpoint
CREATE INDEX "conversations_auto_assign_waiting" ON "conversations" USING btree ("group_id","auto_assign_waiting","rowid");