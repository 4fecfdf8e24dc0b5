// Runs one of the scale bench's processes from an esbuild bundle in a plain Node child, as the
// product runs (the app's core: scripts/build-electron.ts; the relay: scripts/build-relay.ts),
// not through tsx: its loader thread and transpiled sources held ~60 MB of RSS. This process only
// relays the bench's IPC requests to the child and its answers back.
import { fork } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build, type BuildOptions } from 'esbuild';

const root = resolve(import.meta.dirname, '../..');

/** `how.build`: the product's bundle options (scripts/bundleOptions.ts) for this kind of process. */
export async function runBundled(entry: string, how: { build: BuildOptions; env?: Record<string, string> }): Promise<void> {
  // npm packages left external are found from the bundle's folder: inside the project, or beside a
  // node_modules link
  const dir = how.build.format === 'esm' ? (mkdirSync(join(root, 'dist'), { recursive: true }), mkdtempSync(join(root, 'dist', 'bench-'))) : mkdtempSync(join(tmpdir(), 'parley-bench-'));
  if (how.build.format !== 'esm') symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'));
  const outfile = join(dir, how.build.format === 'esm' ? 'main.mjs' : 'main.cjs');
  await build({ ...how.build, entryPoints: [entry], outfile });
  // the bench's own flags (heap limit, --cpu-prof), not tsx's loader
  const execArgv = process.execArgv.filter((a) => a.startsWith('--max-old-space-size') || a.startsWith('--cpu-prof'));
  const child = fork(outfile, [], { execArgv, env: { ...process.env, ...how.env }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  process.on('message', (m) => child.send(m as object));
  child.on('message', (m) => process.send?.(m));
  process.on('SIGTERM', () => child.kill('SIGTERM'));
  child.on('exit', (code) => {
    rmSync(dir, { recursive: true, force: true });
    process.exit(code ?? 0);
  });
}
