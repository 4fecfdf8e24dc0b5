// `npm run bench`: runs every bench/*.bench.ts (each exports `run()`), prints one JSON
// object keyed by bench name, writes it to bench/results/latest.json, then prints a table of
// every figure that has a target (`{value, unit, target, met}`) with whether it was met.
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadavg } from 'node:os';
import { pathToFileURL } from 'node:url';
import { summaryTable } from './scale/figures';
import { machine } from './machine';

const dir = import.meta.dirname;
const only = process.argv.slice(2);
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => only.length === 0 || only.some((o) => f.startsWith(o)))
  .sort();
const results: Record<string, unknown> = { at: new Date().toISOString(), node: process.version, loadAverageAtStart: loadavg().map((x) => +x.toFixed(2)), machine: machine() };
for (const f of files) {
  const name = f.replace(/\.bench\.ts$/, '');
  try {
    const mod = (await import(pathToFileURL(join(dir, f)).href)) as { run?: () => Promise<Record<string, unknown>> };
    if (typeof mod.run !== 'function') throw new Error('no run() export');
    results[name] = await mod.run();
  } catch (e) {
    results[name] = { error: e instanceof Error ? e.message : String(e) };
  }
}
results.loadAverageAtEnd = loadavg().map((x) => +x.toFixed(2));
const json = JSON.stringify(results, null, 2);
mkdirSync(join(dir, 'results'), { recursive: true });
writeFileSync(join(dir, 'results', 'latest.json'), `${json}\n`);
console.log(json);
// every figure that has a target, with whether this run met it
console.log(summaryTable(results));
process.exit(0);
