import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FaultCluster } from './fixtures/fault-cluster.js';
import { waitFor } from './fixtures/wait-for.js';

// `sluice runs cancel` in one process, the run's steps in a worker process, the follower in a third:
// the cancel reaches the running step through Redis pub/sub and the queued work through BullMQ.
describe('sluice runs cancel across processes', () => {
  let cluster: FaultCluster;
  beforeAll(async () => {
    cluster = await FaultCluster.start({
      assets: [
        // Ready at once, taken first (jobs are enqueued in key order) by the one-slot worker.
        { key: 'a_running', sleepMs: 600_000 },
        // Ready at once too, so its job waits in BullMQ behind a_running.
        { key: 'b_queued', sleepMs: 100 },
        // Not ready until a_running succeeds: PENDING in storage, no job yet.
        { key: 'c_downstream', deps: ['a_running'], sleepMs: 100 },
      ],
    });
  });
  afterAll(async () => {
    await cluster?.destroy();
  });

  it('aborts the running step on its worker, drops the queued steps, and ends the run CANCELED', async () => {
    await cluster.daemon();
    const worker = await cluster.worker('worker', 1);
    const { proc: follower, runId } = await cluster.materialize('*');
    await cluster.waitForMark('a_running started', (m) => m.run === runId && m.step === 'a_running' && m.event === 'start');
    expect(await cluster.job(runId, 'b_queued', 1), 'b_queued should be waiting in BullMQ before the cancel').toBeDefined();

    const cancel = await cluster.cli(['runs', 'cancel', runId]);
    expect(cancel.code, cancel.stderr).toBe(0);
    expect(cancel.stdout).toMatch(/CANCEL(ING|ED)/);
    // The queued step's job is gone as soon as the cancel command returns.
    expect(await cluster.job(runId, 'b_queued', 1)).toBeUndefined();

    expect((await follower.waitForExit(30_000)).code, cluster.diagnostics()).toBe(130);
    expect((await cluster.instance.runs.getRun(runId))!.status).toBe('CANCELED');
    // The running step saw ctx.signal abort, in the worker process.
    const aborted = await waitFor('the abort mark', () => cluster.marks(runId).find((m) => m.event === 'aborted'));
    expect(aborted).toMatchObject({ step: 'a_running', attempt: 1, pid: worker.pid });
    expect(cluster.marks(runId).map((m) => [m.step, m.event])).toEqual([
      ['a_running', 'start'],
      ['a_running', 'aborted'],
    ]);
    expect((await cluster.instance.runs.listSteps(runId)).map((s) => [s.key, s.status, s.attempt])).toEqual([
      ['a_running', 'CANCELED', 1],
      ['b_queued', 'CANCELED', 0],
      ['c_downstream', 'CANCELED', 0],
    ]);
    const runEvents = (await cluster.events(runId)).filter((e) => e.type.startsWith('RUN_')).map((e) => e.type);
    expect(runEvents).toEqual(['RUN_QUEUED', 'RUN_STARTED', 'RUN_CANCELING', 'RUN_CANCELED']);
    expect(await cluster.jobCounts()).toMatchObject({ active: 0, waiting: 0, delayed: 0 });
    expect(worker.alive).toBe(true);
  });
});
