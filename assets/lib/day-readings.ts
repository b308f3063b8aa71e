import { generateEntries, READINGS_PER_DAY, type GlucoseEntry } from './generate-entries.js';
import { VALID_SGV } from './glucose-ranges.js';
import { seededRandom } from './seeded-random.js';

/** One reading as the upstream source holds it: a Nightscout entry, its row id, and when it was uploaded. */
export interface RawReading extends GlucoseEntry {
  /** Unique across days: the UTC day number (days since 1970-01-01) * 288 + the reading's slot. */
  readonly id: number;
  /** Epoch milliseconds when the reading reached the source (uploaded by the phone). */
  readonly receivedAt: number;
  /** Received more than LATE_AFTER_MS after it was taken (the phone was offline). */
  readonly late: boolean;
  /** Invalid for the pipeline: null or out-of-range sgv, or a repeat of an earlier timestamp. */
  readonly bad: boolean;
}

export interface DayReadingsOptions {
  /** Share (0..1) of the day's rows made bad (see generateEntries). */
  readonly badRowShare?: number;
  /** Share (0..1) of the day's readings uploaded a day late; the others within minutes. */
  readonly lateShare?: number;
}

/** A reading received later than this after it was taken counts as late. */
export const LATE_AFTER_MS = 60 * 60_000;

const DAY = 86_400_000;
const MINUTE = 60_000;

/**
 * The deterministic upstream source of one UTC day (`YYYY-MM-DD`): its 288 readings (generated with
 * a seed of the day, so a day always reads the same whatever range it is loaded in), each with an
 * upload time. On-time readings arrive 1-10 minutes after they were taken; exactly
 * round(288 * lateShare) readings, picked by a seeded shuffle, arrive a day (24-25 h) later.
 */
export function dayReadings(day: string, options: DayReadingsOptions = {}): RawReading[] {
  const { badRowShare = 0, lateShare = 0 } = options;
  if (!(lateShare >= 0 && lateShare <= 1)) throw new RangeError(`dayReadings: lateShare must be between 0 and 1, got ${lateShare}`);
  const seed = Number(day.replaceAll('-', ''));
  const { entries } = generateEntries({ days: 1, endDate: day, badRowShare, seed });
  const dayNumber = Date.parse(`${day}T00:00:00Z`) / DAY;
  const random = seededRandom(seed ^ 0x5bd1e995);
  const late = pick(entries.length, Math.round(entries.length * lateShare), random);
  const seen = new Set<number>();
  return entries.map((entry, slot) => {
    const valid = entry.sgv !== null && entry.sgv >= VALID_SGV.min && entry.sgv <= VALID_SGV.max && !seen.has(entry.date);
    if (valid) seen.add(entry.date);
    const delay = late.has(slot) ? DAY + Math.floor(random() * 60) * MINUTE : (1 + Math.floor(random() * 10)) * MINUTE;
    return { ...entry, id: dayNumber * READINGS_PER_DAY + slot, receivedAt: entry.date + delay, late: delay > LATE_AFTER_MS, bad: !valid };
  });
}

/** `count` distinct indexes below `n`, by a partial Fisher-Yates shuffle. */
function pick(n: number, count: number, random: () => number): Set<number> {
  const indices = Array.from({ length: n }, (_, i) => i);
  for (let i = 0; i < count; i++) {
    const j = i + Math.floor(random() * (n - i));
    [indices[i], indices[j]] = [indices[j]!, indices[i]!];
  }
  return new Set(indices.slice(0, count));
}
