import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FinishStepBatcher } from '../../src/storage/finish-step-batcher.js';
import type { Instance } from '../../src/storage/instance.js';
import { openInstance } from '../../src/storage/index.js';
import type { StepFinish } from '../../src/storage/sql/finish-steps.js';
import { at, fresh, graph, newRun, succeeded } from './fixtures.js';

describe('FinishStepBatcher (group commit of one run\'s finishes)', () => {
  let instance: Instance;
  beforeAll(async () => {
    instance = await openInstance({ kind: 'pglite', dataDir: undefined });
  });
  afterAll(async () => {
    await instance.close();
  });

  async function startedRun(names: string[]) {
    const p = fresh('batcher');
    const run = newRun(graph(p, Object.fromEntries(names.flatMap((n) => [[n, []], [`${n}-child`, [n]]]))));
    await instance.runs.createRun(run);
    for (const n of names) await instance.runs.startStep(run.id, `${p}/${n}`, 1, at(1), 'w');
    return { runId: run.id, key: (n: string) => `${p}/${n}` };
  }

  it('writes the first finish alone and those that came meanwhile together, each caller getting its own result', async () => {
    const { runId, key } = await startedRun(['a', 'b', 'c', 'd']);
    const batches: string[][] = [];
    const batcher = new FinishStepBatcher((id, finishes) => {
      batches.push(finishes.map((f) => f.stepKey));
      return instance.runs.finishSteps(id, finishes);
    });
    const results = await Promise.all(['a', 'b', 'c', 'd'].map((n) => batcher.finish(runId, key(n), succeeded())));
    expect(batches).toEqual([[key('a')], [key('b'), key('c'), key('d')]]);
    expect(results.map((r) => r.ready)).toEqual([[key('a-child')], [key('b-child')], [key('c-child')], [key('d-child')]]);
    expect(results.map((r) => r.remaining)).toEqual([7, 6, 5, 4]);
  });

  it('tries each finish of a failed batch on its own: the bad one fails alone, the others are written once', async () => {
    const { runId, key } = await startedRun(['a', 'b', 'c']);
    let calls = 0;
    const batcher = new FinishStepBatcher((id, finishes: readonly StepFinish[]) => {
      calls++;
      return instance.runs.finishSteps(id, finishes);
    });
    const bad = { ...succeeded(), at: new Date(Number.NaN) };
    const settled = await Promise.allSettled([batcher.finish(runId, key('a'), succeeded()), batcher.finish(runId, key('b'), bad), batcher.finish(runId, key('c'), succeeded())]);
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    // a alone; then the batch of b and c, which failed whole; then b and c one by one.
    expect(calls).toBe(4);
    const status = Object.fromEntries((await instance.runs.listSteps(runId)).map((s) => [s.key, s.status]));
    expect([status[key('a')], status[key('b')], status[key('c')]]).toEqual(['SUCCEEDED', 'RUNNING', 'SUCCEEDED']);
    const succeededEvents = (await instance.eventLog.listEvents(runId, { types: ['STEP_SUCCEEDED'] })).map((e) => e.stepKey);
    expect(succeededEvents.sort()).toEqual([key('a'), key('c')]);
  });
});
