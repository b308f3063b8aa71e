import { describe, expect, it } from 'vitest';
import type { AutomationCursor } from '../../../src/core/automation/automation-snapshot.js';
import { assetStep, at, checkStep, fresh, newRun, succeeded } from '../fixtures.js';
import type { ContractContext } from './contract-context.js';
import { partitioned } from './partition-runs.js';

const cursor = (lastEventId: number): AutomationCursor => ({ evaluatedAt: at(lastEventId).toISOString(), lastEventId, assets: { x: { condition: '{}', codeVersion: null, requested: [''], nodes: { '0.1': ['p1'] } } } });

/** The AutomationStorage contract: on/off state and cursor, evaluation records with a purge, and the incremental reads. */
export function automationStorageContract(ctx: ContractContext): void {
  describe('AutomationStorage', () => {
    it('is STOPPED with no cursor until written; the status and the cursor are written apart and both kept', async () => {
      const store = ctx.instance.automation;
      expect(await store.getState()).toMatchObject({ status: 'STOPPED', cursor: null });
      expect(await store.setStatus('RUNNING', at(1))).toMatchObject({ status: 'RUNNING', cursor: null, updatedAt: at(1) });
      await store.recordEvaluation({ evaluatedAt: at(2), runIds: ['r1'], backfillIds: [], errors: [], assets: [] }, cursor(7));
      expect(await store.getState()).toEqual({ status: 'RUNNING', cursor: cursor(7), updatedAt: at(2) });
      expect(await store.setStatus('STOPPED', at(3))).toEqual({ status: 'STOPPED', cursor: cursor(7), updatedAt: at(3) });
    });

    it('keeps each evaluation with its asset trees; the latest for an asset is the newest that has it; a purge drops the old ones', async () => {
      const store = ctx.instance.automation;
      const asset = fresh('auto');
      const tree = { id: '0', label: 'missing', kind: 'missing', asset, candidates: [''], candidateCount: 1, trueKeys: [''], trueCount: 1, children: [] };
      const first = await store.recordEvaluation({ evaluatedAt: at(100), runIds: ['r1'], backfillIds: ['b1'], errors: [], assets: [{ assetKey: asset, requested: [''], tree, error: null }] }, cursor(8));
      const second = await store.recordEvaluation(
        { evaluatedAt: at(200), runIds: [], backfillIds: [], errors: [{ name: 'Error', message: 'gated' }], assets: [{ assetKey: fresh('other'), requested: [], tree: null, error: null }] },
        cursor(9),
      );
      expect(second).toBeGreaterThan(first);
      expect(await store.latestAssetEvaluation(asset)).toEqual({ assetKey: asset, evaluationId: first, evaluatedAt: at(100), requested: [''], tree, error: null });
      expect(await store.latestAssetEvaluation(fresh('never'))).toBeUndefined();
      const listed = await store.listEvaluations(2);
      expect(listed.map((e) => [e.id, e.requestedCount, e.runIds, e.backfillIds, e.errors.length])).toEqual([
        [second, 0, [], [], 1],
        [first, 1, ['r1'], ['b1'], 0],
      ]);
      expect(await store.purgeEvaluations(at(150))).toBeGreaterThanOrEqual(1);
      expect(await store.latestAssetEvaluation(asset)).toBeUndefined();
      expect((await store.listEvaluations(1))[0]?.id).toBe(second);
    });

    it('reads materializations and check results after an id, and the asset steps of runs in progress', async () => {
      const store = ctx.instance.automation;
      const before = await store.lastEventIds();
      const asset = fresh('auto');
      const done = newRun([assetStep(asset), checkStep(asset, 'rows')]);
      await ctx.instance.runs.createRun(done);
      await ctx.instance.runs.startStep(done.id, asset, 1, at(1), 'w');
      await ctx.instance.runs.finishStep(done.id, asset, succeeded(1, { materialization: { metadata: {} } }));
      await ctx.instance.runs.startStep(done.id, `${asset}#rows`, 1, at(1), 'w');
      await ctx.instance.runs.finishStep(done.id, `${asset}#rows`, succeeded(1, { check: { passed: false, severity: 'ERROR', blocking: false, metadata: {} } }));
      await ctx.instance.runs.setRunStatus(done.id, 'STARTED', at(1));
      await ctx.instance.runs.setRunStatus(done.id, 'SUCCESS', at(2));
      const mats = (await store.materializationsAfter(before.materialization, 1000)).filter((m) => m.assetKey === asset);
      expect(mats.map((m) => [m.assetKey, m.partitionKey])).toEqual([[asset, '']]);
      expect(mats[0]!.id).toBeGreaterThan(before.materialization);
      // Bounded above (the tracker reads up to its watermark), and the watermark has seen every committed id.
      expect((await store.materializationsAfter(before.materialization, 1000, mats[0]!.id - 1)).filter((m) => m.assetKey === asset)).toEqual([]);
      expect((await store.materializationsAfter(before.materialization, 1000, mats[0]!.id)).filter((m) => m.assetKey === asset)).toEqual(mats);
      const marks = await store.feedWatermarks();
      expect(marks.materialization.maxEventId).toBeGreaterThanOrEqual(mats[0]!.id);
      expect(marks.checkResult.maxEventId).toBeGreaterThan(before.checkResult);
      expect(BigInt(marks.materialization.xmin)).toBeGreaterThan(0n);
      expect((await store.checkResultsAfter(before.checkResult, 1000)).filter((c) => c.assetKey === asset).map((c) => [c.checkName, c.partitionKey, c.passed])).toEqual([['rows', '', false]]);
      const states = (await store.partitionStatesSince(at(0))).filter((p) => p.assetKey === asset);
      expect(states).toEqual([{ assetKey: asset, partitionKey: '', status: 'MATERIALIZED', materialized: true }]);
      expect((await store.partitionStatesSince(at(3600))).some((p) => p.assetKey === asset)).toBe(false);
      const after = await store.lastEventIds();
      expect(after.materialization).toBeGreaterThanOrEqual(mats[0]!.id);
      expect(await store.materializationsAfter(after.materialization, 1000)).toEqual([]);

      const queued = fresh('auto');
      await ctx.instance.runs.createRun(newRun([partitioned(assetStep(queued), ['2030-01-01', '2030-01-02'])], { partition: '2030-01-01...2030-01-02' }));
      const steps = await store.inProgressSteps();
      expect(steps.filter((s) => s.assetKeys.includes(queued))).toEqual([{ assetKeys: [queued], partitions: ['2030-01-01', '2030-01-02'] }]);
      // The finished run is not in progress.
      expect(steps.some((s) => s.assetKeys.includes(asset))).toBe(false);
    });
  });
}
