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
  /** The partition keys the step materializes (or checks); absent/null when its asset is unpartitioned. */
  readonly partitions?: readonly string[] | null;
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
 * per check of each selected asset (selecting an asset selects its checks). An asset step depends
 * on the steps of its nearest selected ancestors (its selected parents, and, through parents left
 * out of the selection, the selected assets above them) and on their gating checks (blocking,
 * severity ERROR), so a failing gating check skips everything downstream in the run, even across a
 * gap in the selection. Unselected parents are taken as they are in storage (cross-run gating of
 * their latest check results happens at launch: core/checks/failed-gates.ts).
 */
export function buildPlan(graph: AssetGraph, keys: ReadonlySet<AssetKey>): ExecutionPlan {
  const steps: PlanStep[] = [];
  const nearest = nearestSelectedAncestors(graph, keys);
  for (const key of graph.order) {
    if (!keys.has(key)) continue;
    const deps = new Set<string>();
    for (const upstream of nearest(key)) {
      deps.add(upstream);
      for (const check of graph.checksOf(upstream)) if (isGating(check)) deps.add(checkStepKey(upstream, check.name));
    }
    steps.push(Object.freeze({ key, kind: 'asset', assetKey: key, checkName: null, deps: Object.freeze([...deps].sort()) }));
    for (const check of graph.checksOf(key)) {
      steps.push(
        Object.freeze({ key: checkStepKey(key, check.name), kind: 'check', assetKey: key, checkName: check.name, deps: Object.freeze([key]) }),
      );
    }
  }
  return Object.freeze({ steps: Object.freeze(steps) });
}

/**
 * For a selected key: its selected parents, plus, for each unselected parent, the nearest selected
 * assets above it. One pass in dependency order (no recursion, so a long chain of unselected assets
 * cannot overflow the stack); unselected assets with no selected ancestor share one empty set.
 */
function nearestSelectedAncestors(graph: AssetGraph, keys: ReadonlySet<AssetKey>): (key: AssetKey) => ReadonlySet<AssetKey> {
  const none: ReadonlySet<AssetKey> = new Set();
  const above = (key: AssetKey): ReadonlySet<AssetKey> => {
    let out: Set<AssetKey> | undefined;
    for (const parent of graph.parents(key)) {
      const found = keys.has(parent) ? [parent] : (throughUnselected.get(parent) ?? none);
      for (const ancestor of found) (out ??= new Set()).add(ancestor);
    }
    return out ?? none;
  };
  const throughUnselected = new Map<AssetKey, ReadonlySet<AssetKey>>();
  for (const key of graph.order) if (!keys.has(key)) throughUnselected.set(key, above(key));
  return above;
}
