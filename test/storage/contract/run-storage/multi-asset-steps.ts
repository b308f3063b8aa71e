import { describe, expect, it } from 'vitest';
import type { PlanStep } from '../../../../src/core/plan/execution-plan.js';
import { assetStep, at, failed, fresh, newRun, succeeded } from '../../fixtures.js';
import type { ContractContext } from '../contract-context.js';

/** A multi-asset's step over `keys` (optionally partitioned). */
function multiStep(name: string, keys: string[], partitions?: string[]): PlanStep {
  return { key: `@${name}`, kind: 'asset', assetKey: keys[0]!, checkName: null, deps: [], multi: name, assetKeys: keys, ...(partitions ? { partitions } : {}) };
}

const report = (assetKey: string, at_: Date) => ({ at: at_, materializations: [{ assetKey, metadata: { rows: 1 } }], checks: [], events: [] });

export function describeMultiAssetSteps(ctx: ContractContext): void {
  describe('multi-asset steps', () => {
    it('lock every key of the step or none, and release them all when the attempt ends', async () => {
      const p = fresh('multi_lock');
      const [a, b] = [`${p}/a`, `${p}/b`];
      const single = newRun([assetStep(b)]);
      const multi = newRun([multiStep(p, [a, b])]);
      await ctx.instance.runs.createRun(single);
      await ctx.instance.runs.createRun(multi);
      expect(await ctx.instance.runs.startStep(single.id, b, 1, at(1), 'w1')).toEqual({ started: true });
      expect(await ctx.instance.runs.startStep(multi.id, `@${p}`, 1, at(1), 'w2')).toEqual({ started: false, reason: 'asset-busy', holder: { runId: single.id, stepKey: b } });
      // Nothing of the multi step was locked while one of its keys was busy.
      expect((await ctx.instance.coordination.listAssetLocks()).filter((l) => l.assetKey.startsWith(p)).map((l) => l.assetKey)).toEqual([b]);
      await ctx.instance.runs.finishStep(single.id, b, succeeded(1));
      expect(await ctx.instance.runs.startStep(multi.id, `@${p}`, 1, at(2), 'w2')).toEqual({ started: true, assetKeys: [a, b], partitions: null });
      expect((await ctx.instance.coordination.listAssetLocks()).filter((l) => l.assetKey.startsWith(p)).map((l) => [l.assetKey, l.stepKey])).toEqual([
        [a, `@${p}`],
        [b, `@${p}`],
      ]);
      await ctx.instance.runs.finishStep(multi.id, `@${p}`, succeeded(1));
      expect((await ctx.instance.coordination.listAssetLocks()).filter((l) => l.assetKey.startsWith(p))).toEqual([]);
    });

    it('record reports only while the attempt runs, and mark the keys not reported FAILED when the step fails', async () => {
      const p = fresh('multi_report');
      const [a, b] = [`${p}/a`, `${p}/b`];
      const run = newRun([multiStep(p, [a, b], ['2024-10-01'])], { partition: '2024-10-01' });
      await ctx.instance.runs.createRun(run);
      expect(await ctx.instance.runs.recordStepReports(run.id, `@${p}`, 1, report(a, at(1)))).toBe(false);
      await ctx.instance.runs.startStep(run.id, `@${p}`, 1, at(1), 'w');
      expect(await ctx.instance.runs.recordStepReports(run.id, `@${p}`, 1, report(a, at(2)))).toBe(true);
      expect(await ctx.instance.runs.reportedKeys(run.id, `@${p}`, [a, b], ['2024-10-01'])).toEqual([a]);
      expect(await ctx.instance.runs.recordStepReports(run.id, `@${p}`, 2, report(b, at(2)))).toBe(false);
      await ctx.instance.runs.finishStep(run.id, `@${p}`, failed(1, { at: at(3) }));
      expect((await ctx.instance.eventLog.assetPartitions([a, b])).map((s) => [s.assetKey, s.partitionKey, s.status, s.materializedAt])).toEqual([
        [a, '2024-10-01', 'MATERIALIZED', at(2)],
        [b, '2024-10-01', 'FAILED', null],
      ]);
      expect((await ctx.instance.eventLog.materializations(a)).map((m) => [m.stepKey, m.partitionKey])).toEqual([[`@${p}`, '2024-10-01']]);
      expect(await ctx.instance.eventLog.materializations(b)).toEqual([]);
    });
  });
}
