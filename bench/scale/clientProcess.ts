// The scale bench's client process. The app runs the core from an esbuild bundle (CommonJS,
// better-sqlite3 external: scripts/build-electron.ts), not through a TypeScript loader: this
// bundles clientCore.ts the same way and runs it in a plain Node child, relaying the bench's
// requests to it, so the figures (time, stalls, RSS: tsx's loader thread and transpiled sources
// held ~60 MB of RSS in an idle core) are those of the code the app runs.
// PARLEY_BENCH_CLIENT_TSX=1 runs clientCore.ts here, through tsx, as before (comparison).
import { join, resolve } from 'node:path';
import { electronMainBundle } from '../../scripts/bundleOptions';
import { runBundled } from './bundled';

const root = resolve(import.meta.dirname, '../..');

if (process.env.PARLEY_BENCH_CLIENT_TSX) {
  await import('./clientCore');
} else {
  // better-sqlite3 (native, external) is found from the bundle as the app finds it beside its own;
  // the app's main process says where the client migrations are
  await runBundled(join(import.meta.dirname, 'clientCore.ts'), {
    build: electronMainBundle,
    env: { PARLEY_CLIENT_MIGRATIONS: join(root, 'drizzle/client') },
  });
}
