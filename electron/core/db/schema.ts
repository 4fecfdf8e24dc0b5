// Replica schema: the synced tables plus client-only tables (meta, outbox, undo log,
// failures, index tables). Migrations: drizzle/client/, append-only (FTS and triggers live in
// custom SQL migrations, 0001_fts_triggers.sql; see docs/ARCHITECTURE.md "Schema changes").
export * from '../../../shared/schema';
export * from './localSchema';
