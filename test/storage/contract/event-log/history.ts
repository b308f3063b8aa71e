import { describe, expect, it } from 'vitest';
import type { Instance } from '../../../../src/storage/instance.js';
import { assetStep, at, checkStep, failed, fresh, newRun, succeeded } from '../../fixtures.js';
import type { ContractContext } from '../contract-context.js';

/** Runs one step of a fresh run to the given outcome; returns the run id. */
async function runStep(instance: Instance, steps: ReturnType<typeof assetStep>[], key: string, outcome: Parameters<Instance['runs']['finishStep']>[2]) {
  const run = newRun(steps);
  await instance.runs.createRun(run);
  await instance.runs.startStep(run.id, key, 1, at(1), 'w');
  await instance.runs.finishStep(run.id, key, outcome);
  return run.id;
}

export function describeHistory(ctx: ContractContext): void {
  describe('asset history', () => {
    it('records materializations; latestMaterializations returns the newest per asset', async () => {
      const a = fresh('mat');
      const b = fresh('mat');
      const first = await runStep(ctx.instance, [assetStep(a)], a, succeeded(1, { at: at(10), materialization: { metadata: { rows: 1 } } }));
      const second = await runStep(ctx.instance, [assetStep(a)], a, succeeded(1, { at: at(20), materialization: { metadata: { rows: 2, report: { url: 'https://x' } }, dataVersion: 'v2' } }));
      await runStep(ctx.instance, [assetStep(b)], b, succeeded(1, { materialization: { metadata: {} } }));

      const latest = await ctx.instance.eventLog.latestMaterializations([a, b]);
      expect([...latest.keys()].sort()).toEqual([a, b].sort());
      const latestA = latest.get(a);
      expect(latestA).toEqual({ id: latestA?.id, assetKey: a, runId: second, stepKey: a, metadata: { rows: 2, report: { url: 'https://x' } }, dataVersion: 'v2', at: at(20), partitionKey: null, codeVersion: null });
      expect(typeof latestA?.id).toBe('number');
      expect((await ctx.instance.eventLog.latestMaterializations()).get(a)?.runId).toBe(second);
      expect((await ctx.instance.eventLog.latestMaterializations([fresh('none')])).size).toBe(0);

      const history = await ctx.instance.eventLog.materializations(a);
      expect(history.map((m) => [m.runId, m.dataVersion])).toEqual([
        [second, 'v2'],
        [first, null],
      ]);
      expect(await ctx.instance.eventLog.materializations(a, { limit: 1 })).toEqual([history[0]]);

      const events = await ctx.instance.eventLog.listEvents(second);
      expect(events.slice(-2).map(({ type, data }) => ({ type, data }))).toEqual([
        { type: 'MATERIALIZATION', data: { assetKey: a, metadata: { rows: 2, report: { url: 'https://x' } }, dataVersion: 'v2' } },
        { type: 'STEP_SUCCEEDED', data: { attempt: 1, durationMs: 5 } },
      ]);
    });

    it('records check results, newest first, by run and by asset', async () => {
      const asset = fresh('chk');
      const steps = [assetStep(asset), checkStep(asset, 'not_empty')];
      const key = `${asset}#not_empty`;
      const run = newRun(steps);
      await ctx.instance.runs.createRun(run);
      await ctx.instance.runs.startStep(run.id, asset, 1, at(1), 'w');
      await ctx.instance.runs.finishStep(run.id, asset, succeeded());
      await ctx.instance.runs.startStep(run.id, key, 1, at(2), 'w');
      const check = { passed: false, severity: 'ERROR' as const, blocking: true, metadata: { nulls: 3 }, description: '3 nulls' };
      await ctx.instance.runs.finishStep(run.id, key, failed(1, { check }));
      const otherRun = await runStep(ctx.instance, steps, asset, succeeded());

      const results = await ctx.instance.eventLog.checkResults({ assetKey: asset });
      expect(results).toEqual([
        { id: results[0]?.id, runId: run.id, assetKey: asset, checkName: 'not_empty', passed: false, severity: 'ERROR', blocking: true, metadata: { nulls: 3 }, description: '3 nulls', at: at(10), partitionKey: null },
      ]);
      expect(await ctx.instance.eventLog.checkResults({ runId: run.id })).toEqual(results);
      expect(await ctx.instance.eventLog.checkResults({ runId: otherRun })).toEqual([]);
      const evaluation = (await ctx.instance.eventLog.listEvents(run.id, { types: ['CHECK_EVALUATION'] }))[0];
      expect(evaluation?.data).toEqual({ assetKey: asset, checkName: 'not_empty', ...check });
    });
  });
}
