// Child process of the offline journey: resumes the stored session (relay down),
// performs journey steps from the replica's next mutation id up to `until`, printing
// progress; the parent SIGKILLs it mid-way.
import { createCore, FileSecretStore } from '../index';
import { journeyStep, type JourneyFixture } from './offlinePlan';
import { join } from 'node:path';

const [dataDir, fixtureJson, untilArg] = process.argv.slice(2) as [string, string, string];
const fixture = JSON.parse(fixtureJson) as JourneyFixture;
const until = Number(untilArg);
const core = createCore({ dataDir, secretStore: new FileSecretStore(join(dataDir, 'secrets.json')) });
await core.start();
const open = core.impl.current;
if (!open) throw new Error('no session to resume');
// every step is accepted locally (the plan is built so), so queued mutations = steps done
let i = (open.replica.meta()?.nextMutationId ?? 1) - 1;
for (; i < until; i++) {
  const s = journeyStep(fixture, i);
  const r = await core.mutate(s.name, s.args);
  if (!r.ok) {
    process.stdout.write(`step ${i} refused locally: ${r.code} ${r.message}\n`);
    process.exit(2);
  }
  process.stdout.write(`step ${i}\n`);
  await new Promise((res) => setTimeout(res, 2));
}
process.stdout.write('done\n');
await core.close();
process.exit(0);
