import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
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
    projects: [
      {
        // The pure domain's tests (core/ has no I/O, clock or env): 35 files of milliseconds each,
        // which in a fresh process per file spent most of their time starting it and importing
        // src/. They share their workers' processes and module graph instead (10 s -> 4 s).
        extends: true,
        test: { name: 'core', include: ['test/core/**/*.test.ts'], isolate: false },
      },
      {
        extends: true,
        test: { name: 'integration', include: ['test/**/*.test.ts'], exclude: ['test/core/**'] },
      },
    ],
  },
});
