import { describe, expect, it } from 'vitest';
import { at, fresh, succeeded } from '../../fixtures.js';
import type { ContractContext } from '../contract-context.js';
import { locksOn, partitionRun } from '../partition-runs.js';

/** startStep locks (asset, partition), not the asset: partitions of one asset run at once. */
export function describePartitionLocks(ctx: ContractContext): void {
  describe('partition locks', () => {
    it('two partitions of one asset run at once; one partition never does twice', async () => {
      const asset = fresh('part');
      const a = await partitionRun(ctx.instance, asset, ['2024-10-01']);
      const b = await partitionRun(ctx.instance, asset, ['2024-10-02']);
      const again = await partitionRun(ctx.instance, asset, ['2024-10-01']);
      expect(await ctx.instance.runs.getRun(a)).toMatchObject({ partition: '2024-10-01', backfillId: null });
      expect(await ctx.instance.runs.listSteps(a)).toMatchObject([{ partitions: ['2024-10-01'] }]);

      expect(await ctx.instance.runs.startStep(a, asset, 1, at(1), 'w1')).toEqual({ started: true });
      expect(await ctx.instance.runs.startStep(b, asset, 1, at(1), 'w2')).toEqual({ started: true });
      expect(await ctx.instance.runs.startStep(again, asset, 1, at(1), 'w3')).toEqual({ started: false, reason: 'asset-busy', holder: { runId: a, stepKey: asset } });
      expect((await locksOn(ctx.instance, asset)).sort()).toEqual([`2024-10-01:${a}`, `2024-10-02:${b}`].sort());

      await ctx.instance.runs.finishStep(a, asset, succeeded(1, { at: at(2), materialization: { metadata: { rows: 3 }, codeVersion: 'v1' } }));
      expect(await ctx.instance.runs.startStep(again, asset, 1, at(3), 'w3')).toEqual({ started: true });
    });

    it('a ranged step locks every partition or none, and materializes each of them', async () => {
      const asset = fresh('range');
      const single = await partitionRun(ctx.instance, asset, ['2024-10-03']);
      const ranged = await partitionRun(ctx.instance, asset, ['2024-10-01', '2024-10-02', '2024-10-03', '2024-10-04'], true);
      expect(await ctx.instance.runs.startStep(single, asset, 1, at(1), 'w1')).toEqual({ started: true });
      expect(await ctx.instance.runs.startStep(ranged, asset, 1, at(1), 'w2')).toEqual({ started: false, reason: 'asset-busy', holder: { runId: single, stepKey: asset } });
      // Nothing of the refused range is left behind.
      expect(await locksOn(ctx.instance, asset)).toEqual([`2024-10-03:${single}`]);
      expect(await ctx.instance.runs.listSteps(ranged)).toMatchObject([{ status: 'PENDING', attempt: 0 }, { status: 'PENDING' }]);

      await ctx.instance.runs.finishStep(single, asset, succeeded(1, { at: at(2), materialization: { metadata: {} } }));
      expect(await ctx.instance.runs.startStep(ranged, asset, 1, at(3), 'w2')).toEqual({ started: true });
      expect((await locksOn(ctx.instance, asset)).length).toBe(4);
      // A lost attempt restarted re-takes its own locks.
      expect(await ctx.instance.runs.startStep(ranged, asset, 1, at(3), 'w2')).toEqual({ started: false, reason: 'not-pending' });
      const result = await ctx.instance.runs.finishStep(ranged, asset, succeeded(1, { at: at(4), materialization: { metadata: { rows: 4 } } }));
      expect(result.ready).toEqual([`${asset}#valid`]);
      expect(await locksOn(ctx.instance, asset)).toEqual([]);
      expect((await ctx.instance.eventLog.materializations(asset, { limit: 4 })).map((m) => m.partitionKey).sort()).toEqual(['2024-10-01', '2024-10-02', '2024-10-03', '2024-10-04']);
      expect((await ctx.instance.eventLog.assetPartitions([asset])).map((p) => [p.partitionKey, p.runId])).toEqual([
        ['2024-10-01', ranged],
        ['2024-10-02', ranged],
        ['2024-10-03', ranged],
        ['2024-10-04', ranged],
      ]);
      // The range's check result carries no single partition.
      await ctx.instance.runs.startStep(ranged, `${asset}#valid`, 1, at(5), 'w2');
      await ctx.instance.runs.finishStep(ranged, `${asset}#valid`, succeeded(1, { check: { passed: true, severity: 'ERROR', blocking: true, metadata: {} } }));
      expect(await ctx.instance.eventLog.checkResults({ runId: ranged })).toMatchObject([{ partitionKey: null }]);
    });
  });
}
