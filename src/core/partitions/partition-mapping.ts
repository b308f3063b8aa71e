import { SluiceError } from '../errors.js';
import type { PartitionsDefinition } from './partitions-definition.js';

/**
 * How a downstream partition depends on an upstream asset's partitions: the same key (`identity`),
 * the upstream windows overlapping the downstream window moved by offsets (`time-window`), or every
 * upstream partition (`all`).
 */
export type PartitionMapping =
  | { readonly kind: 'identity' }
  | { readonly kind: 'time-window'; readonly startOffset: number; readonly endOffset: number }
  | { readonly kind: 'all' };

const IDENTITY: PartitionMapping = Object.freeze({ kind: 'identity' as const });
const ALL: PartitionMapping = Object.freeze({ kind: 'all' as const });

/** Downstream partition K reads upstream partition K. The default between two partitioned assets. */
export function identityPartitionMapping(): PartitionMapping {
  return IDENTITY;
}

/**
 * Downstream window K reads the upstream windows overlapping K's window moved by the offsets, in
 * windows of the downstream cadence: `{ startOffset: -1, endOffset: -1 }` is the previous day,
 * `{ startOffset: -6, endOffset: 0 }` the trailing week. Throws INVALID_DEFINITION on non-integers
 * or startOffset > endOffset.
 */
export function timeWindowPartitionMapping(spec: { startOffset?: number; endOffset?: number } = {}): PartitionMapping {
  const startOffset = spec.startOffset ?? 0;
  const endOffset = spec.endOffset ?? 0;
  if (!Number.isSafeInteger(startOffset) || !Number.isSafeInteger(endOffset) || startOffset > endOffset) {
    throw new SluiceError(
      'INVALID_DEFINITION',
      `timeWindowPartitionMapping: startOffset and endOffset must be integers with startOffset <= endOffset, got ${String(startOffset)} and ${String(endOffset)} (previous window: { startOffset: -1, endOffset: -1 })`,
      { startOffset, endOffset },
    );
  }
  return Object.freeze({ kind: 'time-window' as const, startOffset, endOffset });
}

/** Every downstream partition (or the unpartitioned downstream) reads every upstream partition. */
export function allPartitionsMapping(): PartitionMapping {
  return ALL;
}

/** Identity between two partitioned assets; otherwise all (an unpartitioned side has nothing to match). */
export function defaultPartitionMapping(downstream: PartitionsDefinition | undefined, upstream: PartitionsDefinition | undefined): PartitionMapping {
  return downstream !== undefined && upstream !== undefined ? IDENTITY : ALL;
}

/** Validates a mapping that may have been written by hand; returns the frozen equivalent. Throws INVALID_DEFINITION naming `where`. */
export function assertPartitionMapping(mapping: unknown, where: string): PartitionMapping {
  const m = mapping as { kind?: unknown; startOffset?: number; endOffset?: number } | undefined;
  if (m?.kind === 'identity') return IDENTITY;
  if (m?.kind === 'all') return ALL;
  if (m?.kind === 'time-window') {
    try {
      return timeWindowPartitionMapping({ startOffset: m.startOffset ?? 0, endOffset: m.endOffset ?? 0 });
    } catch (error) {
      throw new SluiceError('INVALID_DEFINITION', `${where}: ${(error as Error).message}`, {}, { cause: error });
    }
  }
  throw new SluiceError(
    'INVALID_DEFINITION',
    `${where}: not a partition mapping; use identityPartitionMapping(), timeWindowPartitionMapping() or allPartitionsMapping()`,
    {},
  );
}

/** For messages: `identity`, `time-window (startOffset -1, endOffset -1)`, `all`. */
export function describePartitionMapping(mapping: PartitionMapping): string {
  return mapping.kind === 'time-window' ? `time-window (startOffset ${mapping.startOffset}, endOffset ${mapping.endOffset})` : mapping.kind;
}
