// Builds the renderer once before the journeys when dist/renderer is missing or older
// than its sources (the journeys load the real bundle through the browser host).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');

function newest(dir: string): number {
  let max = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    max = Math.max(max, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return max;
}

export default function setup(): void {
  const index = join(root, 'dist/renderer/index.html');
  const stale = !existsSync(index) || Math.max(newest(join(root, 'renderer')), newest(join(root, 'shared'))) > statSync(index).mtimeMs;
  if (!stale) return;
  const r = spawnSync('npx', ['vite', 'build', '--config', 'renderer/vite.config.ts', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
  // Not fatal: the journeys then fail on their own, the other tests still run.
  if (r.status !== 0) console.error('e2e: the renderer build failed; journeys will use the previous dist/renderer if any');
}
