import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countByStep, countMarks, once } from './fixtures/event-tally.js';
import { FaultCluster } from './fixtures/fault-cluster.js';
import type { CliProcess } from './fixtures/cli-process.js';
import { deleteKeys } from './fixtures/redis-keys.js';

const STEPS = ['join', 'p1', 'p2', 'p3'];
const POOLED = ['s1', 's2', 's3'];

// Fault: every key under this cluster's prefix is deleted on the shared Redis (a FLUSHALL or an
// eviction, scoped to this test). The connections stay up, but jobs and queue metadata are gone.
describe('Redis keys flushed', () => {
  let cluster: FaultCluster;
  let processes: CliProcess[];
  beforeAll(async () => {
    cluster = await FaultCluster.start({
      env: { SLUICE_POOLS: 'serial=1' },
      assets: [
        { key: 'p1', sleepMs: 0, gate: 'flushed' },
        { key: 'p2', sleepMs: 0, gate: 'flushed' },
        { key: 'p3', sleepMs: 300 },
        { key: 'join', deps: ['p1', 'p2', 'p3'], sleepMs: 100 },
        ...POOLED.map((key) => ({ key, sleepMs: 300, pool: 'serial' })),
      ],
    });
    processes = [await cluster.daemon(), ...(await Promise.all([cluster.worker('worker-1'), cluster.worker('worker-2')]))];
  });
  afterAll(async () => {
    await cluster?.destroy();
  });

  // The running steps' jobs and the waiting job of p3 are gone. The running steps finish; the run
  // monitor re-enqueues p3 from Postgres (only it can: no finishing step would enqueue p3).
  it('mid-run: rebuilds the lost queue from Postgres and completes the run', async () => {
    const { proc: follower, runId } = await cluster.materialize('+key:join');
    // Both one-slot workers busy with p1 and p2; p3 waits in BullMQ.
    await cluster.waitForMark('p1 and p2 started', () => {
      const started = cluster.marks(runId).filter((m) => m.event === 'start').map((m) => m.step);
      return started.includes('p1') && started.includes('p2');
    });
    expect(await cluster.job(runId, 'p3', 1)).toBeDefined();

    const flushedAt = Date.now();
    expect(await deleteKeys(cluster.redisUrl, cluster.prefix)).toBeGreaterThan(0);
    expect(await cluster.job(runId, 'p3', 1)).toBeUndefined();
    cluster.openGate('flushed');

    expect((await follower.waitForExit(30_000)).code, cluster.diagnostics()).toBe(0);
    expect((await cluster.instance.runs.getRun(runId))!.status).toBe('SUCCESS');
    const events = await cluster.events(runId);
    expect(countByStep(events, 'STEP_STARTED')).toEqual(once(STEPS));
    expect(countByStep(events, 'STEP_SUCCEEDED')).toEqual(once(STEPS));
    expect(countByStep(events, 'MATERIALIZATION')).toEqual(once(STEPS));
    expect(countByStep(events, 'STEP_FAILED')).toEqual({});
    // User code ran once per step; p3 (whose job was lost) only after the flush.
    const marks = cluster.marks(runId);
    expect(countMarks(marks, 'start')).toEqual(once(STEPS));
    expect(countMarks(marks, 'end')).toEqual(once(STEPS));
    expect(marks.find((m) => m.step === 'p3' && m.event === 'start')!.at).toBeGreaterThan(flushedAt);

    expect(processes.map((p) => [p.name, p.alive])).toEqual([
      ['daemon', true],
      ['worker-1', true],
      ['worker-2', true],
    ]);
    expect(await cluster.jobCounts()).toMatchObject({ active: 0, waiting: 0, delayed: 0 });
  });

  // A pool's limit is BullMQ queue metadata in Redis: after a flush, the next run of the pool's
  // steps must still run them one at a time although two workers are idle.
  it('keeps pool limits: steps of a pool of 1 never overlap after a flush', async () => {
    await deleteKeys(cluster.redisUrl, cluster.prefix);
    const { proc: follower, runId } = await cluster.materialize('key:s*', 'materialize-pooled');
    expect((await follower.waitForExit(30_000)).code, cluster.diagnostics()).toBe(0);

    const marks = cluster.marks(runId);
    expect(countMarks(marks, 'end')).toEqual(once(POOLED));
    const spans = POOLED.map((step) => ({
      step,
      start: marks.find((m) => m.step === step && m.event === 'start')!.at,
      end: marks.find((m) => m.step === step && m.event === 'end')!.at,
    })).sort((a, b) => a.start - b.start);
    for (let i = 1; i < spans.length; i++) {
      expect(spans[i]!.start, `${spans[i]!.step} started before ${spans[i - 1]!.step} ended`).toBeGreaterThanOrEqual(spans[i - 1]!.end);
    }
  });
});
