import { DbtError } from './dbt-error.js';
import type { DbtNode, DbtProject } from './dbt-project.js';

export interface DepKeys {
  /** The asset key of a model, seed or snapshot that is an asset (not ephemeral). */
  node(node: DbtNode): string;
  /** The asset key of a source, or null when the source is not an asset in Sluice. */
  source(uniqueId: string): string | null;
}

/**
 * The upstream asset keys of `node`: its depends_on.nodes, with each ephemeral model replaced by
 * that model's own upstream (recursively: dbt inlines ephemeral models as CTEs, so they are never
 * materialized and never assets). Sources map through `keys.source`; null drops them. Sorted, no
 * duplicates. Throws DBT_UNKNOWN_DEPENDENCY for an id that is neither a node nor a source of the
 * project (a stale or hand-edited manifest).
 */
export function resolveDbtDeps(node: DbtNode, project: DbtProject, keys: DepKeys): string[] {
  const out = new Set<string>();
  const seen = new Set<string>([node.uniqueId]);
  const visit = (from: DbtNode) => {
    for (const id of from.dependsOn) {
      if (seen.has(id)) continue;
      seen.add(id);
      const upstream = project.nodes.get(id);
      if (upstream) {
        if (upstream.materialized === 'ephemeral') visit(upstream);
        else out.add(keys.node(upstream));
        continue;
      }
      if (project.sources.has(id)) {
        const key = keys.source(id);
        if (key !== null) out.add(key);
        continue;
      }
      throw new DbtError(
        'DBT_UNKNOWN_DEPENDENCY',
        `dbt ${from.resourceType} "${from.name}" (${from.uniqueId}) depends on "${id}", which is not a model, seed, snapshot or source of dbt project "${project.name}": the manifest is stale or incomplete; run \`dbt parse\``,
        { node: from.uniqueId, dependency: id },
      );
    }
  };
  visit(node);
  return [...out].sort();
}
