import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FaultCluster } from './fixtures/fault-cluster.js';
import { waitFor } from './fixtures/wait-for.js';

// Fault: the worker running a step is SIGKILLed. Its BullMQ lock stops being renewed, another
// worker takes the job over once the lock expires, records the lost attempt and runs the next one.
describe('a worker killed with SIGKILL mid-step', () => {
  let cluster: FaultCluster;
  beforeAll(async () => {
    cluster = await FaultCluster.start({
      assets: [
        // Attempt 1 sleeps far longer than the test: only a takeover can finish the step.
        { key: 'slow', sleepMs: 'ctx.attempt === 1 ? 120_000 : 200' },
        { key: 'after_slow', deps: ['slow'], sleepMs: 50 },
      ],
    });
  });
  afterAll(async () => {
    await cluster?.destroy();
  });

  it('retries the step on the other worker once the lock expires, and the run succeeds', async () => {
    await cluster.daemon();
    const workers = await Promise.all([cluster.worker('worker-1'), cluster.worker('worker-2')]);
    const { proc: follower, runId } = await cluster.materialize('*');

    const first = await cluster.waitForMark('slow attempt 1 started', (m) => m.run === runId && m.step === 'slow' && m.event === 'start');
    const victim = workers.find((w) => w.pid === first.pid);
    const survivor = workers.find((w) => w.pid !== first.pid)!;
    expect(victim, `attempt 1 ran in pid ${first.pid}, not in a worker`).toBeDefined();
    await victim!.kill('SIGKILL');

    const exit = await follower.waitForExit(30_000);
    expect(exit.code, cluster.diagnostics()).toBe(0);
    expect((await cluster.instance.runs.getRun(runId))!.status).toBe('SUCCESS');

    // The event log tells the story: attempt 1 on the victim, lost; attempt 2 on the survivor.
    const events = (await cluster.events(runId, ['STEP_STARTED', 'STEP_FAILED', 'STEP_SUCCEEDED'])).filter((e) => e.stepKey === 'slow');
    expect(events.map((e) => [e.type, (e.data as { attempt: number }).attempt])).toEqual([
      ['STEP_STARTED', 1],
      ['STEP_FAILED', 1],
      ['STEP_STARTED', 2],
      ['STEP_SUCCEEDED', 2],
    ]);
    expect(events[0]!.data).toMatchObject({ worker: victim!.workerId });
    expect(events[1]!.data).toMatchObject({ error: { code: 'WORKER_LOST' }, willRetry: true });
    expect(events[2]!.data).toMatchObject({ worker: survivor.workerId });

    const steps = await cluster.instance.runs.listSteps(runId);
    expect(steps.map((s) => [s.key, s.status, s.attempt, s.worker])).toEqual([
      ['slow', 'SUCCEEDED', 2, survivor.workerId],
      ['after_slow', 'SUCCEEDED', 1, survivor.workerId],
    ]);
    // User code: attempt 1 started on the victim and never ended; attempt 2 ran once, on the survivor.
    expect(cluster.marks(runId).map((m) => [m.step, m.attempt, m.event, m.pid])).toEqual([
      ['slow', 1, 'start', victim!.pid],
      ['slow', 2, 'start', survivor.pid],
      ['slow', 2, 'end', survivor.pid],
      ['after_slow', 1, 'start', survivor.pid],
      ['after_slow', 1, 'end', survivor.pid],
    ]);
    // The taken-over job completed and was removed: nothing is left active (or waiting) in BullMQ.
    expect(await cluster.jobCounts()).toMatchObject({ active: 0, waiting: 0, delayed: 0, failed: 0 });
    expect(survivor.alive).toBe(true);
  });
});

