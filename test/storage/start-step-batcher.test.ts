import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StartStepBatcher } from '../../src/storage/start-step-batcher.js';
import type { Instance, StartStepResult } from '../../src/storage/instance.js';
import { openInstance } from '../../src/storage/index.js';
import type { StepStart } from '../../src/storage/sql/start-steps.js';
import { at, fresh, graph, newRun } from './fixtures.js';

describe('StartStepBatcher (one run\'s starts batched)', () => {
  let instance: Instance;
  beforeAll(async () => {
    instance = await openInstance({ kind: 'pglite', dataDir: undefined });
  });
  afterAll(async () => {
    await instance.close();
  });

  async function pendingRun(names: string[]) {
    const p = fresh('starter');
    const run = newRun(graph(p, Object.fromEntries(names.map((n) => [n, []]))));
    await instance.runs.createRun(run);
    return { runId: run.id, key: (n: string) => `${p}/${n}` };
  }
  const start = (stepKey: string): StepStart => ({ stepKey, attempt: 1, at: at(1), worker: 'w' });
  const one = (runId: string, s: StepStart) => instance.runs.startStep(runId, s.stepKey, s.attempt, s.at, s.worker);

  it('starts the first alone and those that came meanwhile in one batch; a key twice waits for the next; what the batch cannot settle goes alone', async () => {
    const { runId, key } = await pendingRun(['a', 'b', 'c', 'd']);
    const calls: string[] = [];
    const batcher = new StartStepBatcher(
      (id, s) => {
        calls.push(`one ${s.stepKey.slice(-1)}`);
        return one(id, s);
      },
      async (id, starts) => {
        calls.push(`many ${starts.map((s) => s.stepKey.slice(-1)).join('')}`);
        // The store settles b and c; d is left to a start of its own.
        return (await Promise.all(starts.map((s) => one(id, s)))).map((r, i) => (starts[i]!.stepKey === key('d') ? undefined : r)) as (StartStepResult | undefined)[];
      },
    );
    const results = await Promise.all(['a', 'b', 'c', 'b', 'd'].map((n) => batcher.start(runId, start(key(n)))));
    expect(calls).toEqual(['one a', 'many bcd', 'one d', 'one b']);
    expect(results).toEqual([
      { started: true },
      { started: true },
      { started: true },
      { started: false, reason: 'not-pending' },
      // d was started by the batch's own call; its start alone finds it RUNNING.
      { started: false, reason: 'not-pending' },
    ]);
  });

  it('starts each start of a failed batch alone, so that an error is its own', async () => {
    const { runId, key } = await pendingRun(['a', 'b', 'c']);
    let many = 0;
    const batcher = new StartStepBatcher(
      (id, s) => (s.stepKey === key('c') ? Promise.reject(new Error('c cannot start')) : one(id, s)),
      () => {
        many++;
        return Promise.reject(new Error('batch lost'));
      },
    );
    const settled = await Promise.allSettled(['a', 'b', 'c'].map((n) => batcher.start(runId, start(key(n)))));
    expect(many).toBe(1);
    expect(settled.map((s) => (s.status === 'fulfilled' ? s.value.started : (s.reason as Error).message))).toEqual([true, true, 'c cannot start']);
    expect((await instance.runs.listSteps(runId)).map((s) => s.status)).toEqual(['RUNNING', 'RUNNING', 'PENDING']);
  });
});
