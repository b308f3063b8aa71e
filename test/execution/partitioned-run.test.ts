import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defineAsset } from '../../src/core/asset/define-asset.js';
import type { AssetContext } from '../../src/core/asset/asset-definition.js';
import { dailyPartitions, hourlyPartitions } from '../../src/core/partitions/partitions-definition.js';
import { openInstance } from '../../src/storage/index.js';
import type { Instance } from '../../src/storage/instance.js';
import { reexecuteFromFailure } from '../../src/execution/reexecute.js';
import { describeRun } from '../../src/execution/run-summary.js';
import { harness, type Harness } from '../fixtures/harness.js';

const days = dailyPartitions({ start: '2024-10-01', timezone: 'Europe/London' });
type Seen = Pick<AssetContext, 'partitionKey' | 'partitionKeyRange' | 'partitionTimeWindow'> & { asset: string; cursor: unknown };

describe('partitioned runs through the step runner', () => {
  let instance: Instance;
  let h: Harness;
  const seen: Seen[] = [];
  let failDay: string | undefined;
  const record = async (ctx: AssetContext) => {
    seen.push({ asset: ctx.assetKey, partitionKey: ctx.partitionKey, partitionKeyRange: ctx.partitionKeyRange, partitionTimeWindow: ctx.partitionTimeWindow, cursor: await ctx.cursor.get() });
  };
  beforeAll(async () => {
    instance = await openInstance({ kind: 'pglite', dataDir: undefined });
    h = await harness(
      [
        defineAsset({
          key: 'raw',
          partitions: days,
          codeVersion: 'v1',
          async materialize(ctx) {
            await record(ctx);
            ctx.cursor.set({ loaded: ctx.partitionKey ?? 'range' });
            if (ctx.partitionKey !== undefined && ctx.partitionKey === failDay) throw new Error(`day ${failDay} is broken`);
            return { metadata: { day: ctx.partitionKey ?? null } };
          },
        }),
        defineAsset({ key: 'clean', deps: ['raw'], partitions: days, materialize: record }),
        defineAsset({ key: 'report', deps: ['clean'], materialize: record }),
        defineAsset({ key: 'hourly', partitions: hourlyPartitions({ start: '2024-10-01-00:00' }), materialize: () => {} }),
      ],
      [],
      { instance },
    );
  });
  afterAll(async () => {
    await h?.close();
    await instance?.close();
  });

  it('gives partitioned steps their key and window, and runs unpartitioned ones once, whole', async () => {
    seen.length = 0;
    const run = await h.materialize('*  and not key:hourly', { partition: '2024-10-27' });
    expect(run).toMatchObject({ status: 'SUCCESS', partition: '2024-10-27', tags: { 'sluice/partition': '2024-10-27' } });
    expect(await describeRun(instance, run.id)).toMatchObject({ partition: '2024-10-27', backfillId: null });
    const byAsset = Object.fromEntries(seen.map((s) => [s.asset, s]));
    // 2024-10-27 is the autumn DST day in London: 25 hours, from 23:00Z the day before.
    expect(byAsset.raw).toMatchObject({
      partitionKey: '2024-10-27',
      partitionKeyRange: undefined,
      partitionTimeWindow: { start: new Date('2024-10-26T23:00:00Z'), end: new Date('2024-10-28T00:00:00Z') },
      cursor: undefined,
    });
    expect(byAsset.clean?.partitionKey).toBe('2024-10-27');
    expect(byAsset.report).toMatchObject({ partitionKey: undefined, partitionTimeWindow: undefined });
    expect((await instance.eventLog.materializations('raw', { limit: 1 }))[0]).toMatchObject({ partitionKey: '2024-10-27', codeVersion: 'v1', metadata: { day: '2024-10-27' } });
    expect((await instance.eventLog.materializations('report', { limit: 1 }))[0]?.partitionKey).toBeNull();
    const events = await instance.eventLog.listEvents(run.id, { types: ['MATERIALIZATION'] });
    expect(events.find((e) => e.stepKey === 'raw')?.data).toMatchObject({ partition: '2024-10-27' });
    // The cursor is kept per partition: the same day sees it, another day does not.
    seen.length = 0;
    await h.materialize('key:raw', { partition: '2024-10-27' });
    await h.materialize('key:raw', { partition: '2024-10-28' });
    expect(seen.map((s) => s.cursor)).toEqual([{ loaded: '2024-10-27' }, undefined]);
  });

  it('runs a range in one run: one step per asset over every day of it', async () => {
    seen.length = 0;
    const run = await h.materialize('key:raw or key:clean', { partition: '2024-10-01...2024-10-03' });
    expect(run).toMatchObject({ status: 'SUCCESS', partition: '2024-10-01...2024-10-03', tags: { 'sluice/partition_range_start': '2024-10-01', 'sluice/partition_range_end': '2024-10-03' } });
    expect(seen.find((s) => s.asset === 'raw')).toMatchObject({
      partitionKey: undefined,
      partitionKeyRange: { from: '2024-10-01', to: '2024-10-03' },
      partitionTimeWindow: { start: new Date('2024-09-30T23:00:00Z'), end: new Date('2024-10-03T23:00:00Z') },
    });
    const states = await instance.eventLog.assetPartitions(['clean']);
    expect(states.filter((p) => p.runId === run.id).map((p) => p.partitionKey)).toEqual(['2024-10-01', '2024-10-02', '2024-10-03']);
  });

  it('refuses a launch without a needed partition, with one where none is partitioned, mixed partitions and bad keys', async () => {
    await expect(h.launch('key:raw')).rejects.toMatchObject({ code: 'PARTITION_REQUIRED', message: expect.stringContaining('pass --partition KEY (latest: ') });
    await expect(h.launch('key:report', { partition: '2024-10-02' })).rejects.toMatchObject({ code: 'UNPARTITIONED_SELECTION' });
    await expect(h.launch('key:raw or key:hourly', { partition: '2024-10-02' })).rejects.toMatchObject({ code: 'MIXED_PARTITIONS', message: expect.stringContaining('separate runs') });
    await expect(h.launch('key:raw', { partition: '2024-09-30' })).rejects.toMatchObject({ code: 'INVALID_PARTITION', message: expect.stringContaining('first 2024-10-01') });
    await expect(h.launch('key:raw', { partition: '2024-10-05...2024-10-01' })).rejects.toMatchObject({ code: 'INVALID_PARTITION' });
  });

  it('re-executes a failed partitioned run in the same partition; status:failed then selects the asset', async () => {
    failDay = '2024-10-09';
    const failed = await h.materialize('key:raw or key:clean or key:report', { partition: '2024-10-09' });
    expect(failed.status).toBe('FAILURE');
    // The cursor of the failed attempt was not stored.
    expect(await instance.eventLog.getCursor('raw', '2024-10-09')).toBeUndefined();
    const failedNow = await h.launch('status:failed', { partition: '2024-10-09' });
    expect(failedNow.selection).toBe('status:failed');
    expect((await instance.runs.listSteps(failedNow.id)).map((s) => s.key)).toEqual(['raw']);
    failDay = undefined;
    const { run } = await reexecuteFromFailure({ instance, graph: h.graph }, failed.id, { trigger: 'test', now: new Date() });
    expect(run).toMatchObject({ partition: '2024-10-09', tags: { 'sluice/partition': '2024-10-09', 'sluice/parent_run_id': failed.id } });
    expect((await instance.runs.listSteps(run.id)).map((s) => [s.key, s.partitions])).toEqual([
      ['raw', ['2024-10-09']],
      ['clean', ['2024-10-09']],
      ['report', null],
    ]);
  });
});
