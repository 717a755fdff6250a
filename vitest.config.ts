import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    reporters: ['default', './test/support/summary-reporter.ts'],
    projects: [
      {
        test: {
          name: 'unit',
          include: ['src/**/*.test.ts'],
          exclude: ['src/**/*.integration.test.ts'],
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          exclude: ['test/integration/console/**'],
          testTimeout: 30_000,
          hookTimeout: 30_000,
        },
      },
      {
        // the console in a real Chromium: slower steps on a shared machine, so longer limits
        test: {
          name: 'console',
          include: ['test/integration/console/**/*.test.ts'],
          // the browser tests need dist/web built from the current sources
          globalSetup: ['./test/support/console-build.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
