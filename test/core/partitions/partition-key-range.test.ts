import { describe, expect, it } from 'vitest';
import { SluiceError } from '../../../src/core/errors.js';
import {
  assertPartitionKey,
  dailyPartitions,
  formatPartitionRange,
  hourlyPartitions,
  parsePartitionRange,
  partitionKeyRange,
  staticPartitions,
} from '../../../src/core/partitions/index.js';

const now = new Date('2026-11-22T10:00:00Z');
const london = dailyPartitions({ start: '2024-10-01', timezone: 'Europe/London' });

function messageOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(SluiceError);
    expect((error as SluiceError).code).toBe('INVALID_PARTITION');
    return (error as Error).message;
  }
  throw new Error('expected an error');
}

describe('assertPartitionKey', () => {
  it('accepts a key and names where, the asset, format and first/last key otherwise', () => {
    expect(() => assertPartitionKey(london, '2026-11-21', now, '--partition', 'raw/entries')).not.toThrow();
    expect(messageOf(() => assertPartitionKey(london, '2024-13-01', now, '--partition', 'raw/entries'))).toBe(
      '--partition: "2024-13-01" is not a partition of raw/entries (malformed: expected YYYY-MM-DD); partitions are daily from 2024-10-01 (Europe/London), keys like YYYY-MM-DD; first 2024-10-01, last 2026-11-21',
    );
  });

  it('says why a well-formed key is not a partition', () => {
    expect(messageOf(() => assertPartitionKey(london, '2024-09-30', now, '--partition'))).toContain('(before the first partition)');
    expect(messageOf(() => assertPartitionKey(london, '2026-11-22', now, '--partition'))).toContain('(not there yet: its window has not ended)');
    const hourly = hourlyPartitions({ start: '2026-03-01-00:00', timezone: 'Europe/London' });
    expect(messageOf(() => assertPartitionKey(hourly, '2026-03-29-01:00', now, '--partition'))).toContain('the clocks skip it');
  });

  it('says when no partition exists yet', () => {
    const fresh = dailyPartitions({ start: '2026-11-22' });
    expect(messageOf(() => assertPartitionKey(fresh, '2026-11-22', now, 'backfill'))).toContain('no partition yet: the first window, 2026-11-22, has not ended');
  });

  it('lists static keys and suggests a near miss', () => {
    const regions = staticPartitions(['eu', 'us']);
    expect(messageOf(() => assertPartitionKey(regions, 'uss', now, '--partition', 'raw/sales'))).toBe(
      '--partition: "uss" is not a partition of raw/sales (not one of the static keys) (did you mean "us"?); valid keys: eu, us',
    );
  });
});

describe('partitionKeyRange', () => {
  const daily = dailyPartitions({ start: '2024-10-01' });

  it('returns the keys from..to inclusive', () => {
    expect(partitionKeyRange(daily, '2024-10-30', '2024-11-02', now, '--partition')).toEqual(['2024-10-30', '2024-10-31', '2024-11-01', '2024-11-02']);
    expect(partitionKeyRange(daily, '2024-10-05', '2024-10-05', now, '--partition')).toEqual(['2024-10-05']);
    expect(partitionKeyRange(staticPartitions(['a', 'b', 'c', 'd']), 'b', 'c', now, '--partition')).toEqual(['b', 'c']);
  });

  it('skips hours the clocks skip', () => {
    const hourly = hourlyPartitions({ start: '2026-03-01-00:00', timezone: 'Europe/London' });
    expect(partitionKeyRange(hourly, '2026-03-29-00:00', '2026-03-29-03:00', now, '--partition')).toEqual([
      '2026-03-29-00:00',
      '2026-03-29-02:00',
      '2026-03-29-03:00',
    ]);
  });

  it('rejects a backwards range, suggesting the right order', () => {
    expect(messageOf(() => partitionKeyRange(daily, '2024-10-05', '2024-10-02', now, '--partition', 'raw/entries'))).toBe(
      '--partition: the range 2024-10-05...2024-10-02 of raw/entries is backwards: "2024-10-05" comes after "2024-10-02"; write it oldest first: 2024-10-02...2024-10-05',
    );
    expect(messageOf(() => partitionKeyRange(staticPartitions(['a', 'b']), 'b', 'a', now, 'x'))).toContain('is backwards');
  });

  it('rejects an end that is not a partition yet', () => {
    expect(messageOf(() => partitionKeyRange(daily, '2024-10-05', '2030-01-01', now, '--partition'))).toContain('"2030-01-01" is not a partition');
  });
});

describe('range text', () => {
  it('parses A...B and leaves single keys alone', () => {
    expect(parsePartitionRange('2024-10-01...2024-10-07')).toEqual({ from: '2024-10-01', to: '2024-10-07' });
    expect(parsePartitionRange('2024-10-01-05:00...2024-10-01-07:00')).toEqual({ from: '2024-10-01-05:00', to: '2024-10-01-07:00' });
    expect(parsePartitionRange('2024-10-01')).toBeUndefined();
    expect(parsePartitionRange('eu.west')).toBeUndefined();
  });

  it('formats what it parses', () => {
    expect(formatPartitionRange('a', 'b')).toBe('a...b');
    expect(parsePartitionRange(formatPartitionRange('2024-10-01', '2024-10-07'))).toEqual({ from: '2024-10-01', to: '2024-10-07' });
  });
});
