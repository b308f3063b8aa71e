import { describe, expect, it } from 'vitest';
import { assetStep, at, failed, fresh, graph, newRun, succeeded } from '../fixtures.js';
import type { ContractContext } from './contract-context.js';

const LARGE_RUN_STEPS = 10_000;

export function describeConcurrency(ctx: ContractContext): void {
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

    it('never lets a reader paging by afterId miss an event written concurrently', async () => {
      const p = fresh('order');
      const names = Array.from({ length: 8 }, (_, i) => `s${i}`);
      const run = newRun(graph(p, Object.fromEntries(names.map((name) => [name, []]))));
      await ctx.instance.runs.createRun(run);
      await Promise.all(names.map((name) => ctx.instance.runs.startStep(run.id, `${p}/${name}`, 1, at(1), 'w')));

      // A tailing reader: if an event could commit after one with a higher id, it would be skipped.
      const seen: number[] = [];
      const poll = async () => {
        for (const event of await ctx.instance.eventLog.listEvents(run.id, { afterId: seen.at(-1) ?? 0 })) seen.push(event.id);
      };
      let writing = true;
      const reader = (async () => {
        while (writing) await poll();
      })();
      await Promise.all(
        names.flatMap((name) => [
          ctx.instance.runs.finishStep(run.id, `${p}/${name}`, succeeded()),
          ctx.instance.eventLog.appendEvents([{ type: 'LOG', runId: run.id, stepKey: `${p}/${name}`, at: at(2), data: { level: 'info', msg: name } }]),
        ]),
      );
      writing = false;
      await reader;
      await poll();

      const all = (await ctx.instance.eventLog.listEvents(run.id)).map((event) => event.id);
      expect(all).toHaveLength(1 + 8 + 8);
      expect(seen).toEqual(all);
    });

    it('never lets a reader paging by afterId miss an event when starts, finishes with skips, retries, appends and a cancel race', async () => {
      const p = fresh('order2');
      const names = Array.from({ length: 16 }, (_, i) => `s${i}`);
      // Each sN has a child cN: a success frees it, a failure skips it, the cancel takes the rest.
      const shape = Object.fromEntries(names.flatMap((name) => [[name, []], [`c${name}`, [name]]]));
      const run = newRun(graph(p, shape));
      await ctx.instance.runs.createRun(run);
      const seen: number[] = [];
      const poll = async () => {
        for (const event of await ctx.instance.eventLog.listEvents(run.id, { afterId: seen.at(-1) ?? 0 })) seen.push(event.id);
      };
      let writing = true;
      const reader = (async () => {
        while (writing) await poll();
      })();
      await Promise.all([
        ...names.map(async (name, i) => {
          const key = `${p}/${name}`;
          if (!(await ctx.instance.runs.startStep(run.id, key, 1, at(1), 'w')).started) return;
          await ctx.instance.eventLog.appendEvents([{ type: 'LOG', runId: run.id, stepKey: key, at: at(2), data: { level: 'info', msg: name } }]);
          if (i % 4 === 1) {
            await ctx.instance.runs.retryStep(run.id, key, { ...failed(1), retryDelayMs: 0 });
            await ctx.instance.runs.startStep(run.id, key, 2, at(3), 'w');
            await ctx.instance.runs.finishStep(run.id, key, succeeded(2));
          } else await ctx.instance.runs.finishStep(run.id, key, i % 4 === 2 ? failed() : succeeded());
        }),
        ctx.instance.runs.cancelPendingSteps(run.id, at(4)),
      ]);
      writing = false;
      await reader;
      await poll();

      const all = (await ctx.instance.eventLog.listEvents(run.id)).map((event) => event.id);
      expect(all.length).toBeGreaterThan(1 + 16 * 2);
      expect(seen).toEqual(all);
      const steps = await ctx.instance.runs.listSteps(run.id);
      expect(await ctx.instance.runs.unfinishedStepCount(run.id)).toBe(steps.filter((step) => step.status === 'PENDING' || step.status === 'RUNNING').length);
    });
  });
}
