import type { AssetKey } from '../core/asset/asset-key.js';
import { SluiceError } from '../core/errors.js';
import type { AssetGraph } from '../core/graph/asset-graph.js';
import { describePartitions } from '../core/partitions/describe-partitions.js';
import { partitionKeys } from '../core/partitions/partition-keys.js';
import { partitionStatuses, type PartitionState } from '../core/staleness/asset-status.js';
import { UnknownAssetError } from '../core/graph/unknown-asset-error.js';
import type { Instance } from '../storage/instance.js';

/** Where one partition stands: running wins over what it was before (a lock is held on it now). */
export type PartitionStatus = 'materialized' | 'failed' | 'missing' | 'running';

export interface PartitionView {
  readonly key: string;
  readonly status: PartitionStatus;
  /** Materialized but out of date (code version changed, or an upstream materialized after it or stale). */
  readonly stale: boolean;
  readonly staleReason: string | null;
  /** The run of the last final outcome, or the run holding the lock when running. */
  readonly runId: string | null;
  /** When that outcome was recorded (when the lock was taken, when running). */
  readonly at: string | null;
  readonly materializedAt: string | null;
}

export interface AssetPartitionsView {
  readonly asset: AssetKey;
  /** `daily from 2024-10-01 (UTC)`. */
  readonly partitionsDefinition: string;
  readonly counts: Readonly<Record<PartitionStatus, number>>;
  readonly stale: number;
  /** Every partition key up to now, newest first. */
  readonly partitions: readonly PartitionView[];
}


/**
 * Every partition of `asset` up to `now`, newest first: its stored state (materialized, failed),
 * missing when none, running while an asset lock is held on it; materialized ones carry the
 * staleness rule of assetStatuses. Throws UnknownAssetError, or UNPARTITIONED_ASSET.
 */
export async function loadAssetPartitions(instance: Instance, graph: AssetGraph, asset: AssetKey, now: Date): Promise<AssetPartitionsView> {
  if (!graph.has(asset)) throw new UnknownAssetError(asset, graph.keys());
  const def = graph.get(asset).partitions;
  if (!def) {
    throw new SluiceError('UNPARTITIONED_ASSET', `asset "${asset}" is not partitioned; \`sluice assets show ${asset}\` shows its materializations`, { key: asset });
  }
  // Every ancestor's states: staleness flows down from any of them.
  const [rows, locks] = await Promise.all([instance.eventLog.assetPartitions([...graph.upstream([asset])]), instance.coordination.listAssetLocks()]);
  const states = new Map<AssetKey, PartitionState[]>();
  for (const row of rows) {
    let list = states.get(row.assetKey);
    if (!list) states.set(row.assetKey, (list = []));
    list.push(row);
  }
  const own = new Map(rows.filter((r) => r.assetKey === asset).map((r) => [r.partitionKey, r]));
  const running = new Map(locks.filter((l) => l.assetKey === asset).map((l) => [l.partitionKey, l]));
  const statuses = partitionStatuses(graph, states, now, asset);
  const counts: Record<PartitionStatus, number> = { materialized: 0, failed: 0, missing: 0, running: 0 };
  let staleCount = 0;
  const partitions = partitionKeys(def, now)
    .reverse()
    .map((key): PartitionView => {
      const row = own.get(key);
      const lock = running.get(key);
      const derived = statuses.get(key);
      const stale = derived?.status === 'stale';
      const status: PartitionStatus = lock ? 'running' : !row ? 'missing' : row.status === 'FAILED' ? 'failed' : 'materialized';
      counts[status]++;
      if (stale) staleCount++;
      return {
        key,
        status,
        stale,
        staleReason: stale ? (derived?.reason ?? null) : null,
        runId: lock?.runId ?? row?.runId ?? null,
        at: (lock?.acquiredAt ?? row?.updatedAt)?.toISOString() ?? null,
        materializedAt: row?.materializedAt?.toISOString() ?? null,
      };
    });
  return { asset, partitionsDefinition: describePartitions(def), counts, stale: staleCount, partitions };
}
