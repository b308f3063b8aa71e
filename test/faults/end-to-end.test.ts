import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunSummary } from '../../src/execution/run-summary.js';
import { FaultCluster } from './fixtures/fault-cluster.js';

const CHECKS = `
import { defineAssetCheck } from 'sluice';

export const validReadings = defineAssetCheck({
  asset: 'raw/entries',
  name: 'valid_readings',
  blocking: true,
  check: () => ({ passed: true, metadata: { badRows: 0 } }),
});
`;

// No fault: the distributed happy path end to end, with real processes. A daemon and two workers
// run the example-like promotion pipeline that `sluice materialize` submits and follows.
describe('distributed execution end to end', () => {
  let cluster: FaultCluster;
  beforeAll(async () => {
    cluster = await FaultCluster.start({
      assets: [
        { key: 'dev_branch', sleepMs: 100 },
        // Two branches ready at once: with one step per worker, each worker takes one.
        { key: 'raw/entries', deps: ['dev_branch'], sleepMs: 800 },
        { key: 'raw/treatments', deps: ['dev_branch'], sleepMs: 800 },
        { key: 'dbt/daily_glucose', deps: ['raw/entries', 'raw/treatments'], sleepMs: 200 },
        { key: 'promote_dev_to_main', deps: ['dbt/daily_glucose'], sleepMs: 100 },
        { key: 'publish', deps: ['promote_dev_to_main'], sleepMs: 100 },
      ],
      files: { 'assets/checks.ts': CHECKS },
    });
  });
  afterAll(async () => {
    await cluster?.destroy();
  });

  it("materializes '*' through a daemon and two workers, and runs show names the worker of each step", async () => {
    await cluster.daemon();
    const workers = await Promise.all([cluster.worker('worker-1'), cluster.worker('worker-2')]);
    const { proc, runId } = await cluster.materialize('*');
    expect((await proc.waitForExit(30_000)).code, cluster.diagnostics()).toBe(0);
    expect(proc.output).toMatch(new RegExp(`run ${runId}\\s+SUCCESS`));

    const show = await cluster.cli(['runs', 'show', runId, '--json']);
    expect(show.code, show.stderr).toBe(0);
    const summary = JSON.parse(show.stdout) as RunSummary;
    expect(summary.status).toBe('SUCCESS');
    expect(summary.steps.map((s) => [s.key, s.status, s.attempts]).sort()).toEqual(
      [
        ['dev_branch', 'SUCCEEDED', 1],
        ['raw/entries', 'SUCCEEDED', 1],
        ['raw/entries#valid_readings', 'SUCCEEDED', 1],
        ['raw/treatments', 'SUCCEEDED', 1],
        ['dbt/daily_glucose', 'SUCCEEDED', 1],
        ['promote_dev_to_main', 'SUCCEEDED', 1],
        ['publish', 'SUCCEEDED', 1],
      ].sort(),
    );
    expect(summary.steps.find((s) => s.checkName === 'valid_readings')?.check).toMatchObject({ passed: true, blocking: true });

    // Every step names its worker, `host:pid` of one of the two worker processes, and both worked.
    const ids = workers.map((w) => w.workerId);
    for (const step of summary.steps) expect(ids, `worker of ${step.key}`).toContain(step.worker);
    expect(new Set(summary.steps.map((s) => s.worker)).size).toBe(2);
    // And it is where the user code really ran: the pid each asset recorded matches its step's worker.
    const pidOf = new Map(workers.map((w) => [w.workerId, w.pid]));
    for (const mark of cluster.marks(runId).filter((m) => m.event === 'start')) {
      expect(pidOf.get(summary.steps.find((s) => s.key === mark.step)!.worker!), `pid of ${mark.step}`).toBe(mark.pid);
    }
  });
});
