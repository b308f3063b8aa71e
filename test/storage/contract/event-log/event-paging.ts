import { describe, expect, it } from 'vitest';
import { at, failed, fresh, graph, newRun, succeeded } from '../../fixtures.js';
import type { ContractContext } from '../contract-context.js';

/** Event ids of a run increase in commit order, whatever writes them concurrently: a reader paging by afterId misses nothing. */
export function describeEventPaging(ctx: ContractContext): void {
  describe('event paging under concurrent writers', () => {
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
      // The cancel races the second half of the starts (starts of one run are batched, so a cancel
      // sent at once could take nearly every step before it starts).
      let startedCount = 0;
      let halfStarted!: () => void;
      const half = new Promise<void>((resolve) => (halfStarted = resolve));
      await Promise.all([
        ...names.map(async (name, i) => {
          const key = `${p}/${name}`;
          const started = (await ctx.instance.runs.startStep(run.id, key, 1, at(1), 'w')).started;
          if (++startedCount === names.length / 2) halfStarted();
          if (!started) return;
          await ctx.instance.eventLog.appendEvents([{ type: 'LOG', runId: run.id, stepKey: key, at: at(2), data: { level: 'info', msg: name } }]);
          if (i % 4 === 1) {
            await ctx.instance.runs.retryStep(run.id, key, { ...failed(1), retryDelayMs: 0 });
            await ctx.instance.runs.startStep(run.id, key, 2, at(3), 'w');
            await ctx.instance.runs.finishStep(run.id, key, succeeded(2));
          } else await ctx.instance.runs.finishStep(run.id, key, i % 4 === 2 ? failed() : succeeded());
        }),
        half.then(() => ctx.instance.runs.cancelPendingSteps(run.id, at(4))),
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
