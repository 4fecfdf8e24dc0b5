// `npm run test:soak -- --runs N [--seed S] [--ops K] [--verbose]`: more randomized scenarios than
// `npm test` runs; prints the seed of any failure so it can be replayed.
import { parseArgs } from 'node:util';
import { runScenario } from './randomized';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '10' }, seed: { type: 'string' }, ops: { type: 'string', default: '80' }, verbose: { type: 'boolean', default: false } } });
const runs = Number(values.runs);
const first = values.seed ? Number(values.seed) : Math.floor(Math.random() * 1e9);
let failed = 0;
for (let i = 0; i < runs; i++) {
  const seed = first + i;
  const t = Date.now();
  try {
    await runScenario(seed, { ops: Number(values.ops), log: values.verbose ? (s) => console.log(`  ${s}`) : undefined });
    console.log(`seed ${seed}: ok (${Date.now() - t} ms)`);
  } catch (e) {
    failed++;
    console.log(`seed ${seed}: FAILED\n${(e as Error).message}`);
  }
}
console.log(`${runs - failed}/${runs} passed`);
process.exit(failed ? 1 : 0);
