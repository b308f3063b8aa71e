import { seededRandom } from './seeded-random.js';

/** One CGM reading shaped like a Nightscout `sgv` entry. */
export interface GlucoseEntry {
  /** Sensor glucose in mg/dL; null when the sensor reported nothing. */
  readonly sgv: number | null;
  /** Epoch milliseconds. */
  readonly date: number;
  /** ISO 8601 timestamp (UTC) of `date`. */
  readonly dateString: string;
  readonly direction: string;
  readonly device: string;
  readonly type: 'sgv';
}

export interface GenerateEntriesOptions {
  /** Number of UTC days, ending with `endDate` (inclusive). */
  readonly days: number;
  /** `YYYY-MM-DD`, a UTC date. */
  readonly endDate: string;
  /** Share (0..1) of rows made bad: null sgv, out-of-range sgv, or a duplicate timestamp. */
  readonly badRowShare?: number;
  readonly seed?: number;
  readonly device?: string;
}

export interface GeneratedEntries {
  /** One row per 5-minute slot (288 a day), in slot order. */
  readonly entries: readonly GlucoseEntry[];
  /** Exactly `round(entries.length * badRowShare)`. */
  readonly badRows: number;
}

export const READINGS_PER_DAY = 288;
const FIVE_MINUTES = 5 * 60_000;
const DAY = 86_400_000;

/**
 * Deterministic CGM readings every 5 minutes over `days` UTC days: a baseline with a dawn rise,
 * three meals a day and sensor noise, all from a seeded PRNG. Each bad row is a null sgv, an
 * out-of-range sgv (0 or 900) or an exact copy of an earlier good reading (a duplicate timestamp),
 * so that after dropping invalid rows and counting each timestamp once, exactly the good rows remain.
 */
export function generateEntries(options: GenerateEntriesOptions): GeneratedEntries {
  const { days, endDate, badRowShare = 0, seed = 20241015, device = 'sluice-example-cgm' } = options;
  if (!Number.isInteger(days) || days < 1) throw new RangeError(`generateEntries: days must be an integer >= 1, got ${days}`);
  if (!(badRowShare >= 0 && badRowShare <= 1)) {
    throw new RangeError(`generateEntries: badRowShare must be between 0 and 1, got ${badRowShare}`);
  }
  const end = Date.parse(`${endDate}T00:00:00Z`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(endDate) || Number.isNaN(end) || new Date(end).toISOString().slice(0, 10) !== endDate) {
    throw new RangeError(`generateEntries: endDate must be a YYYY-MM-DD date, got "${endDate}"`);
  }
  const start = end - (days - 1) * DAY;
  const random = seededRandom(seed);
  const gaussian = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());

  const entries: GlucoseEntry[] = [];
  let noise = 0;
  let previous: number | undefined;
  for (let day = 0; day < days; day++) {
    // Meal times (minutes after midnight) and sizes (mg/dL peak rise) for this day.
    const meals = [450, 750, 1140].map((at) => ({ at: at + (random() - 0.5) * 60, size: 30 + random() * 70 }));
    for (let slot = 0; slot < READINGS_PER_DAY; slot++) {
      const minute = slot * 5;
      const hour = minute / 60;
      let glucose = 110 + 20 * Math.exp(-((hour - 6) ** 2) / 4);
      for (const meal of meals) {
        const t = (minute - meal.at) / 45;
        if (t > 0) glucose += meal.size * t * Math.exp(1 - t);
      }
      noise = 0.85 * noise + 4 * gaussian();
      const sgv = Math.round(Math.min(400, Math.max(40, glucose + noise)));
      const date = start + day * DAY + minute * 60_000;
      entries.push({
        sgv,
        date,
        dateString: new Date(date).toISOString(),
        direction: direction(previous === undefined ? 0 : (sgv - previous) / 5),
        device,
        type: 'sgv',
      });
      previous = sgv;
    }
  }
  const badRows = Math.round(entries.length * badRowShare);
  spoil(entries, badRows, seededRandom(seed ^ 0x9e3779b9));
  return { entries, badRows };
}

/** Nightscout's trend arrow for a rate of change in mg/dL per minute. */
function direction(rate: number): string {
  if (rate > 3) return 'DoubleUp';
  if (rate > 2) return 'SingleUp';
  if (rate > 1) return 'FortyFiveUp';
  if (rate >= -1) return 'Flat';
  if (rate >= -2) return 'FortyFiveDown';
  if (rate >= -3) return 'SingleDown';
  return 'DoubleDown';
}

/** Turns `count` randomly chosen rows bad, in place. */
function spoil(entries: GlucoseEntry[], count: number, random: () => number): void {
  // A partial Fisher-Yates shuffle picks `count` distinct rows.
  const indices = entries.map((_, i) => i);
  for (let i = 0; i < count; i++) {
    const j = i + Math.floor(random() * (indices.length - i));
    [indices[i], indices[j]] = [indices[j]!, indices[i]!];
  }
  const bad = new Set(indices.slice(0, count));
  let lastGood = -1;
  for (let i = 0; i < entries.length; i++) {
    if (!bad.has(i)) {
      lastGood = i;
      continue;
    }
    const roll = random();
    const entry = entries[i]!;
    // A duplicate copies the latest good reading, so it never hides behind another bad row.
    if (roll < 1 / 3 && lastGood >= 0) entries[i] = { ...entries[lastGood]! };
    else if (roll < 2 / 3) entries[i] = { ...entry, sgv: null, direction: 'NOT COMPUTABLE' };
    else entries[i] = { ...entry, sgv: random() < 0.5 ? 0 : 900, direction: 'NOT COMPUTABLE' };
  }
}
