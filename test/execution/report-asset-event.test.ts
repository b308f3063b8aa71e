import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eager } from '../../src/core/automation/built-conditions.js';
import { dailyPartitions } from '../../src/core/partitions/partitions-definition.js';
import { Redactor } from '../../src/core/redactor.js';
import { AUTOMATION_TAG, EXTERNAL_TAG } from '../../src/core/run/system-tags.js';
import { Daemon } from '../../src/daemon/daemon.js';
import { InProcessLauncher } from '../../src/execution/in-process/in-process-launcher.js';
import { reportAssetEvent, reportAssetMaterialization } from '../../src/execution/report-asset-event.js';
import { ResourceCache } from '../../src/execution/resource-cache.js';
import type { Instance } from '../../src/storage/instance.js';
import { openInstance } from '../../src/storage/index.js';
import { graphOf, noop } from '../fixtures/graph.js';

/** An upstream table loaded by another system (reported), the daily table it feeds, and an eager child. */
const daily = dailyPartitions({ start: '2024-01-01', timezone: 'UTC' });
const graph = graphOf([noop('upstream/orders'), noop('orders_daily', [], { partitions: daily }), noop('orders_clean', ['upstream/orders'], { automation: eager() })]);

async function until<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('an asset event reported from outside Sluice', () => {
  let instance: Instance;
  let daemon: Daemon;
  beforeAll(async () => {
    instance = await openInstance({ kind: 'pglite', dataDir: undefined });
    const host = { instance, graph, resources: new ResourceCache({}), redactor: new Redactor([]), worker: 'report-test', logLevel: 'silent' as const, now: () => new Date(), random: () => 0.5 };
    daemon = new Daemon(instance, new InProcessLauncher(host), { limits: { tagLimits: [] }, queueIntervalMs: 20, monitorIntervalMs: 200, automationIntervalMs: 50, scheduler: { graph, schedules: [] } });
    await daemon.start();
  });
  afterAll(async () => {
    await daemon?.stop();
    await instance?.close();
  });

  it('is a materialization like any other (metadata, partition state), in a run of its own the run queue never starts', async () => {
    const { runId } = await reportAssetMaterialization({ instance, graph }, { assetKey: 'orders_daily', partition: '2024-01-02', metadata: { rows: 120 }, source: 'cli', now: new Date() });
    const run = await instance.runs.getRun(runId);
    expect(run).toMatchObject({ status: 'SUCCESS', trigger: 'external:cli', partition: '2024-01-02' });
    expect(run!.tags[EXTERNAL_TAG]).toBe('true');
    const [latest] = await instance.eventLog.materializations('orders_daily', { limit: 1 });
    expect(latest).toMatchObject({ runId, metadata: { rows: 120 } });
    const states = await instance.eventLog.assetPartitions(['orders_daily']);
    expect(states.map((p) => [p.partitionKey, p.status])).toEqual([['2024-01-02', 'MATERIALIZED']]);
    const events = (await instance.eventLog.listEvents(runId)).map((e) => e.type);
    expect(events).toEqual(expect.arrayContaining(['RUN_QUEUED', 'RUN_STARTED', 'STEP_SUCCEEDED', 'MATERIALIZATION', 'RUN_SUCCESS']));
  });

  it('refuses a key that is not an asset, a missing partition and a partition of an unpartitioned asset, writing nothing', async () => {
    const before = (await instance.runs.listRuns({ limit: 1000 })).length;
    const now = new Date();
    await expect(reportAssetMaterialization({ instance, graph }, { assetKey: 'orders_dayly', source: 'api', now })).rejects.toMatchObject({ code: 'UNKNOWN_ASSET', message: expect.stringContaining('did you mean "orders_daily"') });
    await expect(reportAssetMaterialization({ instance, graph }, { assetKey: 'orders_daily', source: 'api', now })).rejects.toMatchObject({ message: expect.stringContaining('partition') });
    await expect(reportAssetMaterialization({ instance, graph }, { assetKey: 'upstream/orders', partition: '2024-01-02', source: 'api', now })).rejects.toMatchObject({ message: expect.stringContaining('partition') });
    expect((await instance.runs.listRuns({ limit: 1000 })).length).toBe(before);
  });

  it('an observation is one ASSET_OBSERVATION with its metadata and partition, in an ended run of its own, and no materialization', async () => {
    const { runId } = await reportAssetEvent({ instance, graph }, { assetKey: 'orders_daily', partition: '2024-01-03', metadata: { rows: 7 }, kind: 'observation', source: 'api', now: new Date() });
    expect(await instance.runs.getRun(runId)).toMatchObject({ status: 'SUCCESS', trigger: 'external:api', partition: '2024-01-03', tags: { [EXTERNAL_TAG]: 'true', 'sluice/partition': '2024-01-03' } });
    expect((await instance.eventLog.listEvents(runId)).map((e) => e.type)).toEqual(['RUN_QUEUED', 'RUN_STARTED', 'ASSET_OBSERVATION', 'RUN_SUCCESS']);
    const [observed] = await instance.eventLog.observations('orders_daily');
    expect(observed).toMatchObject({ runId, metadata: { rows: 7 }, partitionKey: '2024-01-03' });
    // Not a materialization: the partition stays missing.
    expect((await instance.eventLog.materializations('orders_daily')).map((m) => m.partitionKey)).toEqual(['2024-01-02']);
    expect((await instance.eventLog.assetPartitions(['orders_daily'])).map((p) => p.partitionKey)).toEqual(['2024-01-02']);
  });

  it('refuses an observation of a key that is not an asset, without its partition, or of a range, writing nothing', async () => {
    const before = (await instance.runs.listRuns({ limit: 1000 })).length;
    const observe = (assetKey: string, partition?: string) =>
      reportAssetEvent({ instance, graph }, { assetKey, ...(partition ? { partition } : {}), kind: 'observation', source: 'cli', now: new Date() });
    await expect(observe('orders_dayly')).rejects.toMatchObject({ code: 'UNKNOWN_ASSET', message: expect.stringContaining('did you mean "orders_daily"') });
    await expect(observe('orders_daily')).rejects.toMatchObject({ code: 'PARTITION_REQUIRED' });
    await expect(observe('upstream/orders', '2024-01-02')).rejects.toMatchObject({ code: 'UNPARTITIONED_SELECTION' });
    await expect(observe('orders_daily', '2024-01-02...2024-01-04')).rejects.toMatchObject({ code: 'OBSERVATION_RANGE', message: expect.stringContaining('report each partition') });
    expect((await instance.runs.listRuns({ limit: 1000 })).length).toBe(before);
  });

  it('triggers declarative automation: an eager child of the reported asset is launched once', async () => {
    await instance.automation.setStatus('RUNNING', new Date());
    await until('a first evaluation', async () => (await instance.automation.listEvaluations(1)).length > 0);
    await reportAssetMaterialization({ instance, graph }, { assetKey: 'upstream/orders', metadata: { loadedBy: 'fivetran' }, source: 'api', now: new Date() });
    const launched = await until('the child launched by automation', async () => {
      const runs = (await instance.runs.listRuns({ limit: 100 })).filter((r) => r.tags[AUTOMATION_TAG] === 'true');
      return runs.length > 0 && runs;
    });
    expect(launched.map((r) => r.selection)).toEqual([expect.stringContaining('orders_clean')]);
    await until('it succeeded', async () => (await instance.runs.getRun(launched[0]!.id))?.status === 'SUCCESS');
    await new Promise((r) => setTimeout(r, 400));
    expect((await instance.runs.listRuns({ limit: 100 })).filter((r) => r.tags[AUTOMATION_TAG] === 'true')).toHaveLength(1);
  });

  it('an observation of the parent is not an update: automation launches nothing for it', async () => {
    const automationRuns = async () => (await instance.runs.listRuns({ limit: 100 })).filter((r) => r.tags[AUTOMATION_TAG] === 'true');
    const before = await automationRuns();
    await reportAssetEvent({ instance, graph }, { assetKey: 'upstream/orders', metadata: { rows: 99 }, kind: 'observation', source: 'api', now: new Date() });
    const after = (await instance.automation.listEvaluations(1))[0]!.id;
    await until('three more evaluations', async () => (await instance.automation.listEvaluations(1))[0]!.id >= after + 3);
    expect((await automationRuns()).map((r) => r.id)).toEqual(before.map((r) => r.id));
    // A materialization reported after it still is one.
    await reportAssetMaterialization({ instance, graph }, { assetKey: 'upstream/orders', source: 'api', now: new Date() });
    await until('the child launched again', async () => (await automationRuns()).length === before.length + 1);
  });
});
