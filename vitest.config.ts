import { defineConfig } from 'vitest/config';

// CI asks for a machine-readable report next to the usual output (see .ci/run).
const report = process.env.UPCAUSE_TEST_REPORT;

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The long fault tests run on their own: `npm run test:faults`.
    exclude: ['test/faults/**', 'node_modules/**'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Tests share one Redis; each file uses its own key prefix, so files may run in parallel.
    fileParallelism: true,
    reporters: report ? ['default', ['json', { outputFile: report }]] : ['default'],
  },
});
