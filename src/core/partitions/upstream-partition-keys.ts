import { SluiceError } from '../errors.js';
import { defaultPartitionMapping, type PartitionMapping } from './partition-mapping.js';
import { partitionKeys, staticIndex } from './partition-keys.js';
import type { PartitionsDefinition } from './partitions-definition.js';
import { calendarOf } from './time-window-calendar.js';

/**
 * The upstream partition keys that downstream partition `downstreamKey` depends on, oldest first.
 * An unpartitioned upstream yields `['']` (its one, unkeyed materialization). An unpartitioned
 * downstream (no definition or no key) reads every upstream partition up to `now`. Keys falling
 * before the upstream's first partition are dropped; later ones are kept even when their window
 * has not ended, so callers can tell "not materialized yet" from "no such dependency".
 * Throws INVALID_PARTITION_MAPPING when the mapping cannot relate the two definitions.
 */
export function upstreamPartitionKeys(
  mapping: PartitionMapping | undefined,
  downstream: PartitionsDefinition | undefined,
  downstreamKey: string | undefined,
  upstream: PartitionsDefinition | undefined,
  now: Date,
): string[] {
  if (upstream === undefined) return [''];
  if (downstream === undefined || downstreamKey === undefined) return partitionKeys(upstream, now);
  const m = mapping ?? defaultPartitionMapping(downstream, upstream);
  switch (m.kind) {
    case 'all':
      return partitionKeys(upstream, now);
    case 'identity':
      return isUpstreamKey(upstream, downstreamKey) ? [downstreamKey] : [];
    case 'time-window':
      return overlappingKeys(m, downstream, downstreamKey, upstream);
  }
}

/** A key of `def` regardless of `now` (at or after the start, a window that happens). */
function isUpstreamKey(def: PartitionsDefinition, key: string): boolean {
  if (def.kind === 'static') return staticIndex(def).has(key);
  const cal = calendarOf(def);
  const wall = cal.rules.parse(key);
  return wall !== undefined && wall >= cal.startWall && cal.exists(wall);
}

function overlappingKeys(
  m: Extract<PartitionMapping, { kind: 'time-window' }>,
  downstream: PartitionsDefinition,
  key: string,
  upstream: PartitionsDefinition,
): string[] {
  if (downstream.kind !== 'time-window' || upstream.kind !== 'time-window') {
    throw new SluiceError(
      'INVALID_PARTITION_MAPPING',
      'a time-window partition mapping needs daily or hourly partitions on both assets; use allPartitionsMapping() with static partitions',
      {},
    );
  }
  const down = calendarOf(downstream);
  const wall = down.rules.parse(key);
  if (wall === undefined) {
    throw new SluiceError('INVALID_PARTITION', `"${key}" is not a ${downstream.cadence} partition key (expected ${down.rules.format})`, { key });
  }
  // The downstream window moved by the offsets, in downstream windows; may reach before its start.
  const from = down.window(down.shift(wall, m.startOffset)).start;
  const to = down.window(down.shift(wall, m.endOffset)).end;
  if (to <= from) return [];
  const up = calendarOf(upstream);
  const first = Math.max(up.containing(from), up.startWall);
  const last = up.containing(to - 1);
  return first > last ? [] : up.keys(first, last);
}
