import { describe, expect, it } from 'vitest';
import type { Instance } from '../../../../src/storage/instance.js';
import { at, failed, fresh, graph, newRun, succeeded } from '../../fixtures.js';
import type { ContractContext } from '../contract-context.js';

/** Creates the run and returns its id and a key function for its steps. */
async function runOf(instance: Instance, shape: Record<string, string[]>) {
  const p = fresh('steps');
  const run = newRun(graph(p, shape));
  await instance.runs.createRun(run);
  return { runId: run.id, k: (name: string) => `${p}/${name}` };
}

async function statuses(instance: Instance, runId: string): Promise<Record<string, string>> {
  const steps = await instance.runs.listSteps(runId);
  return Object.fromEntries(steps.map((step) => [step.key.split('/')[1], step.status]));
}

export function describeSteps(ctx: ContractContext): void {
  describe('steps', () => {
    it('listSteps keeps plan order; readySteps lists PENDING steps whose deps all succeeded, by key', async () => {
      const { runId, k } = await runOf(ctx.instance, { b: [], a: [], c: ['a'] });
      expect((await ctx.instance.runs.listSteps(runId)).map((step) => step.key)).toEqual([k('b'), k('a'), k('c')]);
      expect(await ctx.instance.runs.readySteps(runId)).toEqual([k('a'), k('b')]);
    });

    it('listSteps with keys returns only those steps, still in plan order; unknown keys are not there', async () => {
      const { runId, k } = await runOf(ctx.instance, { b: [], a: [], c: ['a'] });
      expect((await ctx.instance.runs.listSteps(runId, { keys: [k('c'), k('b'), k('missing')] })).map((step) => step.key)).toEqual([k('b'), k('c')]);
      expect(await ctx.instance.runs.listSteps(runId, { keys: [] })).toEqual([]);
      const [whole] = (await ctx.instance.runs.listSteps(runId)).filter((step) => step.key === k('c'));
      expect(await ctx.instance.runs.listSteps(runId, { keys: [k('c')] })).toEqual([whole]);
    });

    it('unfinishedStepCount counts PENDING and RUNNING steps only', async () => {
      const { runId, k } = await runOf(ctx.instance, { a: [], b: ['a'], c: [] });
      expect(await ctx.instance.runs.unfinishedStepCount(runId)).toBe(3);
      await ctx.instance.runs.startStep(runId, k('a'), 1, at(1), 'w');
      expect(await ctx.instance.runs.unfinishedStepCount(runId)).toBe(3);
      await ctx.instance.runs.finishStep(runId, k('a'), failed());
      expect(await ctx.instance.runs.unfinishedStepCount(runId)).toBe(1);
      await ctx.instance.runs.cancelPendingSteps(runId, at(20));
      expect(await ctx.instance.runs.unfinishedStepCount(runId)).toBe(0);
    });

    it('startStep starts a PENDING step once; a second start is not-pending', async () => {
      const { runId, k } = await runOf(ctx.instance, { a: [] });
      expect(await ctx.instance.runs.startStep(runId, k('a'), 1, at(1), 'host:1')).toEqual({ started: true });
      expect(await ctx.instance.runs.startStep(runId, k('a'), 1, at(2), 'host:2')).toEqual({ started: false, reason: 'not-pending' });
      expect(await ctx.instance.runs.startStep(runId, k('missing'), 1, at(2), 'host:2')).toEqual({ started: false, reason: 'not-pending' });

      const [step] = await ctx.instance.runs.listSteps(runId);
      expect(step).toMatchObject({ status: 'RUNNING', attempt: 1, startedAt: at(1), worker: 'host:1' });
      // The attempt's runner writes STEP_STARTED with its first events; startStep writes none.
      expect((await ctx.instance.eventLog.listEvents(runId)).map((event) => event.type)).toEqual(['RUN_QUEUED']);
      expect(await ctx.instance.runs.readySteps(runId)).toEqual([]);
    });

    it('finishStep releases a child only when all its deps succeeded (diamond)', async () => {
      const { runId, k } = await runOf(ctx.instance, { a: [], b: ['a'], c: ['a'], d: ['b', 'c'] });
      await ctx.instance.runs.startStep(runId, k('a'), 1, at(1), 'w');
      expect(await ctx.instance.runs.finishStep(runId, k('a'), succeeded())).toEqual({ ready: [k('b'), k('c')], skipped: [], remaining: 3 });
      await ctx.instance.runs.startStep(runId, k('b'), 1, at(2), 'w');
      await ctx.instance.runs.startStep(runId, k('c'), 1, at(2), 'w');
      expect(await ctx.instance.runs.finishStep(runId, k('b'), succeeded())).toEqual({ ready: [], skipped: [], remaining: 2 });
      expect(await ctx.instance.runs.readySteps(runId)).toEqual([]);
      expect(await ctx.instance.runs.finishStep(runId, k('c'), succeeded())).toEqual({ ready: [k('d')], skipped: [], remaining: 1 });
      expect(await statuses(ctx.instance, runId)).toEqual({ a: 'SUCCEEDED', b: 'SUCCEEDED', c: 'SUCCEEDED', d: 'PENDING' });
      const [a] = await ctx.instance.runs.listSteps(runId);
      expect(a).toMatchObject({ endedAt: at(10), error: null });
    });

    it('a failed step skips its transitive downstream but not independent branches', async () => {
      const { runId, k } = await runOf(ctx.instance, { a: [], b: ['a'], c: ['b'], d: ['c', 'x'], x: [], y: ['x'] });
      await ctx.instance.runs.startStep(runId, k('a'), 1, at(1), 'w');
      await ctx.instance.runs.startStep(runId, k('x'), 1, at(1), 'w');

      expect(await ctx.instance.runs.finishStep(runId, k('a'), failed())).toEqual({ ready: [], skipped: [k('b'), k('c'), k('d')], remaining: 2 });
      expect(await statuses(ctx.instance, runId)).toEqual({ a: 'FAILED', b: 'SKIPPED', c: 'SKIPPED', d: 'SKIPPED', x: 'RUNNING', y: 'PENDING' });
      expect(await ctx.instance.runs.finishStep(runId, k('x'), succeeded())).toEqual({ ready: [k('y')], skipped: [], remaining: 1 });

      const events = await ctx.instance.eventLog.listEvents(runId);
      const failedEvent = events.find((event) => event.type === 'STEP_FAILED');
      expect(failedEvent?.data).toEqual({ attempt: 1, durationMs: 5, error: { name: 'Error', message: 'boom' }, willRetry: false });
      const skipped = events.filter((event) => event.type === 'STEP_SKIPPED');
      expect(skipped.map((event) => event.stepKey).sort()).toEqual([k('b'), k('c'), k('d')]);
      expect(skipped[0]?.data).toEqual({ reason: `upstream step "${k('a')}" failed` });
      const [a] = await ctx.instance.runs.listSteps(runId);
      expect(a?.error).toEqual({ name: 'Error', message: 'boom' });
    });

    it('a CANCELED attempt ends the step CANCELED with STEP_CANCELED and leaves its downstream PENDING', async () => {
      const { runId, k } = await runOf(ctx.instance, { a: [], b: ['a'] });
      await ctx.instance.runs.startStep(runId, k('a'), 1, at(1), 'w');
      const outcome = { status: 'CANCELED' as const, attempt: 1, at: at(10), durationMs: 5, error: { name: 'SluiceError', message: 'run canceled', code: 'RUN_CANCELED' } };
      expect(await ctx.instance.runs.finishStep(runId, k('a'), outcome)).toEqual({ ready: [], skipped: [], remaining: 1 });
      expect(await statuses(ctx.instance, runId)).toEqual({ a: 'CANCELED', b: 'PENDING' });
      const types = (await ctx.instance.eventLog.listEvents(runId)).map((event) => event.type);
      expect(types.slice(-1)).toEqual(['STEP_CANCELED']);
      expect(types).not.toContain('STEP_FAILED');
      expect(await ctx.instance.runs.cancelPendingSteps(runId, at(11))).toEqual([k('b')]);
    });

    it('finishStep is idempotent per attempt and ignores a stale attempt', async () => {
      const { runId, k } = await runOf(ctx.instance, { a: [], b: ['a'] });
      await ctx.instance.runs.startStep(runId, k('a'), 1, at(1), 'w');
      expect(await ctx.instance.runs.finishStep(runId, k('a'), succeeded(2))).toEqual({ ready: [], skipped: [], remaining: 2 });
      expect(await statuses(ctx.instance, runId)).toEqual({ a: 'RUNNING', b: 'PENDING' });

      const outcome = succeeded(1, { materialization: { metadata: { rows: 1 } } });
      expect(await ctx.instance.runs.finishStep(runId, k('a'), outcome)).toEqual({ ready: [k('b')], skipped: [], remaining: 1 });
      const eventsAfterFirst = await ctx.instance.eventLog.listEvents(runId);
      expect(await ctx.instance.runs.finishStep(runId, k('a'), outcome)).toEqual({ ready: [], skipped: [], remaining: 1 });
      expect(await ctx.instance.runs.finishStep(runId, k('a'), failed())).toEqual({ ready: [], skipped: [], remaining: 1 });
      expect(await ctx.instance.eventLog.listEvents(runId)).toEqual(eventsAfterFirst);
      expect(await ctx.instance.eventLog.materializations(k('a'))).toHaveLength(1);
      expect(await statuses(ctx.instance, runId)).toEqual({ a: 'SUCCEEDED', b: 'PENDING' });
    });

    it('retryStep puts a RUNNING attempt back to PENDING with STEP_FAILED willRetry', async () => {
      const { runId, k } = await runOf(ctx.instance, { a: [], b: ['a'] });
      await ctx.instance.runs.startStep(runId, k('a'), 1, at(1), 'w');
      const log = { type: 'LOG' as const, runId, stepKey: k('a'), at: at(2), data: { level: 'warn' as const, msg: 'flaky' } };
      const retry = { ...failed(1), events: [log], retryDelayMs: 250 };
      expect(await ctx.instance.runs.retryStep(runId, k('a'), retry)).toBe(true);
      expect(await ctx.instance.runs.retryStep(runId, k('a'), retry)).toBe(false);
      expect(await statuses(ctx.instance, runId)).toEqual({ a: 'PENDING', b: 'PENDING' });
      expect(await ctx.instance.runs.readySteps(runId)).toEqual([k('a')]);

      const events = (await ctx.instance.eventLog.listEvents(runId)).slice(1);
      expect(events.map(({ type, data }) => ({ type, data }))).toEqual([
        { type: 'LOG', data: { level: 'warn', msg: 'flaky' } },
        { type: 'STEP_FAILED', data: { attempt: 1, durationMs: 5, error: { name: 'Error', message: 'boom' }, willRetry: true, retryDelayMs: 250 } },
      ]);

      expect(await ctx.instance.runs.startStep(runId, k('a'), 2, at(3), 'w2')).toEqual({ started: true });
      expect((await ctx.instance.runs.listSteps(runId))[0]).toMatchObject({ status: 'RUNNING', attempt: 2, worker: 'w2', error: null, endedAt: null });
      expect(await ctx.instance.runs.finishStep(runId, k('a'), succeeded(2))).toEqual({ ready: [k('b')], skipped: [], remaining: 1 });
    });

    it('cancelPendingSteps cancels only PENDING steps, once', async () => {
      const { runId, k } = await runOf(ctx.instance, { a: [], b: ['a'], c: [] });
      await ctx.instance.runs.startStep(runId, k('a'), 1, at(1), 'w');
      expect(await ctx.instance.runs.cancelPendingSteps(runId, at(2))).toEqual([k('b'), k('c')]);
      expect(await ctx.instance.runs.cancelPendingSteps(runId, at(3))).toEqual([]);
      expect(await statuses(ctx.instance, runId)).toEqual({ a: 'RUNNING', b: 'CANCELED', c: 'CANCELED' });
      const canceled = (await ctx.instance.eventLog.listEvents(runId, { types: ['STEP_CANCELED'] })).map((event) => [event.stepKey, event.at]);
      expect(canceled).toEqual([
        [k('b'), at(2)],
        [k('c'), at(2)],
      ]);
      expect(await ctx.instance.runs.finishStep(runId, k('a'), succeeded())).toEqual({ ready: [], skipped: [], remaining: 0 });
    });
  });
}
