import { SluiceError } from '../errors.js';
import { firstInstantAtOrAfterWall, isKnownTimezone } from '../time/zone-clock.js';
import { cadenceOf, type Cadence } from './cadence.js';

/**
 * A time-window partitioning: one partition per calendar day or wall-clock hour in `timezone`,
 * from `start` (the first key) on. `endOffset` moves the last partition: 0 ends at the last window
 * that has fully ended, 1 adds the window in progress, -1 drops the last complete one.
 */
export interface TimeWindowPartitionsDefinition {
  readonly kind: 'time-window';
  readonly cadence: Cadence;
  /** The first key: `YYYY-MM-DD` (daily) or `YYYY-MM-DD-HH:00` (hourly). */
  readonly start: string;
  /** An IANA zone; `UTC` by default. */
  readonly timezone: string;
  readonly endOffset: number;
}

/** A fixed list of keys (regions, tenants), in the order given. */
export interface StaticPartitionsDefinition {
  readonly kind: 'static';
  readonly keys: readonly string[];
}

export type PartitionsDefinition = TimeWindowPartitionsDefinition | StaticPartitionsDefinition;

export interface TimeWindowPartitionsSpec {
  start: string;
  timezone?: string;
  endOffset?: number;
}

/** One partition per calendar day of `timezone`, keys `YYYY-MM-DD`. Frozen; throws INVALID_PARTITIONS on bad input. */
export function dailyPartitions(spec: TimeWindowPartitionsSpec): TimeWindowPartitionsDefinition {
  return timeWindowPartitions('daily', spec, 'dailyPartitions');
}

/** One partition per wall-clock hour of `timezone`, keys `YYYY-MM-DD-HH:00`. Frozen; throws INVALID_PARTITIONS on bad input. */
export function hourlyPartitions(spec: TimeWindowPartitionsSpec): TimeWindowPartitionsDefinition {
  return timeWindowPartitions('hourly', spec, 'hourlyPartitions');
}

const STATIC_KEY = /^[A-Za-z0-9_.@:-]+$/;

/** A fixed list of partition keys, kept in the order given. Frozen; throws INVALID_PARTITIONS on bad keys. */
export function staticPartitions(keys: readonly string[]): StaticPartitionsDefinition {
  if (!Array.isArray(keys) || keys.length === 0) {
    throw invalid('staticPartitions: give a non-empty array of keys, e.g. staticPartitions([\'eu\', \'us\'])', {});
  }
  const seen = new Set<string>();
  for (const key of keys) {
    if (typeof key !== 'string' || !STATIC_KEY.test(key) || key.includes('...')) {
      throw invalid(
        `staticPartitions: invalid key ${JSON.stringify(key)}: use letters, digits, "_", ".", "@", ":" or "-" (and not "...", which separates ranges)`,
        { key },
      );
    }
    if (seen.has(key)) throw invalid(`staticPartitions: key "${key}" is listed twice`, { key });
    seen.add(key);
  }
  return Object.freeze({ kind: 'static' as const, keys: Object.freeze([...keys]) });
}

/**
 * Validates a definition that may have been written by hand (not through the factories) and
 * returns the frozen, normalized equivalent. Throws INVALID_PARTITIONS naming `where`.
 */
export function assertPartitionsDefinition(def: unknown, where: string): PartitionsDefinition {
  const d = def as Partial<TimeWindowPartitionsDefinition> & Partial<StaticPartitionsDefinition> & { kind?: unknown };
  if (d?.kind === 'static') return staticPartitions(d.keys as string[]);
  if (d?.kind === 'time-window' && (d.cadence === 'daily' || d.cadence === 'hourly')) {
    const spec: TimeWindowPartitionsSpec = { start: d.start as string };
    if (d.timezone !== undefined) spec.timezone = d.timezone;
    if (d.endOffset !== undefined) spec.endOffset = d.endOffset;
    return timeWindowPartitions(d.cadence, spec, where);
  }
  throw invalid(`${where}: not a partitions definition; use dailyPartitions(), hourlyPartitions() or staticPartitions()`, {});
}

function timeWindowPartitions(cadence: Cadence, spec: TimeWindowPartitionsSpec, where: string): TimeWindowPartitionsDefinition {
  const c = cadenceOf(cadence);
  const timezone = spec?.timezone ?? 'UTC';
  if (typeof timezone !== 'string' || !isKnownTimezone(timezone)) {
    throw invalid(`${where}: unknown timezone ${JSON.stringify(timezone)}; use an IANA name such as "Europe/London" or "UTC"`, { timezone });
  }
  const start = spec?.start;
  if (typeof start !== 'string' || c.parse(start) === undefined) {
    throw invalid(`${where}: invalid start ${JSON.stringify(start)}; expected ${c.format} (e.g. "${c.example}")`, { start });
  }
  const wall = c.parse(start)!;
  if (firstInstantAtOrAfterWall(timezone, wall) === firstInstantAtOrAfterWall(timezone, wall + c.stepMs)) {
    throw invalid(`${where}: start "${start}" never happens in ${timezone} (the clocks skip it); start at the next ${cadence === 'daily' ? 'day' : 'hour'}`, { start });
  }
  const endOffset = spec.endOffset ?? 0;
  if (!Number.isSafeInteger(endOffset)) {
    throw invalid(`${where}: endOffset must be an integer number of windows (1 includes the window in progress), got ${String(endOffset)}`, {
      endOffset,
    });
  }
  return Object.freeze({ kind: 'time-window' as const, cadence, start, timezone: canonicalZone(timezone), endOffset });
}

/** `utc` -> `UTC`, `europe/london` -> `Europe/London`, so equal zones compare equal. */
function canonicalZone(timezone: string): string {
  return new Intl.DateTimeFormat('en-US', { timeZone: timezone }).resolvedOptions().timeZone;
}

function invalid(message: string, data: Record<string, unknown>): SluiceError {
  return new SluiceError('INVALID_PARTITIONS', message, data);
}
