import { describe, expect, it } from 'vitest';
import { dailyPartitions } from '../../../src/core/partitions/partitions-definition.js';
import { timeWindowPartitionMapping } from '../../../src/core/partitions/partition-mapping.js';
import { assetStatuses, type PartitionState } from '../../../src/core/staleness/asset-status.js';
import { graphOf, noop } from '../../fixtures/graph.js';

const NOW = new Date('2024-10-04T12:00:00Z'); // daily partitions 2024-10-01 .. 2024-10-03 exist
const t = (minute: number) => new Date(Date.UTC(2024, 9, 4, 0, minute));
const ok = (partitionKey: string, minute: number, codeVersion: string | null = null): PartitionState => ({ partitionKey, status: 'MATERIALIZED', materializedAt: t(minute), codeVersion });
const failedAfter = (partitionKey: string, minute: number | null): PartitionState => ({ partitionKey, status: 'FAILED', materializedAt: minute === null ? null : t(minute), codeVersion: null });
const days = dailyPartitions({ start: '2024-10-01' });

describe('assetStatuses', () => {
  it('unpartitioned: missing, fresh, stale after an upstream materialization or a code version change, failed', () => {
    const graph = graphOf([noop('a'), noop('b', ['a']), noop('c', ['b'], { codeVersion: 'v2' }), noop('d', ['a']), noop('e')]);
    const states = new Map([
      ['a', [ok('', 10)]],
      ['b', [ok('', 5)]],
      ['c', [ok('', 20, 'v1')]],
      ['d', [ok('', 30)]],
      ['e', [failedAfter('', 1)]],
    ]);
    const status = assetStatuses(graph, states, NOW);
    expect(Object.fromEntries([...status].map(([k, v]) => [k, v.status]))).toEqual({ a: 'fresh', b: 'stale', c: 'stale', d: 'fresh', e: 'failed' });
    expect(status.get('b')?.reason).toBe('upstream a was materialized after it');
    // c is stale twice over: its code version, and its parent b is stale.
    expect(status.get('c')?.reason).toBe('code version changed: v1 -> v2');
    expect(assetStatuses(graphOf([noop('x')]), new Map(), NOW).get('x')).toEqual({ status: 'missing', reason: 'never materialized', partitions: null });
  });

  it('partitioned: per-partition identity and previous-day dependencies, counts, and an unpartitioned reader of all partitions', () => {
    const graph = graphOf([
      noop('raw', [], { partitions: days }),
      noop('daily', ['raw'], { partitions: days }),
      noop('rolling', ['raw'], { partitions: days, partitionMappings: { raw: timeWindowPartitionMapping({ startOffset: -1, endOffset: -1 }) } }),
      noop('report', ['raw']),
    ]);
    const states = new Map([
      ['raw', [ok('2024-10-01', 1), ok('2024-10-02', 50), ok('2024-10-03', 3)]],
      // 10-02 is stale: raw 10-02 was written after it. 10-03 fresh.
      ['daily', [ok('2024-10-02', 10), ok('2024-10-03', 10)]],
      // rolling 10-03 reads raw 10-02 (written at 50): stale; 10-02 reads raw 10-01: fresh.
      ['rolling', [ok('2024-10-02', 10), ok('2024-10-03', 10)]],
      ['report', [ok('', 40)]],
    ]);
    const status = assetStatuses(graph, states, NOW);
    expect(status.get('raw')).toEqual({ status: 'fresh', reason: null, partitions: { fresh: 3, stale: 0, failed: 0, missing: 0 } });
    expect(status.get('daily')).toMatchObject({ status: 'stale', partitions: { fresh: 1, stale: 1, failed: 0, missing: 1 } });
    expect(status.get('daily')?.reason).toBe('upstream raw was materialized after it (partition 2024-10-02)');
    expect(status.get('rolling')).toMatchObject({ status: 'stale', partitions: { fresh: 1, stale: 1, missing: 1 } });
    expect(status.get('rolling')?.reason).toContain('(partition 2024-10-03)');
    expect(status.get('report')).toMatchObject({ status: 'stale', reason: 'upstream raw was materialized after it' });
  });

  it('a partitioned asset is failed when any partition failed, missing when its latest partition never ran', () => {
    const graph = graphOf([noop('raw', [], { partitions: days })]);
    expect(assetStatuses(graph, new Map([['raw', [ok('2024-10-01', 1), failedAfter('2024-10-02', 2)]]]), NOW).get('raw')).toMatchObject({
      status: 'failed',
      partitions: { fresh: 1, failed: 1, missing: 1 },
    });
    expect(assetStatuses(graph, new Map([['raw', [ok('2024-10-01', 1)]]]), NOW).get('raw')).toMatchObject({
      status: 'missing',
      reason: 'latest partition 2024-10-03 never materialized',
    });
  });

  it('staleness flows downstream: a child of a stale asset is stale, through partitions too', () => {
    const graph = graphOf([
      noop('raw', [], { partitions: days }),
      noop('daily', ['raw'], { partitions: days }),
      noop('weekly', ['daily']),
      noop('mart', ['weekly']),
      noop('other'),
    ]);
    const states = new Map([
      ['raw', [ok('2024-10-01', 1), ok('2024-10-02', 50)]],
      ['daily', [ok('2024-10-01', 10), ok('2024-10-02', 10)]],
      ['weekly', [ok('', 20)]],
      ['mart', [ok('', 30)]],
      ['other', [ok('', 5)]],
    ]);
    const status = assetStatuses(graph, states, NOW);
    expect(status.get('daily')).toMatchObject({ status: 'stale', partitions: { stale: 1, fresh: 1 } });
    expect(status.get('weekly')).toMatchObject({ status: 'stale', reason: 'upstream daily is stale' });
    expect(status.get('mart')).toMatchObject({ status: 'stale', reason: 'upstream weekly is stale' });
    expect(status.get('other')?.status).toBe('fresh');
  });
});
