import type { AssetKey } from '../core/asset/asset-key.js';
import type { AssetGraph } from '../core/graph/asset-graph.js';
import { parseSelection, selectAssets, usesStatus } from '../core/selection/index.js';
import { assetStatuses, type AssetStatusView, type PartitionState } from '../core/staleness/asset-status.js';
import type { EventLogStorage } from '../storage/instance.js';

/** Every asset's status (fresh, stale, failed, missing) from the stored partition states. */
export async function loadAssetStatuses(eventLog: EventLogStorage, graph: AssetGraph, now: Date): Promise<Map<AssetKey, AssetStatusView>> {
  const states = new Map<AssetKey, PartitionState[]>();
  for (const row of await eventLog.assetPartitions()) {
    if (!graph.has(row.assetKey)) continue;
    let list = states.get(row.assetKey);
    if (!list) states.set(row.assetKey, (list = []));
    list.push(row);
  }
  return assetStatuses(graph, states, now);
}

/**
 * Resolves a selection for a launch; a selection with `status:` clauses reads the statuses from
 * storage first (only then: the read costs a scan of the partition states).
 */
export async function selectWithStatus(eventLog: EventLogStorage, graph: AssetGraph, text: string, now: Date): Promise<Set<AssetKey>> {
  let needsStatus = false;
  try {
    needsStatus = usesStatus(parseSelection(text));
  } catch {
    // selectAssets below reports the syntax error with its suggestions.
  }
  if (!needsStatus) return selectAssets(text, graph);
  const statuses = await loadAssetStatuses(eventLog, graph, now);
  return selectAssets(text, graph, { statusOf: (key) => statuses.get(key)?.status ?? 'missing' });
}
