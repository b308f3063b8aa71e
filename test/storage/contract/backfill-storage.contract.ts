import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { assetStep, at, fresh, newRun } from '../fixtures.js';
import type { ContractContext } from './contract-context.js';
import { partitioned } from './partition-runs.js';

/** The BackfillStorage contract: a backfill is written with all its runs, and ends once none of them is active. */
export function backfillStorageContract(ctx: ContractContext): void {
  describe('BackfillStorage', () => {
    describe('backfills', () => {
      it('writes the backfill and its runs in one go, and finishes it once no run is active', async () => {
        const asset = fresh('bf');
        const id = randomUUID();
        const keys = Array.from({ length: 300 }, (_, i) => `p${String(i).padStart(3, '0')}`);
        const runs = keys.map((key) => newRun([partitioned(assetStep(asset), [key])], { partition: key, trigger: `backfill:${id}` }));
        const backfill = await ctx.instance.backfills.createBackfill(
          {
            id,
            selection: asset,
            from: keys[0]!,
            to: keys.at(-1)!,
            policy: { kind: 'chunks', size: 1 },
            maxConcurrentRuns: 4,
            partitions: keys,
            trigger: 'cli',
            tags: { team: 'data' },
            at: at(1),
          },
          runs,
        );
        expect(backfill).toMatchObject({ id, status: 'RUNNING', runCount: 300, maxConcurrentRuns: 4, policy: { kind: 'chunks', size: 1 }, endedAt: null });
        expect(await ctx.instance.backfills.getBackfill(id)).toEqual(backfill);
        expect((await ctx.instance.backfills.listBackfills({ limit: 5 })).map((b) => b.id)).toContain(id);
        const listed = await ctx.instance.backfills.listBackfillRuns(id);
        expect(listed).toHaveLength(300);
        expect(listed[0]).toMatchObject({ status: 'QUEUED', partition: 'p000' });
        expect(await ctx.instance.runs.getRun(runs[7]!.id)).toMatchObject({ backfillId: id, partition: 'p007' });

        expect(await ctx.instance.backfills.finishBackfillIfDone(id, at(2))).toBe('RUNNING');
        for (const [i, run] of runs.entries()) {
          await ctx.instance.runs.setRunStatus(run.id, 'STARTED', at(3));
          await ctx.instance.runs.setRunStatus(run.id, i === 5 ? 'FAILURE' : 'SUCCESS', at(4));
        }
        expect(await ctx.instance.backfills.finishBackfillIfDone(id, at(5))).toBe('FAILED');
        expect(await ctx.instance.backfills.getBackfill(id)).toMatchObject({ status: 'FAILED', endedAt: at(5) });
      });

      it('a canceled backfill ends CANCELED once its runs ended; a reused id writes nothing', async () => {
        const asset = fresh('bf_cancel');
        const id = randomUUID();
        const run = newRun([partitioned(assetStep(asset), ['a'])], { partition: 'a' });
        const spec = { id, selection: asset, from: 'a', to: 'a', policy: { kind: 'per-partition' as const }, maxConcurrentRuns: null, partitions: ['a'], trigger: 'cli', tags: {}, at: at(1) };
        await ctx.instance.backfills.createBackfill(spec, [run]);
        expect(await ctx.instance.backfills.requestBackfillCancel(id, at(2))).toBe(true);
        expect(await ctx.instance.backfills.requestBackfillCancel(id, at(2))).toBe(false);
        expect(await ctx.instance.backfills.finishBackfillIfDone(id, at(3))).toBe('CANCELING');
        await ctx.instance.runs.setRunStatus(run.id, 'CANCELED', at(4));
        expect(await ctx.instance.backfills.finishBackfillIfDone(id, at(5))).toBe('CANCELED');

        const other = newRun([assetStep(fresh('bf_other'))]);
        await expect(ctx.instance.backfills.createBackfill(spec, [other])).rejects.toMatchObject({ code: 'RUN_ALREADY_EXISTS' });
        expect(await ctx.instance.runs.getRun(other.id)).toBeUndefined();
      });
    });
  });
}
