import type { ResourceMap } from '../core/asset/resource.js';
import type { AssetGraph } from '../core/graph/asset-graph.js';

/** The names of the secret environment variables the graph's resources list (`secretEnv`). */
export function secretEnvOf(graph: AssetGraph): string[] {
  const maps = [...graph.assets(), ...graph.allChecks()].map((d) => d.resources as ResourceMap);
  return [...new Set(maps.flatMap((m) => Object.values(m).flatMap((r) => r.secretEnv)))];
}
