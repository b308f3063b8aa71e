import { describe, expect, it } from 'vitest';
import { assetStep, at, failed, fresh, newRun, succeeded } from '../../fixtures.js';
import type { ContractContext } from '../contract-context.js';
import { partitionRun } from '../partition-runs.js';

export function describePartitions(ctx: ContractContext): void {
  describe('partitions', () => {
    it('records one materialization and one state row per partition; a failure keeps the last materialization time', async () => {
      const asset = fresh('part_state');
      const first = await partitionRun(ctx.instance, asset, ['2024-10-01']);
      await ctx.instance.runs.startStep(first, asset, 1, at(1), 'w');
      await ctx.instance.runs.finishStep(first, asset, succeeded(1, { at: at(2), materialization: { metadata: {}, codeVersion: 'v1' } }));
      const second = await partitionRun(ctx.instance, asset, ['2024-10-01']);
      await ctx.instance.runs.startStep(second, asset, 1, at(3), 'w');
      await ctx.instance.runs.finishStep(second, asset, failed(1));
      const other = await partitionRun(ctx.instance, asset, ['2024-10-02']);
      await ctx.instance.runs.startStep(other, asset, 1, at(5), 'w');
      await ctx.instance.runs.finishStep(other, asset, succeeded(1, { at: at(6), materialization: { metadata: {}, codeVersion: 'v2' } }));

      expect(await ctx.instance.eventLog.assetPartitions([asset])).toEqual([
        { assetKey: asset, partitionKey: '2024-10-01', status: 'FAILED', materializedAt: at(2), codeVersion: 'v1', runId: second, stepKey: asset, updatedAt: expect.any(Date) },
        { assetKey: asset, partitionKey: '2024-10-02', status: 'MATERIALIZED', materializedAt: at(6), codeVersion: 'v2', runId: other, stepKey: asset, updatedAt: at(6) },
      ]);
      expect((await ctx.instance.eventLog.materializations(asset)).map((m) => [m.partitionKey, m.codeVersion, m.runId])).toEqual([
        ['2024-10-02', 'v2', other],
        ['2024-10-01', 'v1', first],
      ]);
      expect((await ctx.instance.eventLog.materializations(asset, { partitionKey: '2024-10-01' })).map((m) => m.runId)).toEqual([first]);
    });

    it('an unpartitioned asset has one state row under the empty partition key', async () => {
      const asset = fresh('unpart_state');
      const run = newRun([assetStep(asset)]);
      await ctx.instance.runs.createRun(run);
      await ctx.instance.runs.startStep(run.id, asset, 1, at(1), 'w');
      await ctx.instance.runs.finishStep(run.id, asset, succeeded(1, { at: at(2), materialization: { metadata: {} } }));
      expect(await ctx.instance.eventLog.assetPartitions([asset])).toMatchObject([{ partitionKey: '', status: 'MATERIALIZED', materializedAt: at(2), codeVersion: null }]);
      expect(await ctx.instance.eventLog.materializations(asset)).toMatchObject([{ partitionKey: null }]);
    });

    it('a check of a single-partition run records the partition; a cursor is kept per partition', async () => {
      const asset = fresh('part_check');
      const run = await partitionRun(ctx.instance, asset, ['eu'], true);
      await ctx.instance.runs.startStep(run, asset, 1, at(1), 'w');
      await ctx.instance.runs.finishStep(run, asset, succeeded(1, { materialization: { metadata: {} }, cursor: { value: { high: 5 } } }));
      await ctx.instance.runs.startStep(run, `${asset}#valid`, 1, at(2), 'w');
      await ctx.instance.runs.finishStep(run, `${asset}#valid`, succeeded(1, { check: { passed: false, severity: 'WARN', blocking: false, metadata: {} } }));
      expect(await ctx.instance.eventLog.checkResults({ runId: run })).toMatchObject([{ partitionKey: 'eu' }]);
      expect(await ctx.instance.eventLog.getCursor(asset, 'eu')).toMatchObject({ value: { high: 5 }, partitionKey: 'eu' });
      expect(await ctx.instance.eventLog.getCursor(asset)).toBeUndefined();
    });
  });
}
