CREATE TABLE "attachments" (
	"sha256" text COLLATE "C" PRIMARY KEY NOT NULL,
	"mime" text COLLATE "C" NOT NULL,
	"size" bigint NOT NULL,
	"name" text COLLATE "C" NOT NULL,
	"uploaded_by" text COLLATE "C" NOT NULL,
	"created_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "audit_log" (
	"id" text COLLATE "C" PRIMARY KEY NOT NULL,
	"org_id" text COLLATE "C" NOT NULL,
	"actor_id" text COLLATE "C" NOT NULL,
	"action" text COLLATE "C" NOT NULL,
	"target" text COLLATE "C" NOT NULL,
	"at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "broadcast_recipients" (
	"id" text COLLATE "C" PRIMARY KEY NOT NULL,
	"broadcast_id" text COLLATE "C" NOT NULL,
	"group_id" text COLLATE "C" NOT NULL,
	"contact_id" text COLLATE "C" NOT NULL,
	"status" text COLLATE "C" NOT NULL,
	"reason" text COLLATE "C",
	"message_id" text COLLATE "C",
	"version" bigint DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "broadcasts" (
	"id" text COLLATE "C" PRIMARY KEY NOT NULL,
	"group_id" text COLLATE "C" NOT NULL,
	"channel" text COLLATE "C" NOT NULL,
	"body" text COLLATE "C" NOT NULL,
	"template_name" text COLLATE "C",
	"created_by" text COLLATE "C" NOT NULL,
	"created_at" bigint NOT NULL,
	"status" text COLLATE "C" NOT NULL,
	"total" bigint NOT NULL,
	"sent" bigint DEFAULT 0 NOT NULL,
	"skipped" bigint DEFAULT 0 NOT NULL,
	"failed" bigint DEFAULT 0 NOT NULL,
	"version" bigint DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "canned_responses" (
	"id" text COLLATE "C" PRIMARY KEY NOT NULL,
	"owner_id" text COLLATE "C",
	"group_id" text COLLATE "C",
	"title" text COLLATE "C" NOT NULL,
	"body" text COLLATE "C" NOT NULL,
	"attachments" text COLLATE "C" NOT NULL,
	"created_by" text COLLATE "C" NOT NULL,
	"created_at" bigint NOT NULL,
	"updated_at" bigint NOT NULL,
	"version" bigint DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "chat_messages" (
	"id" text COLLATE "C" PRIMARY KEY NOT NULL,
	"chat_id" text COLLATE "C" NOT NULL,
	"author_id" text COLLATE "C" NOT NULL,
	"body" text COLLATE "C" NOT NULL,
	"attachments" text COLLATE "C" NOT NULL,
	"created_at" bigint NOT NULL,
	"version" bigint DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "chats" (
	"id" text COLLATE "C" PRIMARY KEY NOT NULL,
	"kind" text COLLATE "C" NOT NULL,
	"title" text COLLATE "C",
	"members" text COLLATE "C" NOT NULL,
	"created_by" text COLLATE "C" NOT NULL,
	"created_at" bigint NOT NULL,
	"last_activity_at" bigint NOT NULL,
	"last_preview" text COLLATE "C" DEFAULT '' NOT NULL,
	"conversation_id" text COLLATE "C",
	"meta_only" text COLLATE "C",
	"version" bigint DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "checkouts" (
	"id" text COLLATE "C" PRIMARY KEY NOT NULL,
	"conversation_id" text COLLATE "C" NOT NULL,
	"description" text COLLATE "C" NOT NULL,
	"amount" bigint NOT NULL,
	"currency" text COLLATE "C" NOT NULL,
	"status" text COLLATE "C" NOT NULL,
	"payment_url" text COLLATE "C",
	"provider_ref" text COLLATE "C",
	"created_by" text COLLATE "C" NOT NULL,
	"created_at" bigint NOT NULL,
	"paid_at" bigint,
	"version" bigint DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "clients" (
	"client_id" text COLLATE "C" PRIMARY KEY NOT NULL,
	"user_id" text COLLATE "C" NOT NULL,
	"last_mutation_id" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "contacts" (
	"id" text COLLATE "C" PRIMARY KEY NOT NULL,
	"name" text COLLATE "C" NOT NULL,
	"phone" text COLLATE "C" NOT NULL,
	"email" text COLLATE "C",
	"tags" text COLLATE "C" NOT NULL,
	"notes" text COLLATE "C" DEFAULT '' NOT NULL,
	"opted_out" bigint NOT NULL,
	"default_visible_to" text COLLATE "C",
	"default_assignees" text COLLATE "C" NOT NULL,
	"created_at" bigint NOT NULL,
	"updated_at" bigint NOT NULL,
	"version" bigint DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "conversations" (
	"id" text COLLATE "C" PRIMARY KEY NOT NULL,
	"contact_id" text COLLATE "C" NOT NULL,
	"group_id" text COLLATE "C" NOT NULL,
	"channel" text COLLATE "C" NOT NULL,
	"status" text COLLATE "C" NOT NULL,
	"visible_to" text COLLATE "C",
	"assignees" text COLLATE "C" NOT NULL,
	"created_at" bigint NOT NULL,
	"opened_at" bigint NOT NULL,
	"archived_at" bigint,
	"last_activity_at" bigint NOT NULL,
	"last_preview" text COLLATE "C" DEFAULT '' NOT NULL,
	"last_inbound_at" bigint,
	"snoozed_by" text COLLATE "C",
	"snoozed_until" bigint,
	"woken_at" bigint,
	"labels" text COLLATE "C" DEFAULT '[]' NOT NULL,
	"visibility_version" bigint DEFAULT 0 NOT NULL,
	"visibility_changed_by" text COLLATE "C",
	"meta_only" text COLLATE "C",
	"version" bigint DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "credentials" (
	"user_id" text COLLATE "C" PRIMARY KEY NOT NULL,
	"hash" text COLLATE "C" NOT NULL
);
--> statement-breakpoint
CREATE TABLE "groups" (
	"id" text COLLATE "C" PRIMARY KEY NOT NULL,
	"name" text COLLATE "C" NOT NULL,
	"sms_number" text COLLATE "C",
	"whatsapp_number" text COLLATE "C",
	"templates" text COLLATE "C" NOT NULL,
	"created_at" bigint NOT NULL,
	"payment_instructions" text COLLATE "C" DEFAULT '' NOT NULL,
	"channel_providers" text COLLATE "C" DEFAULT '{"sms":"simulator","whatsapp":"simulator"}' NOT NULL,
	"version" bigint DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "invoices" (
	"id" text COLLATE "C" PRIMARY KEY NOT NULL,
	"conversation_id" text COLLATE "C" NOT NULL,
	"number" text COLLATE "C" NOT NULL,
	"currency" text COLLATE "C" NOT NULL,
	"line_items" text COLLATE "C" NOT NULL,
	"total" bigint NOT NULL,
	"due_date" text COLLATE "C" NOT NULL,
	"status" text COLLATE "C" NOT NULL,
	"payment_url" text COLLATE "C",
	"provider_ref" text COLLATE "C",
	"created_by" text COLLATE "C" NOT NULL,
	"created_at" bigint NOT NULL,
	"paid_at" bigint,
	"refunded_amount" bigint DEFAULT 0 NOT NULL,
	"link_expired" bigint DEFAULT 0 NOT NULL,
	"version" bigint DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "labels" (
	"id" text COLLATE "C" PRIMARY KEY NOT NULL,
	"name" text COLLATE "C" NOT NULL,
	"color" text COLLATE "C" NOT NULL,
	"created_at" bigint NOT NULL,
	"version" bigint DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "memberships" (
	"id" text COLLATE "C" PRIMARY KEY NOT NULL,
	"group_id" text COLLATE "C" NOT NULL,
	"user_id" text COLLATE "C" NOT NULL,
	"version" bigint DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "mentions" (
	"id" text COLLATE "C" PRIMARY KEY NOT NULL,
	"note_id" text COLLATE "C" NOT NULL,
	"conversation_id" text COLLATE "C" NOT NULL,
	"user_id" text COLLATE "C" NOT NULL,
	"author_id" text COLLATE "C" NOT NULL,
	"created_at" bigint NOT NULL,
	"read_at" bigint,
	"version" bigint DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "messages" (
	"id" text COLLATE "C" PRIMARY KEY NOT NULL,
	"conversation_id" text COLLATE "C" NOT NULL,
	"direction" text COLLATE "C" NOT NULL,
	"channel" text COLLATE "C" NOT NULL,
	"body" text COLLATE "C" NOT NULL,
	"author_id" text COLLATE "C",
	"status" text COLLATE "C" NOT NULL,
	"failure_reason" text COLLATE "C",
	"segments" bigint DEFAULT 1 NOT NULL,
	"attachments" text COLLATE "C" NOT NULL,
	"location" text COLLATE "C",
	"template_name" text COLLATE "C",
	"provider_message_id" text COLLATE "C",
	"broadcast_id" text COLLATE "C",
	"payment_ref" text COLLATE "C",
	"scheduled_at" bigint,
	"created_at" bigint NOT NULL,
	"version" bigint DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "meta" (
	"key" text COLLATE "C" PRIMARY KEY NOT NULL,
	"value" text COLLATE "C" NOT NULL
);
--> statement-breakpoint
CREATE TABLE "notes" (
	"id" text COLLATE "C" PRIMARY KEY NOT NULL,
	"conversation_id" text COLLATE "C" NOT NULL,
	"author_id" text COLLATE "C" NOT NULL,
	"body" text COLLATE "C" NOT NULL,
	"created_at" bigint NOT NULL,
	"version" bigint DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "provider_accounts" (
	"id" text COLLATE "C" PRIMARY KEY NOT NULL,
	"group_id" text COLLATE "C",
	"channel" text COLLATE "C" NOT NULL,
	"kind" text COLLATE "C" NOT NULL,
	"public_config" text COLLATE "C" NOT NULL,
	"secrets" text COLLATE "C" NOT NULL,
	"send_rate_per_second" bigint DEFAULT 1 NOT NULL,
	"created_at" bigint NOT NULL,
	"updated_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "read_states" (
	"id" text COLLATE "C" PRIMARY KEY NOT NULL,
	"user_id" text COLLATE "C" NOT NULL,
	"target_id" text COLLATE "C" NOT NULL,
	"last_read_at" bigint NOT NULL,
	"version" bigint DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "refresh_tokens" (
	"token_hash" text COLLATE "C" PRIMARY KEY NOT NULL,
	"user_id" text COLLATE "C" NOT NULL,
	"expires_at" bigint NOT NULL,
	"revoked_at" bigint,
	"created_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "rejected_mutations" (
	"client_id" text COLLATE "C" NOT NULL,
	"mutation_id" bigint NOT NULL,
	"code" text COLLATE "C" NOT NULL,
	"message" text COLLATE "C" NOT NULL,
	"version" bigint NOT NULL,
	CONSTRAINT "rejected_mutations_client_id_mutation_id_pk" PRIMARY KEY("client_id","mutation_id")
);
--> statement-breakpoint
CREATE TABLE "saved_views" (
	"id" text COLLATE "C" PRIMARY KEY NOT NULL,
	"user_id" text COLLATE "C" NOT NULL,
	"name" text COLLATE "C" NOT NULL,
	"filters" text COLLATE "C" NOT NULL,
	"created_at" bigint NOT NULL,
	"version" bigint DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "scope_versions" (
	"scope" text COLLATE "C" PRIMARY KEY NOT NULL,
	"version" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "timers" (
	"id" text COLLATE "C" PRIMARY KEY NOT NULL,
	"kind" text COLLATE "C" NOT NULL,
	"target_id" text COLLATE "C" NOT NULL,
	"due_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "tombstones" (
	"table_name" text COLLATE "C" NOT NULL,
	"row_id" text COLLATE "C" NOT NULL,
	"scope" text COLLATE "C" NOT NULL,
	"version" bigint NOT NULL,
	"audience" text COLLATE "C",
	CONSTRAINT "tombstones_table_name_row_id_pk" PRIMARY KEY("table_name","row_id")
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" text COLLATE "C" PRIMARY KEY NOT NULL,
	"name" text COLLATE "C" NOT NULL,
	"email" text COLLATE "C" NOT NULL,
	"role" text COLLATE "C" NOT NULL,
	"active" bigint NOT NULL,
	"created_at" bigint NOT NULL,
	"version" bigint DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "viewer_versions" (
	"user_id" text COLLATE "C" PRIMARY KEY NOT NULL,
	"version" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "webhook_events" (
	"id" text COLLATE "C" PRIMARY KEY NOT NULL,
	"received_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE INDEX "audit_log_at" ON "audit_log" USING btree ("at");--> statement-breakpoint
CREATE INDEX "broadcast_recipients_broadcast" ON "broadcast_recipients" USING btree ("broadcast_id");--> statement-breakpoint
CREATE INDEX "broadcast_recipients_version" ON "broadcast_recipients" USING btree ("version");--> statement-breakpoint
CREATE INDEX "broadcasts_version" ON "broadcasts" USING btree ("version");--> statement-breakpoint
CREATE INDEX "canned_responses_version" ON "canned_responses" USING btree ("version");--> statement-breakpoint
CREATE INDEX "chat_messages_chat" ON "chat_messages" USING btree ("chat_id","created_at");--> statement-breakpoint
CREATE INDEX "chat_messages_version" ON "chat_messages" USING btree ("version");--> statement-breakpoint
CREATE INDEX "chats_activity" ON "chats" USING btree ("last_activity_at");--> statement-breakpoint
CREATE INDEX "chats_version" ON "chats" USING btree ("version");--> statement-breakpoint
CREATE INDEX "checkouts_conversation" ON "checkouts" USING btree ("conversation_id");--> statement-breakpoint
CREATE INDEX "checkouts_version" ON "checkouts" USING btree ("version");--> statement-breakpoint
CREATE INDEX "contacts_phone" ON "contacts" USING btree ("phone");--> statement-breakpoint
CREATE INDEX "contacts_version" ON "contacts" USING btree ("version");--> statement-breakpoint
CREATE INDEX "conversations_contact_group" ON "conversations" USING btree ("contact_id","group_id","status");--> statement-breakpoint
CREATE INDEX "conversations_activity" ON "conversations" USING btree ("status","last_activity_at");--> statement-breakpoint
CREATE INDEX "conversations_group_activity" ON "conversations" USING btree ("group_id","status","last_activity_at");--> statement-breakpoint
CREATE INDEX "conversations_version" ON "conversations" USING btree ("version");--> statement-breakpoint
CREATE INDEX "conversations_visibility_version" ON "conversations" USING btree ("visibility_version");--> statement-breakpoint
CREATE INDEX "groups_version" ON "groups" USING btree ("version");--> statement-breakpoint
CREATE INDEX "invoices_conversation" ON "invoices" USING btree ("conversation_id");--> statement-breakpoint
CREATE INDEX "invoices_version" ON "invoices" USING btree ("version");--> statement-breakpoint
CREATE INDEX "labels_version" ON "labels" USING btree ("version");--> statement-breakpoint
CREATE INDEX "memberships_user" ON "memberships" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "memberships_group" ON "memberships" USING btree ("group_id");--> statement-breakpoint
CREATE INDEX "memberships_version" ON "memberships" USING btree ("version");--> statement-breakpoint
CREATE INDEX "mentions_conversation" ON "mentions" USING btree ("conversation_id");--> statement-breakpoint
CREATE INDEX "mentions_note" ON "mentions" USING btree ("note_id");--> statement-breakpoint
CREATE INDEX "mentions_user" ON "mentions" USING btree ("user_id","created_at");--> statement-breakpoint
CREATE INDEX "mentions_version" ON "mentions" USING btree ("version");--> statement-breakpoint
CREATE INDEX "messages_conversation" ON "messages" USING btree ("conversation_id","created_at");--> statement-breakpoint
CREATE INDEX "messages_version" ON "messages" USING btree ("version");--> statement-breakpoint
CREATE INDEX "messages_provider" ON "messages" USING btree ("provider_message_id");--> statement-breakpoint
CREATE INDEX "notes_conversation" ON "notes" USING btree ("conversation_id");--> statement-breakpoint
CREATE INDEX "notes_version" ON "notes" USING btree ("version");--> statement-breakpoint
CREATE UNIQUE INDEX "provider_accounts_group_channel" ON "provider_accounts" USING btree ("group_id","channel");--> statement-breakpoint
CREATE INDEX "read_states_user" ON "read_states" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "read_states_version" ON "read_states" USING btree ("version");--> statement-breakpoint
CREATE INDEX "refresh_tokens_user" ON "refresh_tokens" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "rejected_mutations_version" ON "rejected_mutations" USING btree ("version");--> statement-breakpoint
CREATE INDEX "saved_views_user" ON "saved_views" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "saved_views_version" ON "saved_views" USING btree ("version");--> statement-breakpoint
CREATE INDEX "scope_versions_version" ON "scope_versions" USING btree ("version");--> statement-breakpoint
CREATE INDEX "timers_due" ON "timers" USING btree ("due_at");--> statement-breakpoint
CREATE INDEX "tombstones_version" ON "tombstones" USING btree ("version");--> statement-breakpoint
CREATE INDEX "users_version" ON "users" USING btree ("version");--> statement-breakpoint
CREATE INDEX "webhook_events_received" ON "webhook_events" USING btree ("received_at");