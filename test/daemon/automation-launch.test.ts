import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dailyPartitions } from '../../src/core/partitions/partitions-definition.js';
import { AUTOMATION_TAG, BACKFILL_TAG } from '../../src/core/run/system-tags.js';
import { launchAutomation } from '../../src/daemon/automation-pass.js';
import { AutomationTracker } from '../../src/daemon/automation-tracker.js';
import type { Instance } from '../../src/storage/instance.js';
import { openInstance } from '../../src/storage/index.js';
import { graphOf, noop } from '../fixtures/graph.js';
import { assetStep, at, failed, newRun, succeeded } from '../storage/fixtures.js';

const daily = dailyPartitions({ start: '2030-01-01' });
const graph = graphOf([noop('u'), noop('p', [], { partitions: daily }), noop('q', ['p'], { partitions: daily })]);
const now = new Date('2030-01-10T12:00:00Z');

let instance: Instance;
beforeAll(async () => {
  instance = await openInstance({ kind: 'pglite', dataDir: undefined });
});
afterAll(() => instance?.close());

describe('automation launches and incremental state (PGlite)', () => {
  it('writes a run and a backfill QUEUED, every run tagged sluice/automation=true', async () => {
    const launched = await launchAutomation(
      { instance, graph },
      [
        { kind: 'run', assets: ['u', 'p', 'q'], partition: '2030-01-09' },
        { kind: 'backfill', assets: ['p', 'q'], from: '2030-01-01', to: '2030-01-03', partitions: ['2030-01-01', '2030-01-02', '2030-01-03'] },
      ],
      now,
    );
    expect(launched.errors).toEqual([]);
    expect(launched.runIds).toHaveLength(1);
    const run = (await instance.runs.getRun(launched.runIds[0]!))!;
    expect(run).toMatchObject({ status: 'QUEUED', trigger: 'automation', partition: '2030-01-09', tags: { [AUTOMATION_TAG]: 'true' } });
    expect((await instance.runs.listSteps(run.id)).map((s) => s.assetKey)).toEqual(['p', 'q', 'u']);
    const backfillRuns = await instance.backfills.listBackfillRuns(launched.backfillIds[0]!);
    const tagged = await Promise.all(backfillRuns.map(async (r) => (await instance.runs.getRun(r.runId))!));
    expect(tagged.map((r) => [r.partition, r.tags[AUTOMATION_TAG], r.tags[BACKFILL_TAG]])).toEqual(
      ['2030-01-01', '2030-01-02', '2030-01-03'].map((p) => [p, 'true', launched.backfillIds[0]]),
    );
  });

  it('the tracker reads what changed since its last read: new materializations with their ids, failures, runs in progress; and names the assets that changed', async () => {
    const tracker = new AutomationTracker(instance);
    await tracker.load(graph, null, now);
    const before = await tracker.refresh(graph, now);
    // Since a load, what changed is not known: an evaluation carries nothing over.
    expect(tracker.changed).toBeUndefined();
    tracker.clearChanges();
    const lastEventId = before.lastEventId;
    // The QUEUED runs of the previous test are in progress.
    expect([...(before.inProgress.get('q') ?? [])].sort()).toEqual(['2030-01-01', '2030-01-02', '2030-01-03', '2030-01-09']);
    expect(before.inProgress.get('u')).toEqual(new Set(['']));

    const good = newRun([assetStep('u')]);
    await instance.runs.createRun(good);
    await instance.runs.startStep(good.id, 'u', 1, at(1), 'w');
    await instance.runs.finishStep(good.id, 'u', succeeded(1, { materialization: { metadata: {} } }));
    const bad = newRun([{ ...assetStep('p'), partitions: ['2030-01-05'] }], { partition: '2030-01-05' });
    await instance.runs.createRun(bad);
    await instance.runs.startStep(bad.id, 'p', 1, now, 'w');
    await instance.runs.finishStep(bad.id, 'p', failed(1, { at: now }));

    const after = await tracker.refresh(graph, new Date(now.getTime() + 1000));
    const u = after.partitions.get('u')!.get('')!;
    expect(u).toMatchObject({ status: 'MATERIALIZED', materialized: true });
    expect(u.lastMaterializationId).toBeGreaterThan(lastEventId);
    expect(after.lastEventId).toBe(u.lastMaterializationId);
    expect(after.partitions.get('p')!.get('2030-01-05')).toEqual({ status: 'FAILED', materialized: false, lastMaterializationId: 0 });
    // q's runs in progress are the same and nothing of it was written.
    expect([...tracker.changed!].sort()).toEqual(['p', 'u']);
    tracker.clearChanges();
    await tracker.refresh(graph, new Date(now.getTime() + 2000));
    expect([...tracker.changed!]).toEqual([]);
  });
});
