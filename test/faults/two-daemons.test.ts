import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FaultCluster } from './fixtures/fault-cluster.js';

const RUNS = 10;

// Fault: two daemons at once. One holds the run-queue lease and starts runs; both run monitors
// reconcile the same runs. Every run must start exactly once and succeed.
describe('two daemons at once', () => {
  let cluster: FaultCluster;
  beforeAll(async () => {
    cluster = await FaultCluster.start({
      assets: [
        { key: 'load', sleepMs: 100 },
        { key: 'publish', deps: ['load'], sleepMs: 100 },
      ],
      // No worker dies here; a longer lock keeps a worker slowed down by ten CLI processes starting
      // at once on a small machine from having its live jobs taken over.
      env: { SLUICE_LOCK_DURATION_MS: '8000' },
    });
  });
  afterAll(async () => {
    await cluster?.destroy();
  });

  it(`starts each of ${RUNS} quickly submitted runs exactly once, and all succeed`, async () => {
    const daemons = await Promise.all([cluster.daemon('daemon-1'), cluster.daemon('daemon-2')]);
    await Promise.all([cluster.worker('worker-1', 2), cluster.worker('worker-2', 2)]);

    const runIds = await Promise.all(Array.from({ length: RUNS }, () => cluster.submit('*')));
    expect(new Set(runIds).size).toBe(RUNS);
    const ended = await Promise.all(runIds.map((id) => cluster.waitForRunEnd(id)));
    expect(ended.map((r) => r.status)).toEqual(Array(RUNS).fill('SUCCESS'));

    for (const runId of runIds) {
      expect(await cluster.events(runId, ['RUN_STARTED'])).toHaveLength(1);
      expect((await cluster.events(runId, ['STEP_STARTED'])).map((e) => e.stepKey).sort()).toEqual(['load', 'publish']);
      expect((await cluster.events(runId, ['STEP_SUCCEEDED'])).map((e) => e.stepKey).sort()).toEqual(['load', 'publish']);
    }
    // User code ran once per step per run: 2 steps x RUNS runs, each started and ended once.
    const marks = cluster.marks();
    expect(marks.filter((m) => m.event === 'start')).toHaveLength(2 * RUNS);
    expect(marks.filter((m) => m.event === 'end')).toHaveLength(2 * RUNS);

    // Both daemons were up the whole time and report themselves alive.
    expect(daemons.every((d) => d.alive)).toBe(true);
    const status = await cluster.cli(['daemon', 'status', '--json']);
    expect(status.code).toBe(0);
    const beats = JSON.parse(status.stdout) as Array<{ kind: string; pid: number; alive: boolean }>;
    expect(beats.filter((b) => b.kind === 'daemon' && b.alive).map((b) => b.pid).sort()).toEqual(daemons.map((d) => d.pid).sort());
  });
});
