import { describe, expect, it } from 'vitest';
import { generateEntries, READINGS_PER_DAY, type GlucoseEntry } from '../../assets/lib/generate-entries.js';

/** Rows that are not valid readings, computed independently of the generator. */
function invalidRows(entries: readonly GlucoseEntry[]): number {
  const seen = new Set<number>();
  let invalid = 0;
  for (const entry of entries) {
    if (entry.sgv === null || entry.sgv < 20 || entry.sgv > 600 || seen.has(entry.date)) invalid++;
    else seen.add(entry.date);
  }
  return invalid;
}

describe('generateEntries', () => {
  it('returns the same readings for the same options, and different ones for another seed', () => {
    const options = { days: 2, endDate: '2024-10-15', badRowShare: 0.1 };
    expect(generateEntries(options)).toEqual(generateEntries(options));
    expect(generateEntries({ ...options, seed: 7 }).entries).not.toEqual(generateEntries(options).entries);
  });

  it('emits a reading every 5 minutes over whole UTC days ending with endDate', () => {
    const { entries, badRows } = generateEntries({ days: 3, endDate: '2024-10-15' });
    expect(entries).toHaveLength(3 * READINGS_PER_DAY);
    expect(badRows).toBe(0);
    expect(entries[0]!.dateString).toBe('2024-10-13T00:00:00.000Z');
    expect(entries.at(-1)!.dateString).toBe('2024-10-15T23:55:00.000Z');
    for (let i = 1; i < entries.length; i++) expect(entries[i]!.date - entries[i - 1]!.date).toBe(300_000);
    for (const entry of entries) {
      expect(entry.type).toBe('sgv');
      expect(new Date(entry.date).toISOString()).toBe(entry.dateString);
    }
  });

  it('produces plausible glucose values with trend arrows when no bad rows are asked for', () => {
    const { entries } = generateEntries({ days: 7, endDate: '2024-10-15' });
    expect(invalidRows(entries)).toBe(0);
    const values = entries.map((entry) => entry.sgv!);
    expect(Math.min(...values)).toBeGreaterThanOrEqual(40);
    expect(Math.max(...values)).toBeLessThanOrEqual(400);
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    expect(mean).toBeGreaterThan(100);
    expect(mean).toBeLessThan(180);
    expect(new Set(entries.map((entry) => entry.direction)).size).toBeGreaterThan(3);
  });

  it.each([0.01, 0.2, 0.5, 1])('makes exactly round(rows * %s) rows invalid, of all three kinds', (share) => {
    const { entries, badRows } = generateEntries({ days: 4, endDate: '2024-02-29', badRowShare: share });
    expect(badRows).toBe(Math.round(entries.length * share));
    expect(invalidRows(entries)).toBe(badRows);
    if (share >= 0.2) {
      expect(entries.some((entry) => entry.sgv === null)).toBe(true);
      expect(entries.some((entry) => entry.sgv === 0 || entry.sgv === 900)).toBe(true);
    }
    if (share >= 0.2 && share < 1) expect(new Set(entries.map((entry) => entry.date)).size).toBeLessThan(entries.length);
  });

  it('rejects bad options with a message naming the option', () => {
    expect(() => generateEntries({ days: 0, endDate: '2024-10-15' })).toThrow(/days must be an integer >= 1/);
    expect(() => generateEntries({ days: 1, endDate: '2024-02-30' })).toThrow(/endDate must be a YYYY-MM-DD date/);
    expect(() => generateEntries({ days: 1, endDate: '2024-10-15', badRowShare: 1.5 })).toThrow(/badRowShare/);
  });
});
