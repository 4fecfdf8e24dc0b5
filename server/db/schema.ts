// Relay schema: the synced tables plus relay-only tables (credentials, sessions,
// per-client mutation ids, tombstones). Migrations: drizzle/server/.
export * from '../../shared/schema';
export * from './localSchema';
export * from '../providers/schema';
