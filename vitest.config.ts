import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    exclude: ['**/node_modules/**', '.wt/**', 'dist/**', 'reports/**'],
    // Load tests share 2 cores: run files one or two at a time so timing-sensitive checks stay honest.
    fileParallelism: true,
    maxWorkers: 2,
    // CI asks for a JSON report too, to prove that nothing was skipped.
    reporters: process.env.VITEST_JSON ? ['default', 'json'] : ['default'],
    outputFile: process.env.VITEST_JSON ? { json: process.env.VITEST_JSON } : undefined,
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
