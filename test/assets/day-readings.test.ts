import { describe, expect, it } from 'vitest';
import { dayReadings, LATE_AFTER_MS } from '../../assets/lib/day-readings.js';
import { generateEntries } from '../../assets/lib/generate-entries.js';

describe('dayReadings (the per-day source of raw/entries)', () => {
  it('reads the same day the same way, and another day differently', () => {
    expect(dayReadings('2024-10-14', { badRowShare: 0.1, lateShare: 0.05 })).toEqual(dayReadings('2024-10-14', { badRowShare: 0.1, lateShare: 0.05 }));
    expect(dayReadings('2024-10-14').map((r) => r.sgv)).not.toEqual(dayReadings('2024-10-15').map((r) => r.sgv));
  });

  it('gives ids unique across days, in slot order', () => {
    const ids = ['2024-10-13', '2024-10-14', '2024-10-15'].flatMap((day) => dayReadings(day).map((r) => r.id));
    expect(new Set(ids).size).toBe(864);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(ids[0]).toBe((Date.parse('2024-10-13T00:00:00Z') / 86_400_000) * 288);
  });

  it('receives round(288 * lateShare) readings a day late and the others within minutes', () => {
    const readings = dayReadings('2024-10-14', { lateShare: 0.05 });
    const late = readings.filter((r) => r.late);
    expect(late).toHaveLength(14);
    for (const r of late) expect(r.receivedAt - r.date).toBeGreaterThanOrEqual(86_400_000);
    for (const r of readings.filter((x) => !x.late)) expect(r.receivedAt - r.date).toBeLessThanOrEqual(10 * 60_000);
    expect(LATE_AFTER_MS).toBeLessThan(86_400_000);
    expect(dayReadings('2024-10-14', { lateShare: 0 }).filter((r) => r.late)).toHaveLength(0);
  });

  it('flags exactly the bad rows the generator made', () => {
    const readings = dayReadings('2024-10-14', { badRowShare: 0.2 });
    expect(readings.filter((r) => r.bad)).toHaveLength(generateEntries({ days: 1, endDate: '2024-10-14', badRowShare: 0.2, seed: 20241014 }).badRows);
    expect(() => dayReadings('2024-10-14', { lateShare: 2 })).toThrow(/lateShare must be between 0 and 1/);
  });
});
