import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['drizzle/**/*.test.ts', 'shared/**/*.test.ts', 'server/**/*.test.ts', 'electron/core/**/*.test.ts', 'electron/host/**/*.test.ts', 'renderer/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
