import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    pool: 'forks',
    // both cores of the CI machine (vitest's default leaves one idle on two)
    maxWorkers: 2,
  },
});
