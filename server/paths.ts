// Where the relay finds the files it ships with (migrations, the demo's data folder): the project
// folder, found by walking up from this module to the folder holding drizzle/server. The same
// code runs from source (server/…, through tsx) and from the built relay (dist/relay/cli.mjs).
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

function findRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'drizzle', 'server'))) return dir;
    if (dirname(dir) === dir) throw new Error(`Parley's migrations (drizzle/server) were not found above ${from}: run the relay from its project folder`);
  }
}

export const projectRoot = findRoot(import.meta.dirname);
/** one migrations folder per store */
export const serverMigrationsFolder = join(projectRoot, 'drizzle', 'server');
export const postgresMigrationsFolder = join(projectRoot, 'drizzle', 'postgres');
