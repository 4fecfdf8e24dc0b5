// Builds the relay for production: server/cli.ts bundled with esbuild into dist/relay/cli.mjs
// (ES module; our TypeScript compiled once, npm packages left to node_modules), so an operator
// runs `node dist/relay/cli.mjs …` with plain Node: no TypeScript loader at run time (tsx's
// loader thread and transpiled sources cost ~65 MB of RSS). Migrations stay in drizzle/, found
// from the project folder (server/paths.ts).
import { build } from 'esbuild';
import { join, resolve } from 'node:path';
import { relayBundle } from './bundleOptions';

const root = resolve(import.meta.dirname, '..');
const outfile = join(root, process.env.PARLEY_RELAY_OUT ?? 'dist/relay/cli.mjs');
await build({ ...relayBundle, entryPoints: [join(root, 'server/cli.ts')], outfile, sourcemap: 'linked' });
console.log(`built ${outfile}: run it with node ${outfile} serve …`);
