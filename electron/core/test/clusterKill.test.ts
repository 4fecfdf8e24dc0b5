import { describe, expect, it } from 'vitest';
import { runClusterScenario } from './clusterScenario';

// Two relay processes on one PostgreSQL database and NATS, each SIGKILLed once mid-run
// (clusterScenario.ts). A fixed set of seeds (~10-25 s each on 2 busy cores);
// PARLEY_CLUSTER_KILL_SEEDS=11,12,13,14 runs others, PARLEY_CLUSTER_KILL_LOG=1 prints the run.
const SEEDS = process.env.PARLEY_CLUSTER_KILL_SEEDS ? process.env.PARLEY_CLUSTER_KILL_SEEDS.split(',').map(Number) : [11, 12];

describe('cluster: randomized convergence across two relay processes with kill -9', () => {
  for (const seed of SEEDS) {
    it(`seed ${seed}: replicas equal each user's visible set on the database, nothing lost or duplicated`, async () => {
      const lines: string[] = [];
      const log = (s: string) => {
        lines.push(s);
        if (process.env.PARLEY_CLUSTER_KILL_LOG) console.log(`${(performance.now() / 1000).toFixed(2)} ${s}`);
      };
      try {
        const r = await runClusterScenario(seed, { ops: 70, log });
        expect(r.kills).toBe(2);
        expect(r.acknowledged).toBeGreaterThan(0);
        expect(r.inFlightAtKill).toBeGreaterThan(0);
        console.log(`seed ${seed}: ${JSON.stringify(r)}`);
      } catch (e) {
        console.log(lines.slice(-80).join('\n'));
        throw e;
      }
    }, 90_000);
  }
});
