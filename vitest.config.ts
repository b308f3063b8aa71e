import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Integration tests use fresh schemas, prefixes and temp folders per file, so files may run in parallel.
    fileParallelism: true,
    reporters: ['default'],
  },
});
