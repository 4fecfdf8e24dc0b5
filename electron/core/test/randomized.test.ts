import { describe, it } from 'vitest';
import { runScenario } from './randomized';

// A fixed set of seeds in `npm test`; `npm run test:soak -- --runs N` runs more.
const SEEDS = [1, 2, 3];

describe('randomized multi-client convergence', () => {
  for (const seed of SEEDS) {
    it(`seed ${seed}: replicas equal each user's visible set, invariants hold, nothing lost`, async () => {
      await runScenario(seed, { ops: 100 });
    }, 120_000);
  }
});
