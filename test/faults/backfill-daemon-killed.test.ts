import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dailyPartitions } from '../../src/core/partitions/partitions-definition.js';
import { launchBackfill } from '../../src/execution/launch-backfill.js';
import { graphOf, noop } from '../fixtures/graph.js';
import { FaultCluster } from './fixtures/fault-cluster.js';
import { waitFor } from './fixtures/wait-for.js';

const DAYS = dailyPartitions({ start: '2024-10-01' });

// A 30-day backfill through BullMQ workers; the daemon (run queue, monitor, backfill settling) is
// SIGKILLed a third of the way in and started again. Every partition must be materialized exactly
// once, and never more than --max-concurrent-runs of the backfill's runs at once.
describe('a backfill whose daemon is killed halfway', () => {
  let cluster: FaultCluster;
  beforeAll(async () => {
    cluster = await FaultCluster.start({
      assets: [
        { key: 'day', sleepMs: 150, partitions: `dailyPartitions({ start: '2024-10-01' })` },
        { key: 'clean', deps: ['day'], sleepMs: 50, partitions: `dailyPartitions({ start: '2024-10-01' })` },
      ],
    });
  });
  afterAll(async () => {
    await cluster?.destroy();
  });

  it('finishes after the restart with every partition materialized once', async () => {
    const first = await cluster.daemon('daemon-1');
    await Promise.all([cluster.worker('worker-1', 2), cluster.worker('worker-2', 2)]);
    // The test plans with the same graph shape the project's files declare (the workers run those).
    const graph = graphOf([noop('day', [], { partitions: DAYS }), noop('clean', ['day'], { partitions: DAYS })]);
    const backfill = await launchBackfill(
      { instance: cluster.instance, graph },
      { selection: '*', from: '2024-10-01', to: '2024-10-30', policy: { kind: 'per-partition' }, maxConcurrentRuns: 4, trigger: 'test', now: new Date() },
    );
    expect(backfill).toMatchObject({ status: 'RUNNING', runCount: 30 });

    const succeeded = async () => (await cluster.instance.backfills.listBackfillRuns(backfill.id)).filter((r) => r.status === 'SUCCESS').length;
    await waitFor('10 runs of the backfill to succeed', async () => ((await succeeded()) >= 10 ? true : undefined), { timeoutMs: 40_000, context: () => cluster.diagnostics() });
    await first.kill('SIGKILL');
    const halfway = await succeeded();
    expect(halfway).toBeLessThan(30);

    await cluster.daemon('daemon-2');
    const done = await waitFor(
      'the backfill to end',
      async () => {
        const b = await cluster.instance.backfills.getBackfill(backfill.id);
        return b && b.status !== 'RUNNING' ? b : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 200, context: () => cluster.diagnostics() },
    );
    expect(done.status).toBe('COMPLETED');

    const runs = await cluster.instance.backfills.listBackfillRuns(backfill.id);
    expect(runs.map((r) => r.status)).toEqual(new Array(30).fill('SUCCESS'));
    const keys = Array.from({ length: 30 }, (_, i) => `2024-10-${String(i + 1).padStart(2, '0')}`);
    for (const asset of ['day', 'clean']) {
      // Storage: one materialization per partition.
      const materialized = await cluster.instance.eventLog.materializations(asset);
      expect(materialized.map((m) => m.partitionKey).sort()).toEqual(keys);
      // User code: each partition's code ran exactly once.
      const starts = cluster.marks().filter((m) => m.step === asset && m.event === 'start');
      expect(starts.map((m) => m.partition).sort()).toEqual(keys);
      expect((await cluster.instance.eventLog.assetPartitions([asset])).every((p) => p.status === 'MATERIALIZED')).toBe(true);
    }

    // Never more than 4 of its runs at once: sweep the runs' [started, ended] intervals.
    const headers = await Promise.all(runs.map((r) => cluster.instance.runs.getRun(r.runId)));
    const edges = headers.flatMap((r) => [
      { at: r!.startedAt!.getTime(), d: 1 },
      { at: r!.endedAt!.getTime(), d: -1 },
    ]);
    edges.sort((a, b) => a.at - b.at || a.d - b.d);
    let running = 0;
    let peak = 0;
    for (const e of edges) peak = Math.max(peak, (running += e.d));
    expect(peak).toBeLessThanOrEqual(4);
    expect(peak).toBeGreaterThanOrEqual(2);
  });
});
