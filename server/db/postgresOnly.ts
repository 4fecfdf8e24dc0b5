// Tables only the PostgreSQL relay has (issue 15). Written as drizzle sqlite tables so
// scripts/pg-schema.ts maps them like every other relay table, but never part of
// server/db/schema.ts: the SQLite relay keeps these in its data dir instead.
import { blob, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/**
 * Attachment bytes, by the sha256 of their content (the `attachments` row holds type, name,
 * size, uploader). In the database so that every relay of a cluster serves every attachment;
 * the SQLite relay keeps them as files under <dataDir>/attachments (server/attachmentBlobs.ts).
 */
export const attachmentBlobs = sqliteTable('attachment_blobs', {
  sha256: text('sha256').primaryKey(),
  bytes: blob('bytes', { mode: 'buffer' }).notNull(),
});
