import { describe, expect, it } from 'vitest';
import { rawEntries } from '../../assets/ingest/raw-entries.js';
import { dailyPromotion, readingDays } from '../../schedules/daily_promotion.js';

const partitionAt = (iso: string) => dailyPromotion.partition!({ scheduledFor: new Date(iso), timezone: dailyPromotion.timezone });

describe('the example daily_promotion schedule', () => {
  it('reads the days of raw/entries', () => {
    expect(readingDays).toEqual(rawEntries.partitions);
  });

  it("materializes yesterday's UTC day of readings at each 06:00 London tick", () => {
    expect(partitionAt('2026-11-23T06:00:00Z')).toBe('2026-11-22'); // GMT
    expect(partitionAt('2026-07-01T05:00:00Z')).toBe('2026-06-30'); // BST
  });

  it('keeps to the London date across the clock changes', () => {
    // 2026-03-29: the clocks go forward at 01:00 GMT; 06:00 BST is 05:00Z.
    expect(partitionAt('2026-03-29T05:00:00Z')).toBe('2026-03-28');
    expect(partitionAt('2026-03-28T06:00:00Z')).toBe('2026-03-27');
    // 2026-10-25: back to GMT.
    expect(partitionAt('2026-10-25T06:00:00Z')).toBe('2026-10-24');
    // Just after midnight BST it is already the next day in London, though not in UTC.
    expect(partitionAt('2026-06-30T23:30:00Z')).toBe('2026-06-30');
  });

  it('fails a tick before the readings have a previous day, naming the first day', () => {
    expect(() => partitionAt('2024-10-01T05:00:00Z')).toThrow(/no previous day of readings \(they start on 2024-10-01\)/);
    expect(partitionAt('2024-10-02T05:00:00Z')).toBe('2024-10-01');
  });
});
