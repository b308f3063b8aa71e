import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { missingStartEvent } from '../../src/execution/lost-attempt.js';
import { openInstance } from '../../src/storage/index.js';
import type { Instance } from '../../src/storage/instance.js';
import { assetStep, at, failed, fresh, newRun } from '../storage/fixtures.js';

let instance: Instance;
beforeAll(async () => {
  instance = await openInstance({ kind: 'pglite', dataDir: undefined });
});
afterAll(() => instance.close());

describe('closing a lost attempt', () => {
  it('writes the STEP_STARTED its dead process never wrote, once, before STEP_FAILED', async () => {
    const key = fresh('lost');
    const run = newRun([assetStep(key)]);
    await instance.runs.createRun(run);
    await instance.runs.startStep(run.id, key, 1, at(1), 'host:1');
    const [step] = await instance.runs.listSteps(run.id);

    const missing = await missingStartEvent(instance.eventLog, run.id, step!, at(9));
    expect(missing).toEqual([{ type: 'STEP_STARTED', runId: run.id, stepKey: key, at: at(1), data: { attempt: 1, worker: 'host:1' } }]);
    expect(await instance.runs.retryStep(run.id, key, { ...failed(1), retryDelayMs: 0, events: missing })).toBe(true);
    expect((await instance.eventLog.listEvents(run.id)).map((e) => e.type)).toEqual(['RUN_QUEUED', 'STEP_STARTED', 'STEP_FAILED']);

    // Attempt 2 started and wrote its STEP_STARTED: nothing is missing for it.
    await instance.runs.startStep(run.id, key, 2, at(10), 'host:2');
    await instance.eventLog.appendEvents([{ type: 'STEP_STARTED', runId: run.id, stepKey: key, at: at(10), data: { attempt: 2, worker: 'host:2' } }]);
    const [again] = await instance.runs.listSteps(run.id);
    expect(await missingStartEvent(instance.eventLog, run.id, again!, at(11))).toEqual([]);
  });
});
