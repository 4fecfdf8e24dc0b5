// Bundles Electron's main and preload with esbuild into dist/electron/{main,preload}.cjs
// (CommonJS: what Electron loads without flags; sandboxed preloads must be one file).
// electron and better-sqlite3 (a native module) stay external.
import { build } from 'esbuild';
import { copyFileSync, cpSync, existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { electronMainBundle } from './bundleOptions';

const root = resolve(import.meta.dirname, '..');
const out = join(root, 'dist/electron');
mkdirSync(out, { recursive: true });

const common = { ...electronMainBundle, sourcemap: 'linked' as const };

await build({ ...common, entryPoints: [join(root, 'electron/main/index.ts')], outfile: join(out, 'main.cjs') });
await build({ ...common, entryPoints: [join(root, 'electron/preload/index.ts')], outfile: join(out, 'preload.cjs') });
// The tray, notifications and the Windows taskbar overlay need their icons at run time, beside main.cjs.
for (const name of ['icon.png', 'badge-overlay.png']) {
  const file = join(root, 'build', name);
  if (existsSync(file)) copyFileSync(file, join(out, name));
}
// Client migrations are read from disk by the core (main sets PARLEY_CLIENT_MIGRATIONS).
cpSync(join(root, 'drizzle/client'), join(out, 'migrations'), { recursive: true });
console.log(`built ${join(out, 'main.cjs')} and preload.cjs`);
