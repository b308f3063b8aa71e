import type { AssetKey } from '../asset/asset-key.js';
import { isGating } from '../checks/check-definition.js';
import type { AssetGraph } from '../graph/asset-graph.js';

/** One unit of work in a run: materialize an asset, or evaluate one of its checks. */
export interface PlanStep {
  /** `raw/entries` for an asset, `raw/entries#no_nulls` for a check. */
  readonly key: string;
  readonly kind: 'asset' | 'check';
  readonly assetKey: AssetKey;
  readonly checkName: string | null;
  /** Step keys that must succeed before this one may start. */
  readonly deps: readonly string[];
}

export interface ExecutionPlan {
  /** In dependency order. */
  readonly steps: readonly PlanStep[];
}

export function checkStepKey(assetKey: AssetKey, checkName: string): string {
  return `${assetKey}#${checkName}`;
}

/** The step a key names: `raw/entries` is the asset step, `raw/entries#valid` a check step. */
export function parseStepKey(key: string): Pick<PlanStep, 'key' | 'kind' | 'assetKey' | 'checkName'> {
  const hash = key.indexOf('#');
  return hash < 0
    ? { key, kind: 'asset', assetKey: key, checkName: null }
    : { key, kind: 'check', assetKey: key.slice(0, hash), checkName: key.slice(hash + 1) };
}

/**
 * The plan for materializing `keys` (already resolved against `graph`): one step per asset, one
 * per check of each selected asset. An asset step depends on the steps of its selected parents and
 * on their gating checks (blocking, severity ERROR), so a failing gating check skips everything
 * downstream. Parents outside the selection are taken as they are in storage.
 */
export function buildPlan(graph: AssetGraph, keys: ReadonlySet<AssetKey>): ExecutionPlan {
  const steps: PlanStep[] = [];
  for (const key of graph.order) {
    if (!keys.has(key)) continue;
    const deps: string[] = [];
    for (const parent of graph.parents(key)) {
      if (!keys.has(parent)) continue;
      deps.push(parent);
      for (const check of graph.checksOf(parent)) if (isGating(check)) deps.push(checkStepKey(parent, check.name));
    }
    steps.push(Object.freeze({ key, kind: 'asset', assetKey: key, checkName: null, deps: Object.freeze(deps.sort()) }));
    for (const check of graph.checksOf(key)) {
      steps.push(
        Object.freeze({ key: checkStepKey(key, check.name), kind: 'check', assetKey: key, checkName: check.name, deps: Object.freeze([key]) }),
      );
    }
  }
  return Object.freeze({ steps: Object.freeze(steps) });
}
