import { describe, expect, it } from 'vitest';
import {
  dailyPartitions,
  hasPartitionKey,
  hourlyPartitions,
  lastPartitionKey,
  partitionKeyForInstant,
  partitionKeys,
  partitionTimeWindow,
  shiftPartitionKey,
  staticPartitions,
} from '../../../src/core/partitions/index.js';

const at = (iso: string) => new Date(iso);
const hoursOf = (w: { start: Date; end: Date }) => (w.end.getTime() - w.start.getTime()) / 3_600_000;
const iso = (w: { start: Date; end: Date }) => [w.start.toISOString(), w.end.toISOString()];

describe('daily partitions in UTC', () => {
  const daily = dailyPartitions({ start: '2024-10-01' });

  it('lists keys from start through the last day that has ended', () => {
    expect(partitionKeys(daily, at('2024-10-04T10:00:00Z'))).toEqual(['2024-10-01', '2024-10-02', '2024-10-03']);
    // At midnight exactly, the day that just ended is complete.
    expect(partitionKeys(daily, at('2024-10-04T00:00:00Z'))).toEqual(['2024-10-01', '2024-10-02', '2024-10-03']);
    expect(lastPartitionKey(daily, at('2024-10-03T23:59:59.999Z'))).toBe('2024-10-02');
  });

  it('has no keys before the first day ends', () => {
    expect(partitionKeys(daily, at('2024-10-01T12:00:00Z'))).toEqual([]);
    expect(lastPartitionKey(daily, at('2024-10-01T12:00:00Z'))).toBeUndefined();
  });

  it('moves the last key by endOffset', () => {
    const now = at('2024-10-04T10:00:00Z');
    expect(lastPartitionKey(dailyPartitions({ start: '2024-10-01', endOffset: 1 }), now)).toBe('2024-10-04');
    expect(lastPartitionKey(dailyPartitions({ start: '2024-10-01', endOffset: 2 }), now)).toBe('2024-10-05');
    expect(partitionKeys(dailyPartitions({ start: '2024-10-01', endOffset: -1 }), now)).toEqual(['2024-10-01', '2024-10-02']);
    expect(partitionKeys(dailyPartitions({ start: '2024-10-01', endOffset: 1 }), at('2024-10-01T00:00:00Z'))).toEqual(['2024-10-01']);
  });

  it('gives each key its [midnight, next midnight) window', () => {
    expect(iso(partitionTimeWindow(daily, '2024-10-02'))).toEqual(['2024-10-02T00:00:00.000Z', '2024-10-03T00:00:00.000Z']);
    expect(iso(partitionTimeWindow(daily, '2024-12-31'))).toEqual(['2024-12-31T00:00:00.000Z', '2025-01-01T00:00:00.000Z']);
  });

  it('finds the key of an instant, and none before the start', () => {
    expect(partitionKeyForInstant(daily, at('2024-10-05T23:59:59Z'))).toBe('2024-10-05');
    expect(partitionKeyForInstant(daily, at('2024-09-30T23:59:59Z'))).toBeUndefined();
  });

  it('shifts keys by windows, undefined before the start', () => {
    expect(shiftPartitionKey(daily, '2024-10-03', -1)).toBe('2024-10-02');
    expect(shiftPartitionKey(daily, '2024-10-31', 1)).toBe('2024-11-01');
    expect(shiftPartitionKey(daily, '2024-10-01', -1)).toBeUndefined();
    expect(shiftPartitionKey(daily, 'garbage', 1)).toBeUndefined();
  });

  it('tells keys from non-keys without listing them', () => {
    const now = at('2024-10-04T10:00:00Z');
    expect(hasPartitionKey(daily, '2024-10-03', now)).toBe(true);
    expect(hasPartitionKey(daily, '2024-10-04', now)).toBe(false);
    expect(hasPartitionKey(daily, '2024-09-30', now)).toBe(false);
    expect(hasPartitionKey(daily, '2024-10-3', now)).toBe(false);
  });
});

