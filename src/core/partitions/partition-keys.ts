import { SluiceError } from '../errors.js';
import type { PartitionsDefinition, StaticPartitionsDefinition, TimeWindowPartitionsDefinition } from './partitions-definition.js';
import { describePartitions } from './describe-partitions.js';
import { calendarOf } from './time-window-calendar.js';

/**
 * Every partition key at `now`, oldest first. Time windows: from `start` through the last window
 * that has fully ended at `now`, moved by `endOffset` windows (1 adds the one in progress).
 * Static: the keys as given.
 */
export function partitionKeys(def: PartitionsDefinition, now: Date): string[] {
  if (def.kind === 'static') return [...def.keys];
  const cal = calendarOf(def);
  return cal.keys(cal.startWall, cal.lastWall(now.getTime()));
}

/** The newest key at `now`, or undefined when no window has ended yet. */
export function lastPartitionKey(def: PartitionsDefinition, now: Date): string | undefined {
  if (def.kind === 'static') return def.keys[def.keys.length - 1];
  const cal = calendarOf(def);
  const last = cal.lastWall(now.getTime());
  return last >= cal.startWall ? cal.rules.toKey(last) : undefined;
}

/** The oldest key, or undefined when there is none at `now`. */
export function firstPartitionKey(def: PartitionsDefinition, now: Date): string | undefined {
  if (def.kind === 'static') return def.keys[0];
  return lastPartitionKey(def, now) === undefined ? undefined : def.start;
}

/** True when `key` is one of partitionKeys(def, now), without listing them. */
export function hasPartitionKey(def: PartitionsDefinition, key: string, now: Date): boolean {
  return partitionKeyProblem(def, key, now) === undefined;
}

/**
 * Why `key` is not a partition at `now` (a clause for messages), or undefined when it is one.
 * Shared by hasPartitionKey and assertPartitionKey so they cannot disagree.
 */
export function partitionKeyProblem(def: PartitionsDefinition, key: string, now: Date): string | undefined {
  if (typeof key !== 'string') return 'not a string';
  if (def.kind === 'static') return staticIndex(def).has(key) ? undefined : 'not one of the static keys';
  const cal = calendarOf(def);
  const wall = cal.rules.parse(key);
  if (wall === undefined) return `malformed: expected ${cal.rules.format}`;
  if (wall < cal.startWall) return 'before the first partition';
  if (wall > cal.lastWall(now.getTime())) return 'not there yet: its window has not ended';
  if (!cal.exists(wall)) return `that hour does not happen in ${def.timezone} (the clocks skip it)`;
  return undefined;
}

/** The window a time-window key covers, [start, end). Throws INVALID_PARTITION for static definitions and non-keys. */
export function partitionTimeWindow(def: PartitionsDefinition, key: string): { start: Date; end: Date } {
  const cal = calendarOf(timeWindowOnly(def, 'partitionTimeWindow'));
  const wall = cal.rules.parse(key);
  if (wall === undefined || wall < cal.startWall || !cal.exists(wall)) {
    throw new SluiceError('INVALID_PARTITION', `partitionTimeWindow: "${key}" is not a partition of ${describePartitions(def)}`, {
      key,
    });
  }
  const { start, end } = cal.window(wall);
  return { start: new Date(start), end: new Date(end) };
}

/** The key of the window holding `instant` (time-window only), or undefined before the first window. */
export function partitionKeyForInstant(def: PartitionsDefinition, instant: Date): string | undefined {
  const cal = calendarOf(timeWindowOnly(def, 'partitionKeyForInstant'));
  const wall = cal.containing(instant.getTime());
  return wall >= cal.startWall ? cal.rules.toKey(wall) : undefined;
}

/**
 * The key `windows` partitions after `key` (-1: the previous day or hour), or undefined when that
 * falls before the first partition (or, for static keys, outside the list). No upper bound: the
 * result may be a window that has not ended yet.
 */
export function shiftPartitionKey(def: PartitionsDefinition, key: string, windows: number): string | undefined {
  if (!Number.isSafeInteger(windows)) throw new SluiceError('INVALID_PARTITION', `shiftPartitionKey: windows must be an integer, got ${windows}`, {});
  if (def.kind === 'static') {
    const i = staticIndex(def).get(key);
    return i === undefined ? undefined : def.keys[i + windows];
  }
  const cal = calendarOf(def);
  const wall = cal.rules.parse(key);
  if (wall === undefined || wall < cal.startWall || !cal.exists(wall)) return undefined;
  const shifted = cal.shift(wall, windows);
  return shifted >= cal.startWall ? cal.rules.toKey(shifted) : undefined;
}

const indexes = new WeakMap<StaticPartitionsDefinition, ReadonlyMap<string, number>>();

/** Key -> position, memoized per frozen definition. */
export function staticIndex(def: StaticPartitionsDefinition): ReadonlyMap<string, number> {
  let index = indexes.get(def);
  if (!index) indexes.set(def, (index = new Map(def.keys.map((k, i) => [k, i]))));
  return index;
}

function timeWindowOnly(def: PartitionsDefinition, fn: string): TimeWindowPartitionsDefinition {
  if (def.kind !== 'time-window') {
    throw new SluiceError('INVALID_PARTITION', `${fn}: static partitions have no time windows; only daily and hourly partitions do`, {});
  }
  return def;
}
