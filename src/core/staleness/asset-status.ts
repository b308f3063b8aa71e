import type { AssetKey } from '../asset/asset-key.js';
import type { AssetGraph } from '../graph/asset-graph.js';
import { lastPartitionKey, partitionKeys } from '../partitions/partition-keys.js';
import type { PartitionsDefinition } from '../partitions/partitions-definition.js';
import { upstreamPartitionKeys } from '../partitions/upstream-partition-keys.js';

/** Where an asset (or one partition of it) stands against its code and its upstream. */
export type AssetStatus = 'fresh' | 'stale' | 'failed' | 'missing';
export const ASSET_STATUSES: readonly AssetStatus[] = Object.freeze(['fresh', 'stale', 'failed', 'missing']);

/** The stored state of one (asset, partition): '' when the asset is unpartitioned. */
export interface PartitionState {
  readonly partitionKey: string;
  readonly status: 'MATERIALIZED' | 'FAILED';
  readonly materializedAt: Date | null;
  readonly codeVersion: string | null;
}

export interface AssetStatusView {
  readonly status: AssetStatus;
  /** Why it is stale, failed or missing, in words (the first reason found). */
  readonly reason: string | null;
  /** Partitioned assets: how many partitions (up to now) are in each status. */
  readonly partitions: Readonly<Record<AssetStatus, number>> | null;
}

/**
 * Statuses of every asset of the graph from the stored partition states (pure: `now` bounds the
 * partition keys). A partition (or an unpartitioned asset) is:
 *   missing  never materialized;
 *   failed   its latest final outcome failed;
 *   stale    its asset's code version differs from the one it was materialized with, or an
 *            upstream partition it depends on (through the edge's partition mapping; every partition
 *            of a partitioned upstream for an unpartitioned asset) was materialized after it or is
 *            itself stale (so `status:stale` selects the whole out-of-date subtree at once);
 *   fresh    otherwise.
 * A partitioned asset is failed when any partition is, else stale when any materialized one is,
 * else missing when its latest partition is, else fresh.
 */
export function assetStatuses(graph: AssetGraph, states: ReadonlyMap<AssetKey, readonly PartitionState[]>, now: Date): Map<AssetKey, AssetStatusView> {
  const { byKey, partitionStatus } = statusReader(graph, states, now);
  const out = new Map<AssetKey, AssetStatusView>();
  for (const asset of graph.order) {
    const def = graph.get(asset).partitions;
    if (!def) {
      out.set(asset, { ...partitionStatus(asset, undefined), partitions: null });
      continue;
    }
    const counts: Record<AssetStatus, number> = { fresh: 0, stale: 0, failed: 0, missing: 0 };
    const rows = byKey.get(asset) ?? new Map<string, PartitionState>();
    let failed: string | null = null;
    let stale: string | null = null;
    for (const key of rows.keys()) {
      const { status, reason } = partitionStatus(asset, key);
      counts[status]++;
      if (status === 'failed') failed ??= reason;
      if (status === 'stale') stale ??= reason;
    }
    // Partitions never written are missing: every key up to now that has no row.
    const last = lastPartitionKey(def, now);
    const total = countKeys(def, now);
    counts.missing += Math.max(0, total - rows.size);
    const view = failed
      ? { status: 'failed' as const, reason: failed }
      : stale
        ? { status: 'stale' as const, reason: stale }
        : last === undefined || !rows.get(last)?.materializedAt
          ? { status: 'missing' as const, reason: last === undefined ? 'no partitions yet' : `latest partition ${last} never materialized` }
          : { status: 'fresh' as const, reason: null };
    out.set(asset, { ...view, partitions: counts });
  }
  return out;
}

/**
 * The status of each stored partition of one asset (the rule of assetStatuses), for the partitions
 * table of `sluice assets partitions`. Partitions without a stored state are absent (missing).
 */
export function partitionStatuses(
  graph: AssetGraph,
  states: ReadonlyMap<AssetKey, readonly PartitionState[]>,
  now: Date,
  asset: AssetKey,
): Map<string, { status: AssetStatus; reason: string | null }> {
  const { byKey, partitionStatus } = statusReader(graph, states, now);
  const out = new Map<string, { status: AssetStatus; reason: string | null }>();
  for (const key of byKey.get(asset)?.keys() ?? []) out.set(key, partitionStatus(asset, key));
  return out;
}

