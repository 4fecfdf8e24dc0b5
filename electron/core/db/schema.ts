// Replica schema: the synced tables plus client-only tables (meta, outbox, undo log,
// failures). Migrations: drizzle/client/.
export * from '../../../shared/schema';
