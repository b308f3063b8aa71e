import type { AssetKey } from '../core/asset/asset-key.js';
import { worseLevel, type FreshnessLevel } from '../core/freshness/evaluate-freshness.js';
import type { AssetGraph } from '../core/graph/asset-graph.js';
import type { FreshnessStorage } from '../storage/instance.js';

/** An asset's freshness at a glance: the worst current verdict of its policy and deadline, with that verdict's summary. */
export interface AssetFreshness {
  readonly level: FreshnessLevel;
  readonly summary: string;
}

/**
 * The worst stored verdict of each asset that has a freshness policy or a deadline now (verdicts of
 * a policy removed since are left out); an asset with a policy the daemon has not checked yet is
 * absent. What `assets list` shows in its FRESHNESS column.
 */
export async function loadAssetFreshness(freshness: FreshnessStorage, graph: AssetGraph): Promise<Map<AssetKey, AssetFreshness>> {
  const keys = graph.keys().filter((k) => graph.get(k).freshness !== undefined || graph.get(k).deadline !== undefined);
  const out = new Map<AssetKey, AssetFreshness>();
  for (const state of await freshness.listFreshnessStates(keys)) {
    const asset = graph.get(state.assetKey);
    if ((state.kind === 'freshness' && !asset.freshness) || (state.kind === 'deadline' && !asset.deadline)) continue;
    const before = out.get(state.assetKey);
    if (!before || worseLevel(state.level, before.level) !== before.level) out.set(state.assetKey, { level: state.level, summary: `${state.kind}: ${state.summary}` });
  }
  return out;
}
