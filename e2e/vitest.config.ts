// End-to-end journeys (Playwright in Chromium against browser hosts; Electron when its
// binary exists) plus the Electron main's pure helpers. Serial: each journey runs a
// relay, several hosts and a browser on a 2-core machine.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['e2e/**/*.test.ts', 'electron/main/**/*.test.ts'],
    globalSetup: ['e2e/globalSetup.ts'],
    testTimeout: 180_000,
    hookTimeout: 180_000,
    pool: 'forks',
    fileParallelism: false,
    maxWorkers: 1,
    sequence: { concurrent: false },
  },
});
