import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defineAsset } from '../../src/core/asset/define-asset.js';
import { isSluiceError } from '../../src/core/errors.js';
import { dailyPartitions } from '../../src/core/partitions/partitions-definition.js';
import { parseBackfillPolicy } from '../../src/core/plan/backfill-policy.js';
import { launchBackfill, type BackfillRequest } from '../../src/execution/launch-backfill.js';
import { describeBackfill } from '../../src/execution/backfill-summary.js';
import { noop } from '../fixtures/graph.js';
import { harness, type Harness } from '../fixtures/harness.js';
import { BACKFILL_TAG, CONCURRENCY_KEY_TAG, CONCURRENCY_LIMIT_TAG, PARTITION_RANGE_END_TAG, PARTITION_RANGE_START_TAG, PARTITION_TAG } from '../../src/core/run/system-tags.js';


const NOW = new Date('2027-01-01T12:00:00Z');
const days = dailyPartitions({ start: '2024-01-01' });
/** Days whose materialization fails, set per test. */
const failing = new Set<string>();

describe('launchBackfill', () => {
  let h: Harness;
  const launch = (extra: Partial<BackfillRequest> = {}) =>
    launchBackfill(
      { instance: h.instance, graph: h.graph },
      { selection: 'key:daily', from: '2024-10-01', to: '2024-10-30', policy: { kind: 'per-partition' }, maxConcurrentRuns: null, trigger: 'test', now: NOW, ...extra },
    );
  const runsOf = async (id: string) => Promise.all((await h.instance.backfills.listBackfillRuns(id)).map(async (r) => (await h.instance.runs.getRun(r.runId))!));

  beforeAll(async () => {
    h = await harness([
      defineAsset({
        key: 'daily',
        partitions: days,
        materialize: (ctx) => {
          if (failing.has(ctx.partitionKey!)) throw new Error(`bad day ${ctx.partitionKey}`);
        },
      }),
      noop('whole'),
    ]);
  });
  afterAll(() => h?.close());

  it('per-partition: one QUEUED run per day, in order, tagged with the backfill, the partition and its concurrency limit', async () => {
    const backfill = await launch({ maxConcurrentRuns: 3, tags: { team: 'data' } });
    expect(backfill).toMatchObject({ status: 'RUNNING', runCount: 30, from: '2024-10-01', to: '2024-10-30' });
    expect(backfill.partitions).toHaveLength(30);
    const runs = await runsOf(backfill.id);
    expect(runs.map((r) => r.partition)).toEqual(backfill.partitions);
    expect(runs.every((r) => r.status === 'QUEUED')).toBe(true);
    expect(runs[0]!.tags).toEqual({
      team: 'data',
      [BACKFILL_TAG]: backfill.id,
      [CONCURRENCY_KEY_TAG]: `backfill:${backfill.id}`,
      [CONCURRENCY_LIMIT_TAG]: '3',
      [PARTITION_TAG]: '2024-10-01',
    });
    expect((await h.instance.runs.listSteps(runs[29]!.id))[0]!.partitions).toEqual(['2024-10-30']);
  });

  it('chunks:7 over 30 days: runs of 7, 7, 7, 7 and 2 days as ranges', async () => {
    const backfill = await launch({ policy: parseBackfillPolicy('chunks:7') });
    const runs = await runsOf(backfill.id);
    expect(runs.map((r) => r.partition)).toEqual([
      '2024-10-01...2024-10-07',
      '2024-10-08...2024-10-14',
      '2024-10-15...2024-10-21',
      '2024-10-22...2024-10-28',
      '2024-10-29...2024-10-30',
    ]);
    expect(runs[4]!.tags).toMatchObject({ [PARTITION_RANGE_START_TAG]: '2024-10-29', [PARTITION_RANGE_END_TAG]: '2024-10-30' });
    expect(runs[0]!.tags[CONCURRENCY_KEY_TAG]).toBeUndefined();
    expect((await h.instance.runs.listSteps(runs[0]!.id))[0]!.partitions).toHaveLength(7);
  });

  it('single-run: one run over the whole range', async () => {
    const backfill = await launch({ policy: parseBackfillPolicy('single-run') });
    expect((await runsOf(backfill.id)).map((r) => r.partition)).toEqual(['2024-10-01...2024-10-30']);
  });

  it('refuses a bad policy naming the flag', () => {
    expect(() => parseBackfillPolicy('chunks:0')).toThrow(/--policy "chunks:0" is not one of per-partition, single-run, chunks:N/);
  });

  it('--only-failed picks the partitions whose latest outcome failed and cuts chunks at the gaps', async () => {
    failing.clear();
    for (const day of ['2024-03-02', '2024-03-03', '2024-03-05']) failing.add(day);
    for (const day of ['2024-03-01', '2024-03-02', '2024-03-03', '2024-03-04', '2024-03-05']) await h.materialize('key:daily', { partition: day });
    failing.clear();
    const backfill = await launch({ from: '2024-03-01', to: '2024-03-05', onlyFailed: true, policy: parseBackfillPolicy('chunks:7') });
    expect(backfill.partitions).toEqual(['2024-03-02', '2024-03-03', '2024-03-05']);
    expect((await runsOf(backfill.id)).map((r) => r.partition)).toEqual(['2024-03-02...2024-03-03', '2024-03-05']);
    // Progress covers each targeted day through the range run that holds it.
    const progress = await describeBackfill(h.instance.backfills, backfill.id);
    expect(progress.counts).toEqual({ done: 0, failed: 0, running: 0, queued: 3, canceled: 0 });
  });

  it('refuses a selection with an unpartitioned asset, and a bad range naming --from/--to; writes nothing', async () => {
    const before = (await h.instance.backfills.listBackfills()).length;
    const unpartitioned = await launch({ selection: 'key:daily or key:whole' }).catch((e: unknown) => e);
    expect(isSluiceError(unpartitioned) && unpartitioned.code).toBe('UNPARTITIONED_SELECTION');
    expect((unpartitioned as Error).message).toContain('whole');
    const backwards = await launch({ from: '2024-10-05', to: '2024-10-01' }).catch((e: unknown) => e);
    expect(isSluiceError(backwards)).toBe(true);
    expect((backwards as Error).message).toContain('--from/--to');
    const future = await launch({ to: '2030-01-01' }).catch((e: unknown) => e);
    expect((future as Error).message).toContain('--from/--to');
    expect((await h.instance.backfills.listBackfills()).length).toBe(before);
  });

  it('writes 1,000 daily partitions as 1,000 QUEUED runs', async () => {
    const backfill = await launch({ from: '2024-01-01', to: '2026-09-26' });
    expect(backfill.partitions).toHaveLength(1000);
    expect(backfill.runCount).toBe(1000);
    const runs = await h.instance.backfills.listBackfillRuns(backfill.id);
    expect(runs).toHaveLength(1000);
    expect(runs.filter((r) => r.status === 'QUEUED')).toHaveLength(1000);
    expect((await describeBackfill(h.instance.backfills, backfill.id)).counts.queued).toBe(1000);
  });
});
