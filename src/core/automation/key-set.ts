import { RANGE_SEPARATOR } from '../partitions/partition-range.js';
import { PartitionSet, PartitionUniverse } from './partition-set.js';

/**
 * A set of partition keys as an evaluation tree keeps it (PartitionSet.compact): the keys in
 * partition order, with each run of two or more consecutive time-window keys written `from...to`.
 */
export function compactKeys(order: readonly string[], set: ReadonlySet<string>, timeWindow: boolean): readonly string[] {
  return PartitionSet.of(new PartitionUniverse(order, timeWindow), set).compact();
}

/** Whether `key` is in a set written by compactKeys (time-window keys sort lexically in time order). */
export function keySetHas(keys: readonly string[], key: string): boolean {
  return keys.some((entry) => {
    const at = entry.indexOf(RANGE_SEPARATOR);
    if (at < 0) return entry === key;
    return entry.slice(0, at) <= key && key <= entry.slice(at + RANGE_SEPARATOR.length);
  });
}
