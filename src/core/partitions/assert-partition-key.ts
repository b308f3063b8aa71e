import { SluiceError } from '../errors.js';
import { didYouMean, suggest } from '../suggest.js';
import { describePartitions } from './describe-partitions.js';
import { firstPartitionKey, lastPartitionKey, partitionKeyProblem, staticIndex } from './partition-keys.js';
import type { PartitionsDefinition } from './partitions-definition.js';
import { formatPartitionRange } from './partition-range.js';
import { calendarOf } from './time-window-calendar.js';

/**
 * Throws INVALID_PARTITION unless `key` is a partition of `def` at `now`. The message starts with
 * `where` (e.g. `--partition`), names `asset` when given, says why, and lists what is valid: the
 * format and first/last key, or the static keys.
 */
export function assertPartitionKey(def: PartitionsDefinition, key: string, now: Date, where: string, asset?: string): void {
  const problem = partitionKeyProblem(def, key, now);
  if (problem === undefined) return;
  const hint = def.kind === 'static' ? didYouMean(suggest(String(key), def.keys)) : '';
  throw new SluiceError(
    'INVALID_PARTITION',
    `${where}: ${JSON.stringify(key)} is not a partition${asset ? ` of ${asset}` : ''} (${problem})${hint}; ${validKeys(def, now)}`,
    { where, asset, key, partitions: describePartitions(def), first: firstPartitionKey(def, now), last: lastPartitionKey(def, now) },
  );
}

/**
 * The keys from `from` to `to` inclusive, oldest first. Both must be partitions at `now` and `from`
 * must not come after `to`; throws INVALID_PARTITION otherwise.
 */
export function partitionKeyRange(def: PartitionsDefinition, from: string, to: string, now: Date, where: string, asset?: string): string[] {
  assertPartitionKey(def, from, now, where, asset);
  assertPartitionKey(def, to, now, where, asset);
  if (def.kind === 'static') {
    const index = staticIndex(def);
    const [i, j] = [index.get(from)!, index.get(to)!];
    if (i > j) throw backwards(def, from, to, where, asset);
    return def.keys.slice(i, j + 1);
  }
  const cal = calendarOf(def);
  const [a, b] = [cal.rules.parse(from)!, cal.rules.parse(to)!];
  if (a > b) throw backwards(def, from, to, where, asset);
  return cal.keys(a, b);
}

function backwards(def: PartitionsDefinition, from: string, to: string, where: string, asset: string | undefined): SluiceError {
  return new SluiceError(
    'INVALID_PARTITION',
    `${where}: the range ${formatPartitionRange(from, to)}${asset ? ` of ${asset}` : ''} is backwards: "${from}" comes after "${to}"; write it oldest first: ${formatPartitionRange(to, from)}`,
    { where, asset, from, to, partitions: describePartitions(def) },
  );
}

/** `daily from 2024-10-01 (Europe/London); keys look like YYYY-MM-DD; first 2024-10-01, last 2026-11-21`. */
function validKeys(def: PartitionsDefinition, now: Date): string {
  if (def.kind === 'static') return `valid keys: ${describePartitions(def).slice('static: '.length)}`;
  const rules = calendarOf(def).rules;
  const last = lastPartitionKey(def, now);
  const span = last === undefined ? `no partition yet: the first window, ${def.start}, has not ended` : `first ${def.start}, last ${last}`;
  return `partitions are ${describePartitions(def)}, keys like ${rules.format}; ${span}`;
}
