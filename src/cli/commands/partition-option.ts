import { SluiceError } from '../../core/errors.js';
import { parsePartitionRange, RANGE_SEPARATOR } from '../../core/partitions/partition-range.js';

/**
 * `--partition KEY` or `--partition-range FROM...TO` (not both) as the launch's partition, with the
 * flag it came from for error messages; undefined when neither is given.
 */
export function partitionOption(opts: { partition?: string; partitionRange?: string }): { partition: string; source: string } | undefined {
  if (opts.partition !== undefined && opts.partitionRange !== undefined) {
    throw new SluiceError('INVALID_FLAG', '--partition and --partition-range are mutually exclusive: give one key, or one range FROM...TO', { flag: '--partition-range' });
  }
  if (opts.partition !== undefined) {
    if (opts.partition.includes(RANGE_SEPARATOR)) {
      throw new SluiceError('INVALID_FLAG', `--partition "${opts.partition}" is a range; pass it as --partition-range ${opts.partition}`, { flag: '--partition', value: opts.partition });
    }
    return { partition: opts.partition, source: '--partition' };
  }
  if (opts.partitionRange === undefined) return undefined;
  const range = parsePartitionRange(opts.partitionRange);
  if (!range || range.from === '' || range.to === '') {
    throw new SluiceError(
      'INVALID_FLAG',
      `--partition-range "${opts.partitionRange}" is not a range: write FROM${RANGE_SEPARATOR}TO (e.g. 2024-10-01${RANGE_SEPARATOR}2024-10-07), or use --partition for one key`,
      { flag: '--partition-range', value: opts.partitionRange },
    );
  }
  return { partition: opts.partitionRange, source: '--partition-range' };
}