// The same fault for a step handed on: a worker with an idle slot runs the step its finished step
// made ready itself, in the same BullMQ job. That step has no job of its own to be taken over, so
// the daemon's monitor re-enqueues its attempt once the dead worker's heartbeat is stale.
describe('a worker killed with SIGKILL while it runs a step handed on to it', () => {
  let cluster: FaultCluster;
  beforeAll(async () => {
    cluster = await FaultCluster.start({
      assets: [
        { key: 'head', sleepMs: 20 },
        { key: 'middle', deps: ['head'], sleepMs: 'ctx.attempt === 1 ? 120_000 : 200' },
        { key: 'tail', deps: ['middle'], sleepMs: 20 },
      ],
    });
  });
  afterAll(async () => {
    await cluster?.destroy();
  });

  it('runs the lost attempt again on the other worker, and the run succeeds', async () => {
    await cluster.daemon();
    const workers = await Promise.all([cluster.worker('worker-1', 2), cluster.worker('worker-2', 2)]);
    const { proc: follower, runId } = await cluster.materialize('*');

    const first = await cluster.waitForMark('middle attempt 1 started', (m) => m.run === runId && m.step === 'middle' && m.event === 'start');
    const victim = workers.find((w) => w.pid === first.pid)!;
    const survivor = workers.find((w) => w.pid !== first.pid)!;
    expect(victim, `attempt 1 ran in pid ${first.pid}, not in a worker`).toBeDefined();
    // Handed on: `middle` runs in the process that ran `head`, inside head's job, with no job of its own.
    expect(cluster.marks(runId).filter((m) => m.step === 'head').map((m) => m.pid)).toEqual([victim.pid, victim.pid]);
    expect(await cluster.job(runId, 'middle', 1)).toBeUndefined();
    expect(await cluster.job(runId, 'head', 1)).toBeDefined();
    expect(await cluster.jobCounts()).toMatchObject({ active: 1, waiting: 0, delayed: 0 });
    await victim.kill('SIGKILL');

    const exit = await follower.waitForExit(30_000);
    expect(exit.code, cluster.diagnostics()).toBe(0);
    const events = (await cluster.events(runId, ['STEP_STARTED', 'STEP_FAILED', 'STEP_SUCCEEDED'])).filter((e) => e.stepKey === 'middle');
    expect(events.map((e) => [e.type, (e.data as { attempt: number }).attempt])).toEqual([
      ['STEP_STARTED', 1],
      ['STEP_FAILED', 1],
      ['STEP_STARTED', 2],
      ['STEP_SUCCEEDED', 2],
    ]);
    expect(events[1]!.data).toMatchObject({ error: { code: 'WORKER_LOST' }, willRetry: true });
    const steps = await cluster.instance.runs.listSteps(runId);
    expect(steps.map((s) => [s.key, s.status, s.attempt])).toEqual([
      ['head', 'SUCCEEDED', 1],
      ['middle', 'SUCCEEDED', 2],
      ['tail', 'SUCCEEDED', 1],
    ]);
    // Each step's user code ran to its end once; the lost attempt only started.
    expect(cluster.marks(runId).map((m) => [m.step, m.attempt, m.event, m.pid])).toEqual([
      ['head', 1, 'start', victim.pid],
      ['head', 1, 'end', victim.pid],
      ['middle', 1, 'start', victim.pid],
      ['middle', 2, 'start', survivor.pid],
      ['middle', 2, 'end', survivor.pid],
      ['tail', 1, 'start', survivor.pid],
      ['tail', 1, 'end', survivor.pid],
    ]);
    // The dead worker's job (head's, which carried middle) is taken back by BullMQ once its lock
    // expires, found done and completed: nothing stays active, nothing fails. The run may end first.
    const counts = await waitFor('the carrier job to be taken back and completed', async () => {
      const now = await cluster.jobCounts();
      return now.active === 0 ? now : undefined;
    }, { timeoutMs: 30_000, context: () => cluster.diagnostics() });
    expect(counts).toMatchObject({ active: 0, waiting: 0, delayed: 0, failed: 0 });
  });
});
