import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    pool: 'forks',
    execArgv: ['--liftoff-only'],
    // Generous: the suite runs two files at once on two cores, and the tests that spawn the CLI
    // or a cluster of processes take several seconds each even alone. Tests never assert timings.
    testTimeout: 180_000,
    hookTimeout: 180_000,
    // Integration tests use fresh schemas, prefixes and temp folders per file, so files may run in parallel.
    fileParallelism: true,
    // Many files wait on processes, sockets and sleeps rather than CPU: two at once halves the
    // wall time on a 2-core machine (vitest's default there is one).
    maxWorkers: 2,
    reporters: ['default'],
  },
});
