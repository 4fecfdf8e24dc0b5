// `npm run bench`: runs every bench/*.bench.ts (each exports `run()`), prints one JSON
// object keyed by bench name, and writes it to bench/results/latest.json.
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const dir = import.meta.dirname;
const only = process.argv.slice(2);
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => only.length === 0 || only.some((o) => f.startsWith(o)))
  .sort();
const results: Record<string, unknown> = { at: new Date().toISOString(), node: process.version };
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
const json = JSON.stringify(results, null, 2);
mkdirSync(join(dir, 'results'), { recursive: true });
writeFileSync(join(dir, 'results', 'latest.json'), `${json}\n`);
console.log(json);
process.exit(0);
