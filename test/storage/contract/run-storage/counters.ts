import { describe, expect, it } from 'vitest';
import type { StepOutcome } from '../../../../src/storage/instance.js';
import { at, failed, fresh, graph, newRun, succeeded } from '../../fixtures.js';
import type { ContractContext } from '../contract-context.js';

const canceledAttempt: StepOutcome = { status: 'CANCELED', attempt: 1, at: at(10), durationMs: 5, error: { name: 'SluiceError', message: 'run canceled', code: 'RUN_CANCELED' } };

export function describeCounters(ctx: ContractContext): void {
  describe('run counters (unfinished, ready)', () => {
    it('counts down unfinished steps through success, failure with skips, a canceled attempt and cancelPendingSteps, and not on retry', async () => {
      const p = fresh('count');
      const k = (name: string) => `${p}/${name}`;
      const run = newRun(graph(p, { a: [], b: ['a'], c: ['b'], x: [], y: [], z: ['y'] }));
      await ctx.instance.runs.createRun(run);
      expect(await ctx.instance.runs.unfinishedStepCount(run.id)).toBe(6);

      await ctx.instance.runs.startStep(run.id, k('x'), 1, at(1), 'w');
      expect(await ctx.instance.runs.retryStep(run.id, k('x'), { ...failed(1), retryDelayMs: 0 })).toBe(true);
      expect(await ctx.instance.runs.unfinishedStepCount(run.id)).toBe(6);
      await ctx.instance.runs.startStep(run.id, k('x'), 2, at(2), 'w');
      expect(await ctx.instance.runs.finishStep(run.id, k('x'), succeeded(2))).toEqual({ ready: [], skipped: [], remaining: 5 });

      await ctx.instance.runs.startStep(run.id, k('a'), 1, at(3), 'w');
      expect(await ctx.instance.runs.finishStep(run.id, k('a'), failed())).toEqual({ ready: [], skipped: [k('b'), k('c')], remaining: 2 });
      expect(await ctx.instance.runs.unfinishedStepCount(run.id)).toBe(2);

      await ctx.instance.runs.startStep(run.id, k('y'), 1, at(4), 'w');
      expect(await ctx.instance.runs.finishStep(run.id, k('y'), canceledAttempt)).toEqual({ ready: [], skipped: [], remaining: 1 });
      expect(await ctx.instance.runs.cancelPendingSteps(run.id, at(5))).toEqual([k('z')]);
      expect(await ctx.instance.runs.unfinishedStepCount(run.id)).toBe(0);
      // A repeated finish changes nothing and reports the count as it is.
      expect(await ctx.instance.runs.finishStep(run.id, k('x'), succeeded(2))).toEqual({ ready: [], skipped: [], remaining: 0 });
      expect(await ctx.instance.runs.unfinishedStepCount(fresh('missing'))).toBe(0);
    });

    it('releases the join of a diamond exactly once when its two middle steps finish concurrently', async () => {
      for (let round = 0; round < 10; round++) {
        const p = fresh('diamond');
        const k = (name: string) => `${p}/${name}`;
        const run = newRun(graph(p, { a: [], b: ['a'], c: ['a'], d: ['b', 'c'] }));
        await ctx.instance.runs.createRun(run);
        await ctx.instance.runs.startStep(run.id, k('a'), 1, at(1), 'w');
        expect(await ctx.instance.runs.finishStep(run.id, k('a'), succeeded())).toEqual({ ready: [k('b'), k('c')], skipped: [], remaining: 3 });
        await Promise.all([ctx.instance.runs.startStep(run.id, k('b'), 1, at(2), 'w1'), ctx.instance.runs.startStep(run.id, k('c'), 1, at(2), 'w2')]);
        const results = await Promise.all([ctx.instance.runs.finishStep(run.id, k('b'), succeeded()), ctx.instance.runs.finishStep(run.id, k('c'), succeeded())]);
        expect(results.flatMap((result) => result.ready)).toEqual([k('d')]);
        expect(results.map((result) => result.remaining).sort()).toEqual([1, 2]);
        expect(await ctx.instance.runs.readySteps(run.id)).toEqual([k('d')]);
        expect(await ctx.instance.runs.unfinishedStepCount(run.id)).toBe(1);
      }
    });

    it('releases a step with many parents exactly once, and only after the last of them succeeded', async () => {
      const parents = Array.from({ length: 8 }, (_, i) => `p${i}`);
      for (let round = 0; round < 3; round++) {
        const p = fresh('fanin');
        const k = (name: string) => `${p}/${name}`;
        const run = newRun(graph(p, { ...Object.fromEntries(parents.map((name) => [name, []])), join: parents }));
        await ctx.instance.runs.createRun(run);
        await Promise.all(parents.map((name) => ctx.instance.runs.startStep(run.id, k(name), 1, at(1), 'w')));
        const results = await Promise.all(parents.map((name) => ctx.instance.runs.finishStep(run.id, k(name), succeeded())));
        expect(results.flatMap((result) => result.ready)).toEqual([k('join')]);
        // The one that released it finished last: nothing but the join is left.
        expect(results.find((result) => result.ready.length > 0)?.remaining).toBe(1);
        expect(results.map((result) => result.remaining).sort((x, y) => x - y)).toEqual(parents.map((_, i) => i + 1));
      }
    });

    it('never deadlocks or miscounts when starts, finishes, failures and a cancel of two runs sharing assets race', async () => {
      const p = fresh('mix');
      const shape = { a: [], b: ['a'], c: ['a'], d: ['b', 'c'], e: [], f: ['e'] };
      const runs = [newRun(graph(p, shape)), newRun(graph(p, shape))];
      for (const run of runs) await ctx.instance.runs.createRun(run);
      const k = (name: string) => `${p}/${name}`;
      const attempt = async (runId: string, name: string, outcome: StepOutcome) => {
        const start = await ctx.instance.runs.startStep(runId, k(name), 1, at(1), 'w');
        return start.started ? ctx.instance.runs.finishStep(runId, k(name), outcome) : undefined;
      };
      await Promise.all([
        attempt(runs[0]!.id, 'a', succeeded()),
        attempt(runs[1]!.id, 'a', failed()),
        attempt(runs[0]!.id, 'e', succeeded()),
        attempt(runs[1]!.id, 'e', succeeded()),
        ctx.instance.runs.cancelPendingSteps(runs[1]!.id, at(2)),
      ]);
      for (const run of runs) {
        const steps = await ctx.instance.runs.listSteps(run.id);
        const unfinished = steps.filter((step) => step.status === 'PENDING' || step.status === 'RUNNING').length;
        expect(await ctx.instance.runs.unfinishedStepCount(run.id)).toBe(unfinished);
      }
    });
  });
}
