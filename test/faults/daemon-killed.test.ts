import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FaultCluster } from './fixtures/fault-cluster.js';
import type { Mark } from './fixtures/marked-project.js';

/** [start, end] of each attempt of each step, from the marks; an attempt without an end lasts forever. */
function intervals(marks: readonly Mark[]): Map<string, Array<{ attempt: number; pid: number; start: number; end: number }>> {
  const out = new Map<string, Array<{ attempt: number; pid: number; start: number; end: number }>>();
  for (const m of marks.filter((x) => x.event === 'start')) {
    const end = marks.find((x) => x.event === 'end' && x.run === m.run && x.step === m.step && x.attempt === m.attempt && x.pid === m.pid);
    const key = `${m.run}/${m.step}`;
    out.set(key, [...(out.get(key) ?? []), { attempt: m.attempt, pid: m.pid, start: m.at, end: end?.at ?? Infinity }]);
  }
  return out;
}

// Fault: the daemon (run queue + run monitor) is SIGKILLed mid-run and started again. Workers keep
// executing; the new daemon must not start anything twice: it finds the RUNNING steps alive, and
// takes the run-queue lease over once the dead daemon's lease expires.
describe('a daemon killed with SIGKILL mid-run and restarted', () => {
  let cluster: FaultCluster;
  beforeAll(async () => {
    cluster = await FaultCluster.start({
      assets: [
        // Running while the daemon is dead and while the restarted daemon's monitor looks at it.
        { key: 'extract', sleepMs: 0, gate: 'daemon-restarted' },
        { key: 'left', deps: ['extract'], sleepMs: 600 },
        { key: 'right', deps: ['extract'], sleepMs: 600 },
        { key: 'report', deps: ['left', 'right'], sleepMs: 300 },
      ],
    });
  });
  afterAll(async () => {
    await cluster?.destroy();
  });

  it('completes the run with every step run once and no attempt overlapping another', async () => {
    const firstDaemon = await cluster.daemon('daemon-1');
    await Promise.all([cluster.worker('worker-1'), cluster.worker('worker-2')]);
    const { proc: follower, runId } = await cluster.materialize('*');
    await cluster.waitForMark('extract started', (m) => m.run === runId && m.step === 'extract' && m.event === 'start');
    await firstDaemon.kill('SIGKILL');

    // Submitted while no daemon runs (the dead one still holds the run-queue lease): stays QUEUED
    // until the restarted daemon takes the lease over.
    const second = await cluster.submit('key:report');
    expect((await cluster.instance.runs.getRun(second))!.status).toBe('QUEUED');
    const restarted = await cluster.daemon('daemon-2');
    // Let the new monitor pass over the running `extract` a few times (every 500 ms) before it ends.
    await new Promise((r) => setTimeout(r, 1500));
    cluster.openGate('daemon-restarted');

    expect((await follower.waitForExit(30_000)).code, cluster.diagnostics()).toBe(0);
    expect((await cluster.waitForRunEnd(second)).status).toBe('SUCCESS');
    expect((await cluster.instance.runs.getRun(runId))!.status).toBe('SUCCESS');

    // User code: every attempt that started ended, and no two attempts of a step overlap in time.
    const byStep = intervals(cluster.marks());
    expect([...byStep.keys()].sort()).toEqual(
      [`${runId}/extract`, `${runId}/left`, `${runId}/right`, `${runId}/report`, `${second}/report`].sort(),
    );
    for (const [step, attempts] of byStep) {
      expect(attempts.every((a) => Number.isFinite(a.end)), `${step} has an attempt that never ended`).toBe(true);
      const sorted = [...attempts].sort((a, b) => a.start - b.start);
      for (let i = 1; i < sorted.length; i++) expect(sorted[i]!.start, `${step}: attempts overlap`).toBeGreaterThanOrEqual(sorted[i - 1]!.end);
    }
    for (const id of [runId, second]) {
      expect(await cluster.events(id, ['RUN_STARTED'])).toHaveLength(1);
      // Storage: exactly one attempt per step (the restarted monitor found the running attempts alive).
      const started = await cluster.events(id, ['STEP_STARTED']);
      const steps = await cluster.instance.runs.listSteps(id);
      expect(started.map((e) => e.stepKey).sort()).toEqual(steps.map((s) => s.key).sort());
      expect(steps.every((s) => s.status === 'SUCCEEDED' && s.attempt === 1)).toBe(true);
    }
    expect(restarted.alive).toBe(true);
    expect(await cluster.jobCounts()).toMatchObject({ active: 0, waiting: 0, delayed: 0 });
  });
});
