import { defineConfig } from 'drizzle-kit';

// The relay on PostgreSQL (DATABASE_URL). The schema is generated from server/db/schema.ts by
// scripts/pg-schema.ts: run `npm run db:generate:postgres`, never drizzle-kit on its own.
export default defineConfig({ dialect: 'postgresql', schema: './drizzle/postgres/schema.ts', out: './drizzle/postgres' });
