import { describe, expect, it } from 'vitest';
import { assetStep, at, checkStep, fresh, graph, newRun, succeeded } from '../../fixtures.js';
import type { ContractContext } from '../contract-context.js';
import { partitioned } from '../partition-runs.js';

/** Starts of one run made at the same moment (batched in one statement on PGlite): each gets what startStep alone gives. */
export function describeStartBatch(ctx: ContractContext): void {
  describe('starts made together', () => {
    it('each get their own result: started, not-pending (twice the same step, one not PENDING), asset-busy with the holder, a check, a ranged step', async () => {
      const p = fresh('starts');
      const k = (name: string) => `${p}/${name}`;
      const other = newRun(graph(p, { b: [] }));
      await ctx.instance.runs.createRun(other);
      expect(await ctx.instance.runs.startStep(other.id, k('b'), 1, at(1), 'w0')).toEqual({ started: true });
      const run = newRun([...graph(p, { a: [], b: [], c: [], e: [], x: [] }), checkStep(k('e'), 'valid'), partitioned(assetStep(k('r')), ['p1', 'p2'])], { partition: 'p1...p2' });
      await ctx.instance.runs.createRun(run);
      for (const name of ['e', 'x']) await ctx.instance.runs.startStep(run.id, k(name), 1, at(1), 'w1');
      await ctx.instance.runs.finishStep(run.id, k('e'), succeeded());

      const names = ['a', 'a', 'b', 'c', 'e#valid', 'r', 'x'];
      const results = await Promise.all(names.map((name, i) => ctx.instance.runs.startStep(run.id, k(name), 2, at(2 + i), `w${i}`)));
      // The two starts of `a` race (on server Postgres each is its own statement on its own
      // connection): exactly one of them wins, and its worker holds the step and its lock.
      const aWinner = results[0]!.started ? 0 : 1;
      expect([results[aWinner], results[1 - aWinner]]).toEqual([{ started: true }, { started: false, reason: 'not-pending' }]);
      expect(results.slice(2)).toEqual([
        { started: false, reason: 'asset-busy', holder: { runId: other.id, stepKey: k('b') } },
        { started: true },
        { started: true },
        { started: true },
        { started: false, reason: 'not-pending' },
      ]);
      const steps = Object.fromEntries((await ctx.instance.runs.listSteps(run.id)).map((s) => [s.key.slice(p.length + 1), [s.status, s.attempt, s.worker, s.startedAt?.getTime()]]));
      expect(steps).toEqual({
        a: ['RUNNING', 2, `w${aWinner}`, at(2 + aWinner).getTime()],
        b: ['PENDING', 0, null, undefined],
        c: ['RUNNING', 2, 'w3', at(5).getTime()],
        e: ['SUCCEEDED', 1, 'w1', at(1).getTime()],
        'e#valid': ['RUNNING', 2, 'w4', at(6).getTime()],
        r: ['RUNNING', 2, 'w5', at(7).getTime()],
        x: ['RUNNING', 1, 'w1', at(1).getTime()],
      });
      const locks = (await ctx.instance.coordination.listAssetLocks())
        .filter((lock) => lock.assetKey.startsWith(p))
        .map((lock) => `${lock.assetKey.slice(p.length + 1)}:${lock.partitionKey}:${lock.runId === run.id ? 'run' : 'other'}:${lock.worker}`)
        .sort();
      expect(locks).toEqual([`a::run:w${aWinner}`, 'b::other:w0', 'c::run:w3', 'r:p1:run:w5', 'r:p2:run:w5', 'x::run:w1']);
    });
  });
}
