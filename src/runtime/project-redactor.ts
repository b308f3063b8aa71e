import type { AssetGraph } from '../core/graph/asset-graph.js';
import { Redactor, secretsFromEnv } from '../core/redactor.js';
import { secretEnvOf } from './secret-env.js';

/**
 * The Redactor of a process running `graph`: the values of the environment's secret-looking
 * variables, of every variable a resource of the graph declares in `secretEnv` (and
 * SLUICE_DATABASE_URL), and the password part of any connection URL.
 */
export function projectRedactor(graph: AssetGraph, env: Readonly<Record<string, string | undefined>>): Redactor {
  return new Redactor(secretsFromEnv(env, [...secretEnvOf(graph), 'SLUICE_DATABASE_URL']));
}