describe('daily partitions in a zone', () => {
  const london = dailyPartitions({ start: '2026-03-01', timezone: 'Europe/London' });

  it('is 23 hours on the spring-forward day and 25 on the fall-back day', () => {
    expect(iso(partitionTimeWindow(london, '2026-03-28'))).toEqual(['2026-03-28T00:00:00.000Z', '2026-03-29T00:00:00.000Z']);
    const spring = partitionTimeWindow(london, '2026-03-29');
    expect(iso(spring)).toEqual(['2026-03-29T00:00:00.000Z', '2026-03-29T23:00:00.000Z']);
    expect(hoursOf(spring)).toBe(23);
    const autumn = partitionTimeWindow(london, '2026-10-25');
    expect(iso(autumn)).toEqual(['2026-10-24T23:00:00.000Z', '2026-10-26T00:00:00.000Z']);
    expect(hoursOf(autumn)).toBe(25);
  });

  it('ends a day at local midnight', () => {
    // 23:30Z on 2026-06-01 is 00:30 BST on 2026-06-02: 2026-06-01 has ended.
    expect(lastPartitionKey(london, at('2026-06-01T23:30:00Z'))).toBe('2026-06-01');
    expect(lastPartitionKey(london, at('2026-06-01T22:59:59Z'))).toBe('2026-05-31');
    expect(partitionKeyForInstant(london, at('2026-06-01T23:30:00Z'))).toBe('2026-06-02');
  });

  it('starts an Asia/Kolkata day at 18:30Z the day before', () => {
    const kolkata = dailyPartitions({ start: '2024-10-01', timezone: 'Asia/Kolkata' });
    expect(iso(partitionTimeWindow(kolkata, '2024-10-01'))).toEqual(['2024-09-30T18:30:00.000Z', '2024-10-01T18:30:00.000Z']);
    expect(lastPartitionKey(kolkata, at('2024-10-01T18:30:00Z'))).toBe('2024-10-01');
    expect(lastPartitionKey(kolkata, at('2024-10-01T18:29:59Z'))).toBeUndefined();
  });
});

describe('hourly partitions in Europe/London', () => {
  it('has no 01:00 key on the spring-forward day', () => {
    const hourly = hourlyPartitions({ start: '2026-03-28-23:00', timezone: 'Europe/London' });
    const keys = partitionKeys(hourly, at('2026-03-29T03:00:00Z'));
    expect(keys).toEqual(['2026-03-28-23:00', '2026-03-29-00:00', '2026-03-29-02:00', '2026-03-29-03:00']);
    expect(iso(partitionTimeWindow(hourly, '2026-03-29-00:00'))).toEqual(['2026-03-29T00:00:00.000Z', '2026-03-29T01:00:00.000Z']);
    expect(iso(partitionTimeWindow(hourly, '2026-03-29-02:00'))).toEqual(['2026-03-29T01:00:00.000Z', '2026-03-29T02:00:00.000Z']);
    expect(() => partitionTimeWindow(hourly, '2026-03-29-01:00')).toThrow('is not a partition');
    expect(hasPartitionKey(hourly, '2026-03-29-01:00', at('2026-03-29T03:00:00Z'))).toBe(false);
    expect(shiftPartitionKey(hourly, '2026-03-29-02:00', -1)).toBe('2026-03-29-00:00');
    expect(shiftPartitionKey(hourly, '2026-03-29-00:00', 1)).toBe('2026-03-29-02:00');
    expect(shiftPartitionKey(hourly, '2026-03-28-23:00', 3)).toBe('2026-03-29-03:00');
  });

  it('makes the repeated 01:00 hour on the fall-back day one 2-hour key', () => {
    const hourly = hourlyPartitions({ start: '2026-10-25-00:00', timezone: 'Europe/London' });
    const one = partitionTimeWindow(hourly, '2026-10-25-01:00');
    expect(iso(one)).toEqual(['2026-10-25T00:00:00.000Z', '2026-10-25T02:00:00.000Z']);
    expect(hoursOf(one)).toBe(2);
    expect(iso(partitionTimeWindow(hourly, '2026-10-25-02:00'))).toEqual(['2026-10-25T02:00:00.000Z', '2026-10-25T03:00:00.000Z']);
    // 01:30 GMT (the second 01:30) is still inside the 01:00 window, which has not ended.
    expect(partitionKeyForInstant(hourly, at('2026-10-25T01:30:00Z'))).toBe('2026-10-25-01:00');
    expect(partitionKeys(hourly, at('2026-10-25T01:30:00Z'))).toEqual(['2026-10-25-00:00']);
    expect(partitionKeys(hourly, at('2026-10-25T02:00:00Z'))).toEqual(['2026-10-25-00:00', '2026-10-25-01:00']);
  });

  it('includes the hour in progress with endOffset 1 and drops the last with -1', () => {
    const now = at('2026-06-01T10:30:00Z'); // 11:30 BST
    const make = (endOffset: number) => hourlyPartitions({ start: '2026-06-01-08:00', timezone: 'Europe/London', endOffset });
    expect(partitionKeys(make(0), now)).toEqual(['2026-06-01-08:00', '2026-06-01-09:00', '2026-06-01-10:00']);
    expect(partitionKeys(make(1), now)).toEqual(['2026-06-01-08:00', '2026-06-01-09:00', '2026-06-01-10:00', '2026-06-01-11:00']);
    expect(partitionKeys(make(-1), now)).toEqual(['2026-06-01-08:00', '2026-06-01-09:00']);
  });
});

