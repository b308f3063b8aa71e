/**
 * The two time-window cadences as wall-clock arithmetic. A wall time is encoded as the UTC epoch ms
 * of the same calendar fields (see core/time/zone-clock.ts), so stepping and flooring are plain
 * arithmetic with no zone involved; keys are the formatted wall time of a window's start.
 */
export type Cadence = 'daily' | 'hourly';

export interface CadenceRules {
  readonly stepMs: number;
  /** The key format, for messages. */
  readonly format: string;
  readonly example: string;
  /** The start of the window holding wall time `wall`. */
  floor(wall: number): number;
  toKey(wall: number): string;
  /** The wall time a well-formed key names, or undefined (wrong shape, impossible date). */
  parse(key: string): number | undefined;
}

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
const DAILY = /^(\d{4})-(\d{2})-(\d{2})$/;
const HOURLY = /^(\d{4})-(\d{2})-(\d{2})-(\d{2}):00$/;

function fromFields(y: string, mo: string, d: string, h: string): number | undefined {
  const wall = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h));
  const back = new Date(wall);
  // Date.UTC rolls 2024-13-01 over into 2025; a round trip rejects it. Years below 100 are not rolled.
  if (back.getUTCFullYear() !== Number(y) || back.getUTCMonth() !== Number(mo) - 1 || back.getUTCDate() !== Number(d)) return undefined;
  if (back.getUTCHours() !== Number(h)) return undefined;
  return wall;
}

const daily: CadenceRules = {
  stepMs: DAY_MS,
  format: 'YYYY-MM-DD',
  example: '2024-10-01',
  floor: (wall) => wall - mod(wall, DAY_MS),
  toKey: (wall) => dayKey(Math.floor(wall / DAY_MS)),
  parse(key) {
    const m = DAILY.exec(key);
    return m ? fromFields(m[1]!, m[2]!, m[3]!, '0') : undefined;
  },
};

const hourly: CadenceRules = {
  stepMs: HOUR_MS,
  format: 'YYYY-MM-DD-HH:00',
  example: '2024-10-01-00:00',
  floor: (wall) => wall - mod(wall, HOUR_MS),
  toKey(wall) {
    const day = Math.floor(wall / DAY_MS);
    return `${dayKey(day)}-${TWO_DIGITS[(wall - day * DAY_MS) / HOUR_MS]}:00`;
  },
  parse(key) {
    const m = HOURLY.exec(key);
    return m ? fromFields(m[1]!, m[2]!, m[3]!, m[4]!) : undefined;
  },
};

export function cadenceOf(cadence: Cadence): CadenceRules {
  return cadence === 'daily' ? daily : hourly;
}

const TWO_DIGITS = Array.from({ length: 32 }, (_, i) => String(i).padStart(2, '0'));
let lastDay = NaN;
let lastDayKey = '';

/**
 * `YYYY-MM-DD` of a day number (days since 1970-01-01), by integer arithmetic (H. Hinnant's
 * civil_from_days): listing 50,000 hourly keys must not cost 50,000 Date objects.
 */
function dayKey(days: number): string {
  if (days === lastDay) return lastDayKey;
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  lastDay = days;
  lastDayKey = `${String(y).padStart(4, '0')}-${TWO_DIGITS[m]}-${TWO_DIGITS[d]}`;
  return lastDayKey;
}

function mod(a: number, b: number): number {
  return ((a % b) + b) % b;
}
