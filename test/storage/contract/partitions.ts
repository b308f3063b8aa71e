import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { PlanStep } from '../../../src/core/plan/execution-plan.js';
import type { Instance } from '../../../src/storage/instance.js';
import { assetStep, at, checkStep, failed, fresh, newRun, succeeded } from '../fixtures.js';
import type { ContractContext } from './contract-context.js';

function partitioned(step: PlanStep, partitions: string[]): PlanStep {
  return { ...step, partitions };
}

/** A run of one asset step over `partitions`; returns its id. */
async function partitionRun(instance: Instance, asset: string, partitions: string[], withCheck = false): Promise<string> {
  const steps = [partitioned(assetStep(asset), partitions)];
  if (withCheck) steps.push(partitioned(checkStep(asset, 'valid'), partitions));
  const run = newRun(steps, { partition: partitions.length === 1 ? partitions[0]! : `${partitions[0]}...${partitions.at(-1)}` });
  await instance.runs.createRun(run);
  return run.id;
}

async function locksOn(instance: Instance, asset: string) {
  return (await instance.coordination.listAssetLocks()).filter((lock) => lock.assetKey === asset).map((lock) => `${lock.partitionKey}:${lock.runId}`);
}

export function describePartitions(ctx: ContractContext): void {
  describe('partitions', () => {
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
}
