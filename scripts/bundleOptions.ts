// How the product's Node code is bundled with esbuild, in one place: the build scripts use it and
// so does the scale bench (bench/scale/bundled.ts), so the bench measures what ships.
import type { BuildOptions } from 'esbuild';

/** Electron's main and preload (scripts/build-electron.ts): CommonJS, which Electron loads without flags. */
export const electronMainBundle = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: ['electron', 'better-sqlite3'],
  logLevel: 'warning',
} satisfies BuildOptions;

/** The relay (scripts/build-relay.ts): an ES module, npm packages left to node_modules. */
export const relayBundle = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  logLevel: 'warning',
} satisfies BuildOptions;
