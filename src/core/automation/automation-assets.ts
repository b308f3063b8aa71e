import type { AssetGraph } from '../graph/asset-graph.js';
import type { AutomationAsset } from './automation-snapshot.js';

/** Every asset of the graph as automation sees it, in topological order. */
export function automationAssets(graph: AssetGraph): AutomationAsset[] {
  return graph.order.map((key) => {
    const asset = graph.get(key);
    return {
      key,
      deps: graph.parents(key),
      partitions: asset.partitions,
      partitionMappings: asset.partitionMappings,
      codeVersion: asset.codeVersion,
      checks: graph.checksOf(key).map((check) => check.name),
      automation: asset.automation,
    };
  });
}
