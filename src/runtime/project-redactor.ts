import type { ResourceMap } from '../core/asset/resource.js';
import type { AssetGraph } from '../core/graph/asset-graph.js';
import { Redactor, secretsFromEnv } from '../core/redactor.js';

/**
 * The Redactor of a process running `graph`: the values of the environment's secret-looking
 * variables, of every variable a resource of the graph declares in `secretEnv` (and
 * SLUICE_DATABASE_URL), and the password part of any connection URL.
 */
export function projectRedactor(graph: AssetGraph, env: Readonly<Record<string, string | undefined>>): Redactor {
  const resourceMaps: ResourceMap[] = [...graph.assets(), ...graph.allChecks()].map((d) => d.resources as ResourceMap);
  const secretEnv = [...resourceMaps.flatMap((m) => Object.values(m).flatMap((r) => r.secretEnv)), 'SLUICE_DATABASE_URL'];
  return new Redactor(secretsFromEnv(env, secretEnv));
}
