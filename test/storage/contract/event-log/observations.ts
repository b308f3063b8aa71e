import { describe, expect, it } from 'vitest';
import { at, fresh, newRun } from '../../fixtures.js';
import type { ContractContext } from '../contract-context.js';

export function describeObservations(ctx: ContractContext): void {
  describe('asset observations', () => {
    it('createObservationRun writes an ended run holding one ASSET_OBSERVATION, no materialization or partition state; observations reads them newest first', async () => {
      const asset = fresh('obs');
      const first = newRun([], { selection: `key:${asset}`, trigger: 'external:api', tags: { 'sluice/external': 'true' }, at: at(5), partition: '2024-01-02' });
      const second = newRun([], { selection: `key:${asset}`, trigger: 'external:cli', tags: { 'sluice/external': 'true' }, at: at(7) });
      const record = await ctx.instance.runs.createObservationRun(first, { assetKey: asset, metadata: { rows: 10 }, partition: '2024-01-02' });
      expect(record).toMatchObject({ id: first.id, status: 'SUCCESS', trigger: 'external:api', startedAt: at(5), endedAt: at(5), partition: '2024-01-02' });
      await ctx.instance.runs.createObservationRun(second, { assetKey: asset, metadata: { rows: 11 } });

      const events = await ctx.instance.eventLog.listEvents(first.id);
      expect(events.map(({ type, stepKey, data }) => ({ type, stepKey, data }))).toEqual([
        { type: 'RUN_QUEUED', stepKey: null, data: { selection: `key:${asset}`, trigger: 'external:api', partition: '2024-01-02' } },
        { type: 'RUN_STARTED', stepKey: null, data: {} },
        { type: 'ASSET_OBSERVATION', stepKey: null, data: { assetKey: asset, metadata: { rows: 10 }, partition: '2024-01-02' } },
        { type: 'RUN_SUCCESS', stepKey: null, data: {} },
      ]);
      expect(await ctx.instance.runs.listSteps(first.id)).toEqual([]);
      expect(await ctx.instance.runs.unfinishedStepCount(first.id)).toBe(0);
      expect(await ctx.instance.eventLog.materializations(asset)).toEqual([]);
      expect(await ctx.instance.eventLog.assetPartitions([asset])).toEqual([]);

      const observed = await ctx.instance.eventLog.observations(asset);
      expect(observed.map((o) => [o.runId, o.metadata, o.partitionKey, o.at])).toEqual([
        [second.id, { rows: 11 }, null, at(7)],
        [first.id, { rows: 10 }, '2024-01-02', at(5)],
      ]);
      expect(await ctx.instance.eventLog.observations(asset, { limit: 1 })).toEqual([observed[0]]);
      expect(await ctx.instance.eventLog.observations(fresh('none'))).toEqual([]);

      // Fed to asset sensors only when they ask for observations.
      const fed = (include: boolean) => ctx.instance.sensors.assetEventsAfter({ afterId: 0, assetKeys: [asset], includeChecks: true, includeObservations: include, limit: 10 });
      expect(await fed(false)).toEqual([]);
      expect((await fed(true)).map((e) => [e.type, e.runId, e.partition, e.metadata])).toEqual([
        ['ASSET_OBSERVATION', first.id, '2024-01-02', { rows: 10 }],
        ['ASSET_OBSERVATION', second.id, null, { rows: 11 }],
      ]);
    });

    it('createObservationRun writes nothing when the run id is taken', async () => {
      const asset = fresh('obs');
      const run = newRun([], { at: at(1) });
      await ctx.instance.runs.createObservationRun(run, { assetKey: asset, metadata: { n: 1 } });
      await expect(ctx.instance.runs.createObservationRun(run, { assetKey: asset, metadata: { n: 2 } })).rejects.toMatchObject({ code: 'RUN_ALREADY_EXISTS' });
      expect((await ctx.instance.eventLog.observations(asset)).map((o) => o.metadata)).toEqual([{ n: 1 }]);
      expect(await ctx.instance.eventLog.listEvents(run.id, { types: ['ASSET_OBSERVATION'] })).toHaveLength(1);
    });
  });
}
