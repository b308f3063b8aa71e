import type { AssetGraph } from '../graph/asset-graph.js';
import { parseStepKey } from './execution-plan.js';

/** The pool of the asset (or multi-asset) a step key names; undefined for a check step or an unknown asset. */
export function stepPool(graph: AssetGraph | undefined, stepKey: string): string | undefined {
  const { kind, assetKey, multi } = parseStepKey(stepKey);
  if (multi !== undefined) return graph?.multiAsset(multi)?.pool;
  return kind === 'asset' && graph?.has(assetKey) ? graph.get(assetKey).pool : undefined;
}
