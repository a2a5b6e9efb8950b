import { defineConfig } from 'vitest/config';

// Long fault tests (real processes killed, Redis frozen, minutes of load): `npm run test:faults`.
const report = process.env.UPCAUSE_FAULTS_REPORT;

export default defineConfig({
  test: {
    include: ['test/faults/**/*.test.ts'],
    testTimeout: 300_000,
    hookTimeout: 60_000,
    fileParallelism: false,
    reporters: report ? ['default', ['json', { outputFile: report }]] : ['default'],
  },
});
