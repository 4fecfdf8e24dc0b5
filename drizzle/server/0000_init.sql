CREATE TABLE `broadcast_recipients` (
	`id` text PRIMARY KEY NOT NULL,
	`broadcast_id` text NOT NULL,
	`group_id` text NOT NULL,
	`contact_id` text NOT NULL,
	`status` text NOT NULL,
	`reason` text,
	`message_id` text,
	`version` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE INDEX `broadcast_recipients_broadcast` ON `broadcast_recipients` (`broadcast_id`);--> statement-breakpoint
CREATE INDEX `broadcast_recipients_version` ON `broadcast_recipients` (`version`);--> statement-breakpoint
CREATE TABLE `broadcasts` (
	`id` text PRIMARY KEY NOT NULL,
	`group_id` text NOT NULL,
	`channel` text NOT NULL,
	`body` text NOT NULL,
	`template_name` text,
	`created_by` text NOT NULL,
	`created_at` integer NOT NULL,
	`status` text NOT NULL,
	`total` integer NOT NULL,
	`sent` integer DEFAULT 0 NOT NULL,
	`skipped` integer DEFAULT 0 NOT NULL,
	`failed` integer DEFAULT 0 NOT NULL,
	`version` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE INDEX `broadcasts_version` ON `broadcasts` (`version`);--> statement-breakpoint
CREATE TABLE `chat_messages` (
	`id` text PRIMARY KEY NOT NULL,
	`chat_id` text NOT NULL,
	`author_id` text NOT NULL,
	`body` text NOT NULL,
	`attachments` text NOT NULL,
	`created_at` integer NOT NULL,
	`version` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE INDEX `chat_messages_chat` ON `chat_messages` (`chat_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `chat_messages_version` ON `chat_messages` (`version`);--> statement-breakpoint
CREATE TABLE `chats` (
	`id` text PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`title` text,
	`members` text NOT NULL,
	`created_by` text NOT NULL,
	`created_at` integer NOT NULL,
	`last_activity_at` integer NOT NULL,
	`last_preview` text DEFAULT '' NOT NULL,
	`version` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE INDEX `chats_activity` ON `chats` (`last_activity_at`);--> statement-breakpoint
CREATE INDEX `chats_version` ON `chats` (`version`);--> statement-breakpoint
CREATE TABLE `checkouts` (
	`id` text PRIMARY KEY NOT NULL,
	`conversation_id` text NOT NULL,
	`description` text NOT NULL,
	`amount` integer NOT NULL,
	`currency` text NOT NULL,
	`status` text NOT NULL,
	`payment_url` text,
	`provider_ref` text,
	`created_by` text NOT NULL,
	`created_at` integer NOT NULL,
	`paid_at` integer,
	`version` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE INDEX `checkouts_conversation` ON `checkouts` (`conversation_id`);--> statement-breakpoint
CREATE INDEX `checkouts_version` ON `checkouts` (`version`);--> statement-breakpoint
CREATE TABLE `contacts` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`phone` text NOT NULL,
	`email` text,
	`tags` text NOT NULL,
	`notes` text DEFAULT '' NOT NULL,
	`opted_out` integer NOT NULL,
	`default_visible_to` text,
	`default_assignees` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`version` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE INDEX `contacts_phone` ON `contacts` (`phone`);--> statement-breakpoint
CREATE INDEX `contacts_version` ON `contacts` (`version`);--> statement-breakpoint
CREATE TABLE `conversations` (
	`id` text PRIMARY KEY NOT NULL,
	`contact_id` text NOT NULL,
	`group_id` text NOT NULL,
	`channel` text NOT NULL,
	`status` text NOT NULL,
	`visible_to` text,
	`assignees` text NOT NULL,
	`created_at` integer NOT NULL,
	`opened_at` integer NOT NULL,
	`archived_at` integer,
	`last_activity_at` integer NOT NULL,
	`last_preview` text DEFAULT '' NOT NULL,
	`last_inbound_at` integer,
	`visibility_version` integer DEFAULT 0 NOT NULL,
	`version` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE INDEX `conversations_contact_group` ON `conversations` (`contact_id`,`group_id`,`status`);--> statement-breakpoint
CREATE INDEX `conversations_activity` ON `conversations` (`status`,`last_activity_at`);--> statement-breakpoint
CREATE INDEX `conversations_group_activity` ON `conversations` (`group_id`,`status`,`last_activity_at`);--> statement-breakpoint
CREATE INDEX `conversations_version` ON `conversations` (`version`);--> statement-breakpoint
CREATE TABLE `groups` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`sms_number` text,
	`whatsapp_number` text,
	`templates` text NOT NULL,
	`created_at` integer NOT NULL,
	`version` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE INDEX `groups_version` ON `groups` (`version`);--> statement-breakpoint
CREATE TABLE `invoices` (
	`id` text PRIMARY KEY NOT NULL,
	`conversation_id` text NOT NULL,
	`number` text NOT NULL,
	`currency` text NOT NULL,
	`line_items` text NOT NULL,
	`total` integer NOT NULL,
	`due_date` text NOT NULL,
	`status` text NOT NULL,
	`payment_url` text,
	`provider_ref` text,
	`created_by` text NOT NULL,
	`created_at` integer NOT NULL,
	`paid_at` integer,
	`version` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE INDEX `invoices_conversation` ON `invoices` (`conversation_id`);--> statement-breakpoint
CREATE INDEX `invoices_version` ON `invoices` (`version`);--> statement-breakpoint
CREATE TABLE `memberships` (
	`id` text PRIMARY KEY NOT NULL,
	`group_id` text NOT NULL,
	`user_id` text NOT NULL,
	`version` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE INDEX `memberships_user` ON `memberships` (`user_id`);--> statement-breakpoint
CREATE INDEX `memberships_group` ON `memberships` (`group_id`);--> statement-breakpoint
CREATE INDEX `memberships_version` ON `memberships` (`version`);--> statement-breakpoint
CREATE TABLE `messages` (
	`id` text PRIMARY KEY NOT NULL,
	`conversation_id` text NOT NULL,
	`direction` text NOT NULL,
	`channel` text NOT NULL,
	`body` text NOT NULL,
	`author_id` text,
	`status` text NOT NULL,
	`failure_reason` text,
	`segments` integer DEFAULT 1 NOT NULL,
	`attachments` text NOT NULL,
	`location` text,
	`template_name` text,
	`provider_message_id` text,
	`broadcast_id` text,
	`payment_ref` text,
	`created_at` integer NOT NULL,
	`version` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE INDEX `messages_conversation` ON `messages` (`conversation_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `messages_version` ON `messages` (`version`);--> statement-breakpoint
CREATE INDEX `messages_provider` ON `messages` (`provider_message_id`);--> statement-breakpoint
CREATE TABLE `notes` (
	`id` text PRIMARY KEY NOT NULL,
	`conversation_id` text NOT NULL,
	`author_id` text NOT NULL,
	`body` text NOT NULL,
	`created_at` integer NOT NULL,
	`version` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE INDEX `notes_conversation` ON `notes` (`conversation_id`);--> statement-breakpoint
CREATE INDEX `notes_version` ON `notes` (`version`);--> statement-breakpoint
CREATE TABLE `read_states` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`target_id` text NOT NULL,
	`last_read_at` integer NOT NULL,
	`version` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE INDEX `read_states_user` ON `read_states` (`user_id`);--> statement-breakpoint
CREATE INDEX `read_states_version` ON `read_states` (`version`);--> statement-breakpoint
CREATE TABLE `users` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`email` text NOT NULL,
	`role` text NOT NULL,
	`active` integer NOT NULL,
	`created_at` integer NOT NULL,
	`version` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE INDEX `users_version` ON `users` (`version`);--> statement-breakpoint
CREATE TABLE `attachments` (
	`sha256` text PRIMARY KEY NOT NULL,
	`mime` text NOT NULL,
	`size` integer NOT NULL,
	`name` text NOT NULL,
	`uploaded_by` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `clients` (
	`client_id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`last_mutation_id` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `credentials` (
	`user_id` text PRIMARY KEY NOT NULL,
	`hash` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `meta` (
	`key` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `refresh_tokens` (
	`token_hash` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`expires_at` integer NOT NULL,
	`revoked_at` integer,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `refresh_tokens_user` ON `refresh_tokens` (`user_id`);--> statement-breakpoint
CREATE TABLE `scope_versions` (
	`scope` text PRIMARY KEY NOT NULL,
	`version` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `scope_versions_version` ON `scope_versions` (`version`);--> statement-breakpoint
CREATE TABLE `tombstones` (
	`table_name` text NOT NULL,
	`row_id` text NOT NULL,
	`scope` text NOT NULL,
	`version` integer NOT NULL,
	`audience` text,
	PRIMARY KEY(`table_name`, `row_id`)
);
--> statement-breakpoint
CREATE INDEX `tombstones_version` ON `tombstones` (`version`);--> statement-breakpoint
CREATE TABLE `viewer_versions` (
	`user_id` text PRIMARY KEY NOT NULL,
	`version` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `provider_accounts` (
	`id` text PRIMARY KEY NOT NULL,
	`group_id` text,
	`channel` text NOT NULL,
	`kind` text NOT NULL,
	`public_config` text NOT NULL,
	`secrets` text NOT NULL,
	`send_rate_per_second` integer DEFAULT 1 NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `provider_accounts_group_channel` ON `provider_accounts` (`group_id`,`channel`);--> statement-breakpoint
CREATE TABLE `webhook_events` (
	`id` text PRIMARY KEY NOT NULL,
	`received_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `webhook_events_received` ON `webhook_events` (`received_at`);