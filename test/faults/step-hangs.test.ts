import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FaultCluster } from './fixtures/fault-cluster.js';

// Fault: user code that hangs and ignores ctx.signal. The asset's timeoutMs fails the attempt
// (the promise is abandoned in the background); the worker's slot is free again at once.
describe('a step that hangs past its timeoutMs and ignores its signal', () => {
  let cluster: FaultCluster;
  beforeAll(async () => {
    cluster = await FaultCluster.start({
      assets: [
        { key: 'hangs', sleepMs: 600_000, honorSignal: false, timeoutMs: 1500 },
        { key: 'after_hangs', deps: ['hangs'], sleepMs: 50 },
        { key: 'healthy', sleepMs: 100 },
      ],
    });
  });
  afterAll(async () => {
    await cluster?.destroy();
  });

  it('fails with STEP_TIMEOUT, ends the run FAILURE, and the same worker then runs another run', async () => {
    await cluster.daemon();
    // One worker, one step at a time: the next run can only execute if the hung step freed the slot.
    const worker = await cluster.worker('worker', 1);

    const hung = await cluster.materialize('key:hangs+');
    expect((await hung.proc.waitForExit(30_000)).code, cluster.diagnostics()).toBe(1);
    expect((await cluster.instance.runs.getRun(hung.runId))!.status).toBe('FAILURE');
    const failed = await cluster.events(hung.runId, ['STEP_FAILED']);
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ stepKey: 'hangs', data: { attempt: 1, willRetry: false, error: { code: 'STEP_TIMEOUT' } } });
    expect((await cluster.instance.runs.listSteps(hung.runId)).map((s) => [s.key, s.status, s.attempt])).toEqual([
      ['hangs', 'FAILED', 1],
      ['after_hangs', 'SKIPPED', 0],
    ]);
    // The user code is still "running" (it never returns), yet its asset lock was released.
    expect(cluster.marks(hung.runId).map((m) => [m.step, m.event])).toEqual([['hangs', 'start']]);
    expect(await cluster.instance.coordination.listAssetLocks()).toEqual([]);

    const next = await cluster.materialize('key:healthy', 'materialize-2');
    expect((await next.proc.waitForExit(30_000)).code, cluster.diagnostics()).toBe(0);
    const steps = await cluster.instance.runs.listSteps(next.runId);
    expect(steps.map((s) => [s.key, s.status, s.worker])).toEqual([['healthy', 'SUCCEEDED', worker.workerId]]);
    expect(cluster.marks(next.runId).map((m) => [m.event, m.pid])).toEqual([
      ['start', worker.pid],
      ['end', worker.pid],
    ]);
    expect(worker.alive).toBe(true);
    expect(await cluster.jobCounts()).toMatchObject({ active: 0, waiting: 0, delayed: 0 });
  });
});
