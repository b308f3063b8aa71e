import type { AnyAssetDefinition } from '../core/asset/asset-definition.js';
import { partitionTimeWindow } from '../core/partitions/partition-keys.js';
import { parsePartitionRange } from '../core/partitions/partition-range.js';

/** The partition fields of a step's context. */
export interface StepPartition {
  readonly partitionKey: string | undefined;
  readonly partitionKeyRange: { readonly from: string; readonly to: string } | undefined;
  readonly partitionTimeWindow: { readonly start: Date; readonly end: Date } | undefined;
}

const NONE: StepPartition = Object.freeze({ partitionKey: undefined, partitionKeyRange: undefined, partitionTimeWindow: undefined });

/**
 * What a step of `asset` sees of its run's partition (a key, or `from...to`): nothing when the
 * asset is unpartitioned (it runs once, whole, in a partitioned run); the key, or the range, and for
 * time-window partitions the [start, end) the key or the whole range covers. The run's partition
 * was validated against the asset's definition at launch.
 */
export function stepPartition(asset: AnyAssetDefinition | undefined, runPartition: string | null): StepPartition {
  const def = asset?.partitions;
  if (!def || runPartition === null) return NONE;
  const range = parsePartitionRange(runPartition);
  const [from, to] = range ? [range.from, range.to] : [runPartition, runPartition];
  const partitionTimeWindow_ =
    def.kind === 'time-window' ? Object.freeze({ start: partitionTimeWindow(def, from).start, end: partitionTimeWindow(def, to).end }) : undefined;
  return Object.freeze({
    partitionKey: range ? undefined : runPartition,
    partitionKeyRange: range ? Object.freeze({ from, to }) : undefined,
    partitionTimeWindow: partitionTimeWindow_,
  });
}
