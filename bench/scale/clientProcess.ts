// The scale bench's client process. The app runs the core from an esbuild bundle (CommonJS,
// better-sqlite3 external: scripts/build-electron.ts), not through a TypeScript loader: this
// bundles clientCore.ts the same way and runs it in a plain Node child, relaying the bench's
// requests to it, so the figures (time, stalls, RSS: tsx's loader thread and transpiled sources
// held ~60 MB of RSS in an idle core) are those of the code the app runs.
// PARLEY_BENCH_CLIENT_TSX=1 runs clientCore.ts here, through tsx, as before (comparison).
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';

const root = resolve(import.meta.dirname, '../..');

if (process.env.PARLEY_BENCH_CLIENT_TSX) {
  await import('./clientCore');
} else {
  const dir = mkdtempSync(join(tmpdir(), 'parley-bench-client-'));
  // better-sqlite3 (native, external) is found from the bundle as the app finds it beside its own
  symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'));
  const outfile = join(dir, 'client.cjs');
  await build({
    entryPoints: [join(import.meta.dirname, 'clientCore.ts')], outfile,
    bundle: true, platform: 'node', format: 'cjs', target: 'node20', external: ['better-sqlite3'], logLevel: 'warning',
  });
  // the bench's own flags (heap limit, --cpu-prof), not tsx's loader
  const execArgv = process.execArgv.filter((a) => a.startsWith('--max-old-space-size') || a.startsWith('--cpu-prof'));
  const child = fork(outfile, [], {
    execArgv,
    // as the app's main process says where the client migrations are
    env: { ...process.env, PARLEY_CLIENT_MIGRATIONS: join(root, 'drizzle/client') },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  process.on('message', (m) => child.send(m as object));
  child.on('message', (m) => process.send?.(m));
  process.on('SIGTERM', () => child.kill('SIGTERM'));
  child.on('exit', (code) => {
    rmSync(dir, { recursive: true, force: true });
    process.exit(code ?? 0);
  });
}