/** Indexes the stored states and returns the per-partition rule shared by assetStatuses and partitionStatuses. */
function statusReader(graph: AssetGraph, states: ReadonlyMap<AssetKey, readonly PartitionState[]>, now: Date) {
  const byKey = new Map<AssetKey, Map<string, PartitionState>>();
  const newest = new Map<AssetKey, number>();
  for (const [asset, rows] of states) {
    const map = new Map<string, PartitionState>();
    let max = Number.NEGATIVE_INFINITY;
    for (const row of rows) {
      map.set(row.partitionKey, row);
      if (row.materializedAt) max = Math.max(max, row.materializedAt.getTime());
    }
    byKey.set(asset, map);
    newest.set(asset, max);
  }

  const upstreamNewest = (asset: AssetKey, partition: string | undefined, parent: AssetKey): number => {
    const parentDef = graph.get(parent);
    const def = graph.get(asset);
    const mapping = graph.partitionMapping(asset, parent);
    // Every partition of the parent: its newest materialization, kept once per asset.
    if (!parentDef.partitions || !def.partitions || partition === undefined || mapping.kind === 'all') {
      return parentDef.partitions ? (newest.get(parent) ?? Number.NEGATIVE_INFINITY) : (byKey.get(parent)?.get('')?.materializedAt?.getTime() ?? Number.NEGATIVE_INFINITY);
    }
    let max = Number.NEGATIVE_INFINITY;
    const rows = byKey.get(parent);
    for (const key of upstreamPartitionKeys(mapping, def.partitions, partition, parentDef.partitions, now)) {
      const at = rows?.get(key)?.materializedAt?.getTime();
      if (at !== undefined && at > max) max = at;
    }
    return max;
  };

  // Each stored (asset, partition) is evaluated once, parents first (graph.order is topological),
  // so "upstream is stale" reads the parent's result instead of recursing up the graph.
  type Result = { status: AssetStatus; reason: string | null };
  const memo = new Map<AssetKey, Map<string, Result>>();
  const anyStale = new Map<AssetKey, boolean>();
  const storedStatus = (asset: AssetKey, key: string): AssetStatus => memo.get(asset)?.get(key)?.status ?? 'missing';

  const upstreamStale = (asset: AssetKey, partition: string | undefined, parent: AssetKey): boolean => {
    const parentDef = graph.get(parent).partitions;
    const def = graph.get(asset).partitions;
    if (!parentDef) return storedStatus(parent, '') === 'stale';
    const mapping = graph.partitionMapping(asset, parent);
    if (!def || partition === undefined || mapping.kind === 'all') return anyStale.get(parent) === true;
    return upstreamPartitionKeys(mapping, def, partition, parentDef, now).some((key) => storedStatus(parent, key) === 'stale');
  };

  const evaluate = (asset: AssetKey, partition: string | undefined): Result => {
    const def = graph.get(asset);
    const state = byKey.get(asset)?.get(partition ?? '');
    const where = partition === undefined ? '' : ` (partition ${partition})`;
    if (state?.status === 'FAILED') return { status: 'failed', reason: `its latest materialization${where} failed` };
    if (!state?.materializedAt) return { status: 'missing', reason: `never materialized${where}` };
    if (def.codeVersion !== undefined && state.codeVersion !== def.codeVersion) {
      return { status: 'stale', reason: `code version changed${where}: ${state.codeVersion ?? '(none)'} -> ${def.codeVersion}` };
    }
    const at = state.materializedAt.getTime();
    for (const parent of graph.parents(asset)) {
      if (upstreamNewest(asset, partition, parent) > at) return { status: 'stale', reason: `upstream ${parent} was materialized after it${where}` };
    }
    for (const parent of graph.parents(asset)) {
      if (upstreamStale(asset, partition, parent)) return { status: 'stale', reason: `upstream ${parent} is stale${where}` };
    }
    return { status: 'fresh', reason: null };
  };

  for (const asset of graph.order) {
    const partitioned = graph.get(asset).partitions !== undefined;
    const results = new Map<string, Result>();
    let stale = false;
    for (const key of byKey.get(asset)?.keys() ?? []) {
      const result = evaluate(asset, partitioned ? key : undefined);
      results.set(key, result);
      stale ||= result.status === 'stale';
    }
    memo.set(asset, results);
    anyStale.set(asset, stale);
  }

  const partitionStatus = (asset: AssetKey, partition: string | undefined): Result =>
    memo.get(asset)?.get(partition ?? '') ?? { status: 'missing', reason: `never materialized${partition === undefined ? '' : ` (partition ${partition})`}` };

  return { byKey, partitionStatus };
}

function countKeys(def: PartitionsDefinition, now: Date): number {
  return def.kind === 'static' ? def.keys.length : partitionKeys(def, now).length;
}
