import { describe, expect, it } from 'vitest';
import { at, failed, fresh, graph, newRun, succeeded } from '../../fixtures.js';
import type { ContractContext } from '../contract-context.js';

const ZERO_COUNTS = { PENDING: 0, RUNNING: 0, SUCCEEDED: 0, FAILED: 0, SKIPPED: 0, CANCELED: 0 };

export function describeRunStepStats(ctx: ContractContext): void {
  describe('runStepStats', () => {
    it('sums attempts, retries and failures, lists distinct workers and counts steps by status, per run', async () => {
      const p = fresh('stats');
      const k = (name: string) => `${p}/${name}`;
      const busy = newRun(graph(p, { a: [], b: [], c: ['a'], d: [] }));
      const idle = newRun(graph(fresh('stats'), { x: [], y: [] }));
      await ctx.instance.runs.createRun(busy);
      await ctx.instance.runs.createRun(idle);
      const { instance } = ctx;
      // a: fails once on w1, retried on w2 and succeeds; b fails on w1; c runs on w2; d never starts.
      await instance.runs.startStep(busy.id, k('a'), 1, at(1), 'w1');
      expect(await instance.runs.retryStep(busy.id, k('a'), { ...failed(1), retryDelayMs: 0 })).toBe(true);
      await instance.runs.startStep(busy.id, k('a'), 2, at(2), 'w2');
      await instance.runs.finishStep(busy.id, k('a'), succeeded(2));
      await instance.runs.startStep(busy.id, k('b'), 1, at(3), 'w1');
      await instance.runs.finishStep(busy.id, k('b'), failed(1));
      await instance.runs.startStep(busy.id, k('c'), 1, at(4), 'w2');

      const unknown = fresh('no-such-run');
      const stats = await instance.runs.runStepStats([busy.id, idle.id, unknown]);
      expect([...stats.keys()].sort()).toEqual([busy.id, idle.id, unknown].sort());
      expect(stats.get(busy.id)).toEqual({
        attempts: 4,
        retries: 1,
        failures: 1,
        workers: ['w1', 'w2'],
        stepCounts: { ...ZERO_COUNTS, PENDING: 1, RUNNING: 1, SUCCEEDED: 1, FAILED: 1 },
      });
      expect(stats.get(idle.id)).toEqual({ attempts: 0, retries: 0, failures: 0, workers: [], stepCounts: { ...ZERO_COUNTS, PENDING: 2 } });
      expect(stats.get(unknown)).toEqual({ attempts: 0, retries: 0, failures: 0, workers: [], stepCounts: ZERO_COUNTS });

      await instance.runs.finishStep(busy.id, k('c'), succeeded(1));
      expect(await instance.runs.cancelPendingSteps(busy.id, at(20))).toEqual([k('d')]);
    });

    it('answers an empty list with an empty map', async () => {
      expect((await ctx.instance.runs.runStepStats([])).size).toBe(0);
    });
  });
}
