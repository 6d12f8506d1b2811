import { defineConfig } from 'vitest/config';

// One runner, four projects. `pnpm test` runs them all against a throwaway stack;
// `pnpm test:unit` runs the ones that need nothing running.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['packages/*/src/**/*.test.ts'],
          exclude: ['**/node_modules/**', 'packages/local-stack/src/**/*.stack.test.ts'],
        },
      },
      {
        test: {
          name: 'integration',
          include: ['supabase/tests/**/*.test.ts', 'packages/local-stack/src/**/*.stack.test.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      'apps/web',
      {
        test: {
          name: 'e2e',
          include: ['apps/web/e2e/**/*.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
