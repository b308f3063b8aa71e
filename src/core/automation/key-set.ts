import { RANGE_SEPARATOR } from '../partitions/partition-range.js';

/**
 * A set of partition keys as an evaluation tree keeps it: the keys in partition order, with each
 * run of two or more consecutive time-window keys written `from...to` (a two-year daily asset's
 * 731 keys are one entry). Time-window keys sort lexically in time order, so a range's membership
 * is a string comparison; static keys are listed one by one.
 */
export function compactKeys(order: readonly string[], set: ReadonlySet<string>, timeWindow: boolean): string[] {
  if (set.size === 0) return [];
  // Every key of the asset (the common case of a stateful node's operands): one range.
  if (timeWindow && set === fullSets.get(order)) return order.length === 1 ? [order[0]!] : [`${order[0]}${RANGE_SEPARATOR}${order.at(-1)}`];
  const index = indexOf(order);
  const known: number[] = [];
  const unknown: string[] = [];
  for (const key of set) {
    const i = index.get(key);
    if (i === undefined) unknown.push(key);
    else known.push(i);
  }
  known.sort((a, b) => a - b);
  const out: string[] = [];
  for (let i = 0; i < known.length; ) {
    let j = i;
    if (timeWindow) while (j + 1 < known.length && known[j + 1] === known[j]! + 1) j++;
    out.push(i === j ? order[known[i]!]! : `${order[known[i]!]}${RANGE_SEPARATOR}${order[known[j]!]}`);
    i = j + 1;
  }
  // Keys outside the asset's partitions at `now` (a mapping reaching past them): listed after, sorted.
  return unknown.length > 0 ? [...out, ...unknown.sort()] : out;
}

const indexes = new WeakMap<readonly string[], Map<string, number>>();
const fullSets = new WeakMap<readonly string[], ReadonlySet<string>>();

/** The set of every key of `order`, one object per array (memoized), which compactKeys recognizes at once. Never mutate it. */
export function fullSet(order: readonly string[]): ReadonlySet<string> {
  let set = fullSets.get(order);
  if (!set) fullSets.set(order, (set = new Set(order)));
  return set;
}

/** Each key's position in `order`, memoized per array (an evaluation memoizes each asset's keys). */
function indexOf(order: readonly string[]): Map<string, number> {
  let index = indexes.get(order);
  if (!index) indexes.set(order, (index = new Map(order.map((k, i) => [k, i]))));
  return index;
}

/** Whether `key` is in a set written by compactKeys. */
export function keySetHas(keys: readonly string[], key: string): boolean {
  return keys.some((entry) => {
    const at = entry.indexOf(RANGE_SEPARATOR);
    if (at < 0) return entry === key;
    return entry.slice(0, at) <= key && key <= entry.slice(at + RANGE_SEPARATOR.length);
  });
}
