import type { AssetKey } from '../asset/asset-key.js';
import { SluiceError } from '../errors.js';
import type { AssetGraph } from '../graph/asset-graph.js';
import { assertPartitionKey, partitionKeyRange } from '../partitions/assert-partition-key.js';
import { describePartitions, sameDefinition } from '../partitions/describe-partitions.js';
import { lastPartitionKey } from '../partitions/partition-keys.js';
import { formatPartitionRange, parsePartitionRange } from '../partitions/partition-range.js';
import type { PartitionsDefinition } from '../partitions/partitions-definition.js';
import type { ExecutionPlan } from './execution-plan.js';
import { PARTITION_RANGE_END_TAG, PARTITION_RANGE_START_TAG, PARTITION_TAG } from '../run/system-tags.js';


/** What a run materializes of its partitioned assets. */
export interface RunPartitions {
  /** A key, or `from...to`; null when the run is unpartitioned. */
  readonly partition: string | null;
  /** The keys of the partition or range, oldest first (empty when unpartitioned). */
  readonly keys: readonly string[];
  /** The partitions shared by the selection's partitioned assets (undefined when none is partitioned). */
  readonly definition: PartitionsDefinition | undefined;
  readonly tags: Readonly<Record<string, string>>;
}

/**
 * Checks a run's partition against its selection and expands it: every partitioned asset selected
 * must share one partitions definition (Dagster's rule: one run, one partition space), a partition
 * (key, or `from...to`) is required when any is partitioned and refused when none is, and it must
 * be a partition at `now`. Unpartitioned assets in the selection run once, unpartitioned, next to
 * the partitioned ones (the daily pipeline's dbt models downstream of the day's ingest).
 */
export function resolveRunPartitions(
  graph: AssetGraph,
  keys: ReadonlySet<AssetKey>,
  partition: string | undefined,
  now: Date,
  where = '--partition',
): RunPartitions {
  let definition: PartitionsDefinition | undefined;
  let owner: AssetKey | undefined;
  for (const key of graph.order) {
    const def = keys.has(key) ? graph.get(key).partitions : undefined;
    if (!def) continue;
    if (!definition) [definition, owner] = [def, key];
    else if (!sameDefinition(definition, def)) {
      throw new SluiceError(
        'MIXED_PARTITIONS',
        `the selection mixes partitions: ${owner} is ${describePartitions(definition)} but ${key} is ${describePartitions(def)}; one run materializes one partition space, so select them in separate runs`,
        { assets: [owner, key] },
      );
    }
  }
  if (!definition) {
    if (partition !== undefined) {
      throw new SluiceError('UNPARTITIONED_SELECTION', `${where} "${partition}" given, but no selected asset is partitioned; drop ${where}`, { partition });
    }
    return { partition: null, keys: [], definition: undefined, tags: {} };
  }
  if (partition === undefined) {
    const last = lastPartitionKey(definition, now);
    throw new SluiceError(
      'PARTITION_REQUIRED',
      `${owner} is partitioned (${describePartitions(definition)}): pass --partition KEY${last ? ` (latest: ${last})` : ''} or --partition-range FROM...TO, or start a backfill with \`sluice backfill\``,
      { asset: owner, partitions: describePartitions(definition), last },
    );
  }
  const range = parsePartitionRange(partition);
  if (range) {
    const rangeKeys = partitionKeyRange(definition, range.from, range.to, now, where, owner);
    const text = formatPartitionRange(range.from, range.to);
    return { partition: text, keys: rangeKeys, definition, tags: partitionTags(text) };
  }
  assertPartitionKey(definition, partition, now, where, owner);
  return { partition, keys: [partition], definition, tags: partitionTags(partition) };
}

/** The tags of a run of `partition` (a key, or `from...to`). */
export function partitionTags(partition: string): Record<string, string> {
  const range = parsePartitionRange(partition);
  return range ? { [PARTITION_RANGE_START_TAG]: range.from, [PARTITION_RANGE_END_TAG]: range.to } : { [PARTITION_TAG]: partition };
}

/** The plan with each step of a partitioned asset (and its checks) given the run's partition keys. */
export function partitionPlan(graph: AssetGraph, plan: ExecutionPlan, partitions: RunPartitions): ExecutionPlan {
  if (partitions.keys.length === 0) return plan;
  const keys = Object.freeze([...partitions.keys]);
  return Object.freeze({
    steps: Object.freeze(plan.steps.map((step) => (graph.get(step.assetKey).partitions ? Object.freeze({ ...step, partitions: keys }) : step))),
  });
}
