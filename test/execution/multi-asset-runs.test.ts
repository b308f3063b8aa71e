import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defineAsset } from '../../src/core/asset/define-asset.js';
import { defineMultiAsset } from '../../src/core/asset/define-multi-asset.js';
import { dailyPartitions } from '../../src/core/partitions/partitions-definition.js';
import { describeRun } from '../../src/execution/run-summary.js';
import { openInstance } from '../../src/storage/index.js';
import type { Instance } from '../../src/storage/instance.js';
import { reexecuteFromFailure } from '../../src/execution/reexecute.js';
import { harness } from '../fixtures/harness.js';

/** What a multi-asset's run looks like afterwards: its summary, re-execution, partitions, a refused part. */
describe('runs of a multi-asset', () => {
  let instance: Instance;
  beforeAll(async () => {
    instance = await openInstance({ kind: 'pglite', dataDir: undefined });
  });
  afterAll(() => instance.close());

  it('summarizes what its step reported and re-executes only the keys it did not materialize', async () => {
    let failB = true;
    const multi = defineMultiAsset({
      name: 'rx',
      canSubset: true,
      specs: [{ key: 'rx/a' }, { key: 'rx/b' }],
      checks: [{ asset: 'rx/a', name: 'ok' }],
      materialize(ctx) {
        for (const key of ctx.selectedKeys) {
          if (key === 'rx/b' && failB) throw new Error('b broke');
          ctx.report(key, { metadata: { key } });
          if (key === 'rx/a') ctx.reportCheck('rx/a', 'ok', { passed: true });
        }
      },
    });
    const h = await harness([...multi.assets, defineAsset({ key: 'rx_after', deps: ['rx/b'], materialize: () => {} })], [], { instance });
    const failed = await h.materialize('*');
    expect(failed.status).toBe('FAILURE');
    const summary = await describeRun(instance, failed.id);
    expect(summary.steps.map((s) => [s.key, s.status, s.multi])).toEqual([
      [
        '@rx',
        'FAILED',
        {
          name: 'rx',
          assetKeys: ['rx/a', 'rx/b'],
          materializations: [{ assetKey: 'rx/a', metadata: { key: 'rx/a' }, dataVersion: null }],
          checks: [{ assetKey: 'rx/a', checkName: 'ok', passed: true, severity: 'ERROR', blocking: false, description: null }],
        },
      ],
      ['rx_after', 'SKIPPED', null],
    ]);
    failB = false;
    const { run, selection } = await reexecuteFromFailure({ instance, graph: h.graph }, failed.id, { trigger: 'test', now: new Date() });
    expect(selection).toBe('key:rx/b or key:rx_after');
    expect((await instance.runs.listSteps(run.id)).map((s) => [s.key, s.assetKeys])).toEqual([
      ['@rx', ['rx/b']],
      ['rx_after', null],
    ]);
    await h.close();
  });

  it('gives its step the run partition and each key its own partition state; a part is refused when it cannot subset', async () => {
    const days = dailyPartitions({ start: '2024-10-01' });
    const multi = defineMultiAsset({
      name: 'daily_pair',
      specs: [{ key: 'dp/a', partitions: days }, { key: 'dp/b', partitions: days }],
      materialize(ctx) {
        for (const key of ctx.selectedKeys) ctx.report(key, { metadata: { day: ctx.partitionKey ?? null } });
      },
    });
    const h = await harness([...multi.assets], [], { instance });
    const run = await h.materialize('*', { partition: '2024-10-02' });
    expect(run.status).toBe('SUCCESS');
    expect((await instance.runs.listSteps(run.id)).map((s) => [s.key, s.partitions])).toEqual([['@daily_pair', ['2024-10-02']]]);
    expect((await instance.eventLog.assetPartitions(['dp/a', 'dp/b'])).map((p) => [p.assetKey, p.partitionKey, p.status])).toEqual([
      ['dp/a', '2024-10-02', 'MATERIALIZED'],
      ['dp/b', '2024-10-02', 'MATERIALIZED'],
    ]);
    expect((await instance.eventLog.materializations('dp/b')).map((m) => [m.partitionKey, m.metadata])).toEqual([['2024-10-02', { day: '2024-10-02' }]]);
    await expect(h.launch('key:dp/a', { partition: '2024-10-03' })).rejects.toMatchObject({ code: 'MULTI_ASSET_SUBSET' });
    await h.close();
  });
});