describe('many keys', () => {
  it('lists 50,000 hourly keys in UTC', () => {
    const hourly = hourlyPartitions({ start: '2020-01-01-00:00' });
    const keys = partitionKeys(hourly, new Date(Date.UTC(2020, 0, 1) + 50_000 * 3_600_000));
    expect(keys).toHaveLength(50_000);
    expect(keys[0]).toBe('2020-01-01-00:00');
    expect(keys[49_999]).toBe('2025-09-14-07:00');
    expect(new Set(keys).size).toBe(50_000);
  });

  it('lists one key per real hour in London, less one per autumn for its 2-hour key', () => {
    const hourly = hourlyPartitions({ start: '2020-01-01-00:00', timezone: 'Europe/London' });
    // 50,000 real hours from 2020-01-01T00:00Z (GMT), all ended; the windows tile them, and the
    // autumns of 2020..2024 each have one 2-hour window (springs skip a wall hour, not a real one).
    const keys = partitionKeys(hourly, new Date(Date.UTC(2020, 0, 1) + 50_000 * 3_600_000));
    expect(keys).toHaveLength(50_000 - 5);
    expect(keys[keys.length - 1]).toBe('2025-09-14-08:00');
    expect(keys).not.toContain('2024-03-31-01:00');
    expect(keys).toContain('2024-10-27-01:00');
  });
});

describe('static partitions', () => {
  const regions = staticPartitions(['eu', 'us', 'apac']);
  const now = at('2024-10-04T10:00:00Z');

  it('lists its keys in the order given, whatever the time', () => {
    expect(partitionKeys(regions, now)).toEqual(['eu', 'us', 'apac']);
    expect(lastPartitionKey(regions, now)).toBe('apac');
    expect(hasPartitionKey(regions, 'us', now)).toBe(true);
    expect(hasPartitionKey(regions, 'US', now)).toBe(false);
  });

  it('shifts within the list and has no time windows', () => {
    expect(shiftPartitionKey(regions, 'eu', 2)).toBe('apac');
    expect(shiftPartitionKey(regions, 'eu', -1)).toBeUndefined();
    expect(() => partitionTimeWindow(regions, 'eu')).toThrow('static partitions have no time windows');
    expect(() => partitionKeyForInstant(regions, now)).toThrow('static partitions have no time windows');
  });
});
