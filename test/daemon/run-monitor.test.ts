import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runMonitorTick } from '../../src/daemon/run-monitor.js';
import { buildPlan } from '../../src/core/plan/execution-plan.js';
import type { RunLauncher } from '../../src/execution/run-launcher.js';
import type { Instance } from '../../src/storage/instance.js';
import { openInstance } from '../../src/storage/index.js';
import { graphOf, noop } from '../fixtures/graph.js';

let instance: Instance;
beforeAll(async () => {
  instance = await openInstance({ kind: 'pglite', dataDir: undefined });
});
afterAll(() => instance.close());

/** A launcher that only records what the monitor hands it (the port, not a stand-in for a service). */
function recordingLauncher(): RunLauncher & { started: string[] } {
  const started: string[] = [];
  return { kind: 'in-process', started, start: async (id) => void started.push(id), cancel: async () => {}, active: () => [], close: async () => {} };
}

describe('run monitor', () => {
  it('leaves a progressing run alone and adopts it once it stalls', async () => {
    const graph = graphOf([noop('m_a'), noop('m_b', ['m_a'])]);
    const runId = crypto.randomUUID();
    await instance.runs.createRun({ id: runId, selection: '*', trigger: 'test', tags: {}, config: {}, configRef: null, steps: buildPlan(graph, new Set(['m_a', 'm_b'])).steps, at: new Date() });
    await instance.runs.setRunStatus(runId, 'STARTED', new Date());
    const launcher = recordingLauncher();
    // The previous tick saw one more unfinished step: the run progressed since.
    const progress = new Map([[runId, 3]]);
    await runMonitorTick({ instance, launcher, workerTimeoutMs: 10_000, now: () => new Date(), progress });
    expect(launcher.started).toEqual([]);
    expect(progress.get(runId)).toBe(2);
    // No progress since: the monitor reconciles and hands the orphaned run to the launcher.
    await runMonitorTick({ instance, launcher, workerTimeoutMs: 10_000, now: () => new Date(), progress });
    expect(launcher.started).toEqual([runId]);
  });

  it('leaves a run it first sees alone while the run has only just started, and adopts an older one at once', async () => {
    const graph = graphOf([noop('f_a')]);
    const launcher = recordingLauncher();
    const progress = new Map<string, number>();
    const fresh = crypto.randomUUID();
    const old = crypto.randomUUID();
    const now = new Date();
    for (const [id, startedAt] of [[fresh, new Date(now.getTime() - 1_000)], [old, new Date(now.getTime() - 60_000)]] as const) {
      await instance.runs.createRun({ id, selection: '*', trigger: 'test', tags: {}, config: {}, configRef: null, steps: buildPlan(graph, new Set(['f_a'])).steps, at: startedAt });
      await instance.runs.setRunStatus(id, 'STARTED', startedAt);
    }
    await runMonitorTick({ instance, launcher, workerTimeoutMs: 10_000, now: () => now, progress });
    // The fresh run's launcher has just enqueued its steps: re-adding them would race its workers.
    expect(launcher.started).toEqual([old]);
    expect(progress.get(fresh)).toBe(1);
    // Still no progress one tick later: now it is reconciled too.
    await runMonitorTick({ instance, launcher, workerTimeoutMs: 10_000, now: () => now, progress });
    expect(launcher.started).toContain(fresh);
    for (const id of [fresh, old]) await instance.runs.setRunStatus(id, 'CANCELED', now);
  });

  it('forgets runs that are no longer active', async () => {
    const progress = new Map([['gone', 5]]);
    await runMonitorTick({ instance, launcher: recordingLauncher(), workerTimeoutMs: 10_000, now: () => new Date(), progress });
    expect(progress.has('gone')).toBe(false);
  });
});
