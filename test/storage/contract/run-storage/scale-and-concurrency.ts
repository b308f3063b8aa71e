import { describe, expect, it } from 'vitest';
import { assetStep, at, fresh, graph, newRun, succeeded } from '../../fixtures.js';
import type { ContractContext } from '../contract-context.js';

const LARGE_RUN_STEPS = 10_000;

export function describeScaleAndConcurrency(ctx: ContractContext): void {
  describe('scale and concurrency', () => {
    it(`creates a ${LARGE_RUN_STEPS}-step run in one call`, async () => {
      // A binary tree: step i depends on step (i - 1) / 2. 9 parameters per step row would be
      // 90,000 in one INSERT, past Postgres's 65,535 limit, so this fails unless inserts are chunked.
      const p = fresh('large');
      const key = (i: number) => `${p}/s${String(i).padStart(5, '0')}`;
      const steps = Array.from({ length: LARGE_RUN_STEPS }, (_, i) => assetStep(key(i), i === 0 ? [] : [key(Math.floor((i - 1) / 2))]));
      const run = newRun(steps);
      await ctx.instance.runs.createRun(run);

      const stored = await ctx.instance.runs.listSteps(run.id);
      expect(stored.map((step) => step.key)).toEqual(steps.map((step) => step.key));
      expect(stored.every((step) => step.status === 'PENDING')).toBe(true);
      expect(await ctx.instance.runs.readySteps(run.id)).toEqual([key(0)]);
      await ctx.instance.runs.startStep(run.id, key(0), 1, at(1), 'w');
      expect(await ctx.instance.runs.finishStep(run.id, key(0), succeeded())).toEqual({ ready: [key(1), key(2)], skipped: [], remaining: LARGE_RUN_STEPS - 1 });
    });

    it('releases a child exactly once when its two parents finish concurrently', async () => {
      for (let round = 0; round < 10; round++) {
        const p = fresh('race');
        const run = newRun(graph(p, { a: [], b: [], c: ['a', 'b'] }));
        await ctx.instance.runs.createRun(run);
        await ctx.instance.runs.startStep(run.id, `${p}/a`, 1, at(1), 'w1');
        await ctx.instance.runs.startStep(run.id, `${p}/b`, 1, at(1), 'w2');
        const results = await Promise.all([
          ctx.instance.runs.finishStep(run.id, `${p}/a`, succeeded()),
          ctx.instance.runs.finishStep(run.id, `${p}/b`, succeeded()),
        ]);
        expect(results.flatMap((result) => result.ready)).toEqual([`${p}/c`]);
      }
    });

    it('lets exactly one of two concurrent starts of a step win', async () => {
      const p = fresh('start');
      const run = newRun(graph(p, { a: [] }));
      await ctx.instance.runs.createRun(run);
      const started = await Promise.all([1, 2, 3].map((n) => ctx.instance.runs.startStep(run.id, `${p}/a`, 1, at(n), `w${n}`)));
      expect(started.filter((result) => result.started)).toHaveLength(1);
      expect(started.filter((result) => !result.started)).toEqual([
        { started: false, reason: 'not-pending' },
        { started: false, reason: 'not-pending' },
      ]);
      const winner = started.findIndex((result) => result.started) + 1;
      expect(await ctx.instance.runs.listSteps(run.id)).toMatchObject([{ status: 'RUNNING', attempt: 1, worker: `w${winner}`, startedAt: at(winner) }]);
    });
  });
}
