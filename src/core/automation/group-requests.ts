import type { AssetKey } from '../asset/asset-key.js';
import type { AssetGraph } from '../graph/asset-graph.js';
import { partitionKeys } from '../partitions/partition-keys.js';

/** One launch that carries out part of an evaluation's requests. */
export type AutomationLaunch =
  | { readonly kind: 'run'; readonly assets: readonly AssetKey[]; readonly partition: string | null }
  | { readonly kind: 'backfill'; readonly assets: readonly AssetKey[]; readonly from: string; readonly to: string; readonly partitions: readonly string[] };

/**
 * Groups requested (asset, partition)s into as few launches as possible: the assets requested for
 * the same partitions share a launch (a chain that became ready together runs in one run, its
 * order kept by the plan); one partition is a run, several contiguous partitions of the same assets
 * a backfill (a gap splits it). The unpartitioned assets join the first single-partition run, or
 * run on their own. A multi-asset that cannot subset brings all its assets.
 */
export function groupRequests(graph: AssetGraph, requested: ReadonlyMap<AssetKey, readonly string[]>, now: Date): AutomationLaunch[] {
  const unpartitioned: AssetKey[] = [];
  const byPartition = new Map<string, Set<AssetKey>>();
  for (const [key, partitions] of requested) {
    for (const partition of partitions) {
      if (partition === '') unpartitioned.push(key);
      else {
        let assets = byPartition.get(partition);
        if (!assets) byPartition.set(partition, (assets = new Set()));
        assets.add(key);
      }
    }
  }
  // Partitions with the same asset set form one group; partitions of one group share a definition.
  const groups = new Map<string, { assets: AssetKey[]; partitions: string[] }>();
  for (const [partition, assets] of byPartition) {
    const keys = withMultiAssets(graph, [...assets]);
    const id = keys.join('\n');
    let group = groups.get(id);
    if (!group) groups.set(id, (group = { assets: keys, partitions: [] }));
    group.partitions.push(partition);
  }
  const launches: AutomationLaunch[] = [];
  for (const group of groups.values()) {
    const def = graph.get(group.assets[0]!).partitions!;
    const order = new Map(partitionKeys(def, now).map((k, i) => [k, i]));
    const sorted = [...group.partitions].sort((a, b) => (order.get(a) ?? Infinity) - (order.get(b) ?? Infinity) || a.localeCompare(b));
    let run: string[] = [];
    const flush = () => {
      if (run.length === 1) launches.push({ kind: 'run', assets: group.assets, partition: run[0]! });
      else if (run.length > 1) launches.push({ kind: 'backfill', assets: group.assets, from: run[0]!, to: run.at(-1)!, partitions: run });
      run = [];
    };
    for (const key of sorted) {
      const prev = run.at(-1);
      if (prev !== undefined && !(order.has(prev) && order.get(key) === order.get(prev)! + 1)) flush();
      run.push(key);
    }
    flush();
  }
  if (unpartitioned.length > 0) {
    const keys = withMultiAssets(graph, unpartitioned);
    const single = launches.findIndex((l) => l.kind === 'run');
    if (single >= 0) {
      const target = launches[single] as Extract<AutomationLaunch, { kind: 'run' }>;
      launches[single] = { ...target, assets: [...keys, ...target.assets] };
    } else launches.unshift({ kind: 'run', assets: keys, partition: null });
  }
  return launches;
}

/** The keys, plus every asset of a multi-asset that cannot subset when one of its keys is there; sorted. */
function withMultiAssets(graph: AssetGraph, keys: readonly AssetKey[]): AssetKey[] {
  const out = new Set(keys);
  for (const key of keys) {
    const multi = graph.has(key) ? graph.get(key).multiAsset : undefined;
    if (multi && !multi.canSubset) multi.assets.forEach((a) => out.add(a.key));
  }
  return [...out].sort();
}
