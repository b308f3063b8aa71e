import { describe, expect, it } from 'vitest';
import { at, failed, fresh, graph, newRun, succeeded } from '../../fixtures.js';
import type { ContractContext } from '../contract-context.js';

/** finishSteps: several finishes of one run in one transaction, as if they had been made one after the other in key order. */
export function describeGroupCommit(ctx: ContractContext): void {
  describe('group commit (finishSteps)', () => {
    it('ends a batch of mixed outcomes as finishStep would one by one in key order: ready, skipped, counts and events', async () => {
      const p = fresh('batch');
      const k = (name: string) => `${p}/${name}`;
      const materialized = succeeded(1, { materialization: { metadata: { rows: 1 } } });
      const run = newRun(graph(p, { a: [], b: [], c: [], ca: ['a'], cb: ['b'], cbb: ['cb'], x: [] }));
      await ctx.instance.runs.createRun(run);
      for (const name of ['a', 'b', 'c']) await ctx.instance.runs.startStep(run.id, k(name), 1, at(1), 'w');

      // Given out of key order, with a stale finish (x never started) among them.
      const results = await ctx.instance.runs.finishSteps(run.id, [
        { stepKey: k('c'), outcome: succeeded() },
        { stepKey: k('x'), outcome: succeeded() },
        { stepKey: k('b'), outcome: failed() },
        { stepKey: k('a'), outcome: materialized },
      ]);
      // Key order a, b, c, x: a frees ca (7 -> 6), b fails and skips cb and cbb (-> 3), c (-> 2), x nothing.
      expect(results).toEqual([
        { ready: [], skipped: [], remaining: 2 },
        { ready: [], skipped: [], remaining: 2 },
        { ready: [], skipped: [k('cb'), k('cbb')], remaining: 3 },
        { ready: [k('ca')], skipped: [], remaining: 6 },
      ]);
      expect(await ctx.instance.runs.unfinishedStepCount(run.id)).toBe(2);
      expect(await ctx.instance.runs.readySteps(run.id)).toEqual([k('ca'), k('x')]);
      const status = Object.fromEntries((await ctx.instance.runs.listSteps(run.id)).map((s) => [s.key, s.status]));
      expect(status).toEqual({ [k('a')]: 'SUCCEEDED', [k('b')]: 'FAILED', [k('c')]: 'SUCCEEDED', [k('ca')]: 'PENDING', [k('cb')]: 'SKIPPED', [k('cbb')]: 'SKIPPED', [k('x')]: 'PENDING' });

      const events = (await ctx.instance.eventLog.listEvents(run.id)).filter((e) => e.type !== 'RUN_QUEUED').map((e) => `${e.type} ${e.stepKey?.slice(p.length + 1)}`);
      expect(events).toEqual([
        'MATERIALIZATION a',
        'STEP_SUCCEEDED a',
        'STEP_FAILED b',
        'STEP_SKIPPED cb',
        'STEP_SKIPPED cbb',
        'STEP_SUCCEEDED c',
      ]);
      expect(await ctx.instance.eventLog.latestMaterializations([k('a'), k('b'), k('c')])).toHaveProperty('size', 1);

      // The same batch again writes nothing.
      const again = await ctx.instance.runs.finishSteps(run.id, [
        { stepKey: k('a'), outcome: materialized },
        { stepKey: k('c'), outcome: succeeded() },
      ]);
      expect(again).toEqual([
        { ready: [], skipped: [], remaining: 2 },
        { ready: [], skipped: [], remaining: 2 },
      ]);
      expect(await ctx.instance.eventLog.listEvents(run.id)).toHaveLength(1 + events.length);
    });

    it('releases shared children exactly once and lets a tailer miss nothing when batches over overlapping steps commit concurrently', async () => {
      for (let round = 0; round < 3; round++) {
        const p = fresh('batches');
        const k = (name: string) => `${p}/${name}`;
        // Layer one (p0..p11), each child of layer two joins two parents that land in different batches.
        const parents = Array.from({ length: 12 }, (_, i) => `p${i}`);
        const children = Object.fromEntries(parents.map((_, i) => [`c${i}`, [`p${i}`, `p${(i * 5 + 7) % 12}`]]));
        const run = newRun(graph(p, { ...Object.fromEntries(parents.map((name) => [name, []])), ...children }));
        await ctx.instance.runs.createRun(run);
        await Promise.all(parents.map((name) => ctx.instance.runs.startStep(run.id, k(name), 1, at(1), 'w')));

        const seen: number[] = [];
        const poll = async () => {
          for (const event of await ctx.instance.eventLog.listEvents(run.id, { afterId: seen.at(-1) ?? 0 })) seen.push(event.id);
        };
        let writing = true;
        const reader = (async () => {
          while (writing) await poll();
        })();
        // Three "workers", each with a batch of four parents, one failing (its children are skipped).
        const batches = [0, 1, 2].map((w) => parents.filter((_, i) => i % 3 === w));
        const results = await Promise.all(
          batches.map((batch) => ctx.instance.runs.finishSteps(run.id, batch.map((name) => ({ stepKey: k(name), outcome: name === 'p4' ? failed() : succeeded() })))),
        );
        writing = false;
        await reader;
        await poll();

        const all = (await ctx.instance.eventLog.listEvents(run.id)).map((event) => event.id);
        expect(seen).toEqual(all);
        const steps = await ctx.instance.runs.listSteps(run.id);
        const ready = results.flat().flatMap((r) => r.ready).sort();
        const pending = steps.filter((s) => s.status === 'PENDING').map((s) => s.key).sort();
        // Every child not skipped was released once, by the batch whose parent was its last.
        expect(ready).toEqual(pending);
        expect(new Set(ready).size).toBe(ready.length);
        expect(steps.filter((s) => s.status === 'SKIPPED').map((s) => s.key).sort()).toEqual([k('c4'), k('c9')].sort());
        expect(await ctx.instance.runs.unfinishedStepCount(run.id)).toBe(pending.length);
        expect(results.flat().filter((r) => r.remaining === pending.length)).toHaveLength(1);
      }
    });
  });
}
