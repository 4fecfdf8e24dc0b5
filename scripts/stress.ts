// `npm run test:stress`: the whole suite (`npm test`) several times in a row while CPU burners
// keep every core busy, to find tests that depend on timing instead of waiting on events.
// Not part of `npm test`. Options: --runs N (default 3), --burners N (default 2: one per core
// on the 2-core machines this project is built on). Exits non-zero if any run failed.
import { spawn, spawnSync } from 'node:child_process';
import { cpus, loadavg } from 'node:os';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  return Number.isFinite(v) && v >= 0 ? v : fallback;
}

const runs = arg('runs', 3);
const burnerCount = arg('burners', Math.min(2, cpus().length));
const burners = Array.from({ length: burnerCount }, () =>
  spawn(process.execPath, ['-e', 'const end = Date.now() + 6 * 3600e3; while (Date.now() < end) { for (let i = 0; i < 1e7; i++); }'], { stdio: 'ignore' }),
);
const stop = () => burners.forEach((b) => b.kill('SIGKILL'));
process.on('exit', stop);
process.on('SIGINT', () => process.exit(130));

const results: { run: number; ok: boolean; seconds: number; summary: string; load: string }[] = [];
for (let run = 1; run <= runs; run++) {
  const start = Date.now();
  console.log(`\n=== stress run ${run}/${runs} with ${burnerCount} CPU burners ===`);
  const r = spawnSync('npm', ['test'], { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8', maxBuffer: 1 << 30 });
  process.stdout.write(r.stdout ?? '');
  const summary = /tests: \d+ passed, \d+ failed, \d+ skipped/.exec(r.stdout ?? '')?.[0] ?? 'no summary';
  results.push({ run, ok: r.status === 0, seconds: Math.round((Date.now() - start) / 1000), summary, load: loadavg().map((l) => l.toFixed(1)).join(' ') });
}
stop();
console.log('\nstress summary');
for (const r of results) console.log(`run ${r.run}: ${r.ok ? 'passed' : 'FAILED'} in ${r.seconds} s — ${r.summary} — load ${r.load}`);
process.exit(results.every((r) => r.ok) ? 0 : 1);
