// Regenerates an upgrade fixture from a given git revision: the fixture must be made by the
// code of that release, not by today's. Usage:
//   npm run fixtures:upgrade -- <git-rev> <name>        e.g.  npm run fixtures:upgrade -- baec7f2 0.1
// Checks the revision out in a temporary worktree (sharing this checkout's node_modules),
// runs generate.ts there and gzips the result into fixtures/upgrade/<name>/.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';

const [rev, name] = process.argv.slice(2);
if (!rev || !name) {
  console.error('usage: npm run fixtures:upgrade -- <git-rev> <name>');
  process.exit(2);
}
const root = resolve(import.meta.dirname, '../..');
const tree = mkdtempSync(join(tmpdir(), 'parley-release-'));
const raw = mkdtempSync(join(tmpdir(), 'parley-fixture-out-'));
try {
  execFileSync('git', ['worktree', 'add', '--detach', tree, rev], { cwd: root, stdio: 'inherit' });
  symlinkSync(join(root, 'node_modules'), join(tree, 'node_modules'));
  mkdirSync(join(tree, 'scripts/upgrade-fixtures'), { recursive: true });
  copyFileSync(join(import.meta.dirname, 'generate.ts'), join(tree, 'scripts/upgrade-fixtures/generate.ts'));
  execFileSync('npx', ['tsx', 'scripts/upgrade-fixtures/generate.ts', raw], { cwd: tree, stdio: 'inherit', env: { ...process.env, PARLEY_NO_CHECKPOINT_WORKER: '1' } });
  const dest = join(root, 'fixtures/upgrade', name);
  mkdirSync(join(dest, 'relay'), { recursive: true });
  mkdirSync(join(dest, 'client'), { recursive: true });
  for (const f of ['relay/relay.sqlite', 'client/replica.sqlite']) writeFileSync(join(dest, `${f}.gz`), gzipSync(readFileSync(join(raw, f)), { level: 9 }));
  const manifest = JSON.parse(readFileSync(join(raw, 'manifest.json'), 'utf8')) as Record<string, unknown>;
  writeFileSync(join(dest, 'manifest.json'), JSON.stringify({ ...manifest, release: name, revision: execFileSync('git', ['rev-parse', rev], { cwd: root }).toString().trim() }, null, 1) + '\n');
  console.log(`fixtures/upgrade/${name} made by ${rev}`);
} finally {
  execFileSync('git', ['worktree', 'remove', '--force', tree], { cwd: root, stdio: 'inherit' });
  rmSync(raw, { recursive: true, force: true, maxRetries: 5 });
}
