// Replica schema: the synced tables plus client-only tables (meta, outbox, undo log,
// failures, index tables). Migrations: drizzle/client/ (FTS and triggers: triggers.sql,
// added as a custom migration by `npm run db:generate:client`).
export * from '../../../shared/schema';
export * from './localSchema';
