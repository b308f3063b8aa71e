import type { AssetKey } from '../asset/asset-key.js';
import { SluiceError } from '../errors.js';
import type { AssetGraph } from '../graph/asset-graph.js';

export class MultiAssetSubsetError extends SluiceError {
  constructor(name: string, selected: readonly string[], missing: readonly string[], where: string) {
    super(
      'MULTI_ASSET_SUBSET',
      `${where} selects ${selected.join(', ')} of multi-asset "${name}" but not ${missing.join(', ')}; "${name}" materializes all its assets in one step (canSubset: false): add ${missing.map((k) => `key:${k}`).join(' ')} to the selection, or drop the others`,
      { multiAsset: name, selected, missing, where },
    );
  }
}

/**
 * Refuses a selection that takes part of a multi-asset that cannot run a subset (MultiAssetSubsetError
 * naming what is missing). A multi-asset with canSubset runs any part of itself.
 */
export function assertMultiAssetSubsets(graph: AssetGraph, keys: ReadonlySet<AssetKey>, where = '--select'): void {
  const checked = new Set<string>();
  for (const key of keys) {
    const multi = graph.has(key) ? graph.get(key).multiAsset : undefined;
    if (!multi || multi.canSubset || checked.has(multi.name)) continue;
    checked.add(multi.name);
    const all = multi.assets.map((a) => a.key);
    const missing = all.filter((k) => !keys.has(k));
    if (missing.length > 0) throw new MultiAssetSubsetError(multi.name, all.filter((k) => keys.has(k)), missing, where);
  }
}
