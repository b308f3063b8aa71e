import { describe, expect, it } from 'vitest';
import {
  allPartitionsMapping,
  assertPartitionMapping,
  dailyPartitions,
  defaultPartitionMapping,
  hourlyPartitions,
  identityPartitionMapping,
  staticPartitions,
  timeWindowPartitionMapping,
  upstreamPartitionKeys,
} from '../../../src/core/partitions/index.js';

const now = new Date('2024-10-06T10:00:00Z');
const daily = dailyPartitions({ start: '2024-10-01' });
const previousDay = timeWindowPartitionMapping({ startOffset: -1, endOffset: -1 });

describe('partition mappings', () => {
  it('builds frozen mappings and validates offsets', () => {
    expect(identityPartitionMapping()).toEqual({ kind: 'identity' });
    expect(allPartitionsMapping()).toEqual({ kind: 'all' });
    expect(timeWindowPartitionMapping()).toEqual({ kind: 'time-window', startOffset: 0, endOffset: 0 });
    expect(Object.isFrozen(previousDay)).toBe(true);
    expect(() => timeWindowPartitionMapping({ startOffset: 0, endOffset: -1 })).toThrow('startOffset <= endOffset');
    expect(() => timeWindowPartitionMapping({ startOffset: 0.5 })).toThrow('must be integers');
    expect(() => assertPartitionMapping({ kind: 'latest' }, 'partitionMappings["a"]')).toThrow('partitionMappings["a"]: not a partition mapping');
  });

  it('defaults to identity between partitioned assets and to all otherwise', () => {
    expect(defaultPartitionMapping(daily, daily)).toEqual({ kind: 'identity' });
    expect(defaultPartitionMapping(undefined, daily)).toEqual({ kind: 'all' });
    expect(defaultPartitionMapping(daily, undefined)).toEqual({ kind: 'all' });
  });
});

describe('upstreamPartitionKeys', () => {
  it('maps a key to itself by default', () => {
    expect(upstreamPartitionKeys(undefined, daily, '2024-10-03', daily, now)).toEqual(['2024-10-03']);
    expect(upstreamPartitionKeys(identityPartitionMapping(), daily, '2024-10-03', daily, now)).toEqual(['2024-10-03']);
    const regions = staticPartitions(['eu', 'us']);
    expect(upstreamPartitionKeys(undefined, regions, 'us', regions, now)).toEqual(['us']);
  });

  it('maps to the previous day, dropping keys before the upstream start', () => {
    expect(upstreamPartitionKeys(previousDay, daily, '2024-10-03', daily, now)).toEqual(['2024-10-02']);
    expect(upstreamPartitionKeys(previousDay, daily, '2024-10-01', daily, now)).toEqual([]);
    const week = timeWindowPartitionMapping({ startOffset: -6, endOffset: 0 });
    expect(upstreamPartitionKeys(week, daily, '2024-10-03', daily, now)).toEqual(['2024-10-01', '2024-10-02', '2024-10-03']);
  });

  it('maps a time window onto the upstream windows that overlap it', () => {
    const hourly = hourlyPartitions({ start: '2024-10-01-00:00' });
    const hours = upstreamPartitionKeys(timeWindowPartitionMapping(), daily, '2024-10-03', hourly, now);
    expect(hours).toHaveLength(24);
    expect([hours[0], hours[23]]).toEqual(['2024-10-03-00:00', '2024-10-03-23:00']);
    // A London day (BST, starts 23:00Z the day before) overlaps two UTC days.
    const londonDaily = dailyPartitions({ start: '2024-10-01', timezone: 'Europe/London' });
    expect(upstreamPartitionKeys(timeWindowPartitionMapping(), londonDaily, '2024-10-03', daily, now)).toEqual(['2024-10-02', '2024-10-03']);
  });

  it('maps every downstream partition to all upstream partitions up to now', () => {
    expect(upstreamPartitionKeys(allPartitionsMapping(), daily, '2024-10-03', daily, now)).toEqual([
      '2024-10-01',
      '2024-10-02',
      '2024-10-03',
      '2024-10-04',
      '2024-10-05',
    ]);
  });

  it('maps an unpartitioned downstream to every upstream partition', () => {
    expect(upstreamPartitionKeys(undefined, undefined, undefined, daily, now)).toHaveLength(5);
    const regions = staticPartitions(['eu', 'us']);
    expect(upstreamPartitionKeys(undefined, undefined, undefined, regions, now)).toEqual(['eu', 'us']);
  });

  it('maps anything to the one unkeyed materialization of an unpartitioned upstream', () => {
    expect(upstreamPartitionKeys(undefined, daily, '2024-10-03', undefined, now)).toEqual(['']);
    expect(upstreamPartitionKeys(undefined, undefined, undefined, undefined, now)).toEqual(['']);
  });

  it('refuses a time-window mapping onto static partitions', () => {
    expect(() => upstreamPartitionKeys(previousDay, daily, '2024-10-03', staticPartitions(['eu']), now)).toThrow('needs daily or hourly partitions');
  });
});
