// The scale bench's relay process: relayCore.ts bundled as scripts/build-relay.ts bundles the
// relay for production (ES module, npm packages external) and run with plain Node.
// PARLEY_BENCH_RELAY_TSX=1 runs relayCore.ts here, through tsx, as before (comparison).
import { join } from 'node:path';
import { relayBundle } from '../../scripts/bundleOptions';
import { runBundled } from './bundled';

if (process.env.PARLEY_BENCH_RELAY_TSX) await import('./relayCore');
else await runBundled(join(import.meta.dirname, 'relayCore.ts'), { build: relayBundle });
