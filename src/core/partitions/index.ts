/** Partitions: pure definitions, key arithmetic and dependency mappings. No clock: `now` is an argument. */
export {
  assertPartitionsDefinition,
  dailyPartitions,
  hourlyPartitions,
  staticPartitions,
  type PartitionsDefinition,
  type StaticPartitionsDefinition,
  type TimeWindowPartitionsDefinition,
  type TimeWindowPartitionsSpec,
} from './partitions-definition.js';
export type { Cadence } from './cadence.js';
export {
  firstPartitionKey,
  hasPartitionKey,
  lastPartitionKey,
  partitionKeyForInstant,
  partitionKeys,
  partitionTimeWindow,
  shiftPartitionKey,
} from './partition-keys.js';
export { assertPartitionKey, partitionKeyRange } from './assert-partition-key.js';
export { formatPartitionRange, parsePartitionRange, RANGE_SEPARATOR } from './partition-range.js';
export { describePartitions, sameDefinition } from './describe-partitions.js';
export {
  allPartitionsMapping,
  assertPartitionMapping,
  defaultPartitionMapping,
  describePartitionMapping,
  identityPartitionMapping,
  timeWindowPartitionMapping,
  type PartitionMapping,
} from './partition-mapping.js';
export { upstreamPartitionKeys } from './upstream-partition-keys.js';
