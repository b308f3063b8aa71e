import type { DbtProject } from './dbt-project.js';

/**
 * The `--select` arguments that make dbt run exactly the given unique ids: a model, seed or snapshot
 * by its full fqn joined with dots (`proj.staging.stg_entries`, which dbt matches as an fqn prefix,
 * so two nodes of the same name in different folders or packages stay apart), a test by its name
 * (dbt gives tests project-unique names), a source as `source:<source>.<table>`. An id the project
 * does not know is passed through as its last dotted part.
 */
export function dbtSelectors(project: DbtProject, uniqueIds: readonly string[]): string[] {
  return uniqueIds.map((id) => {
    const node = project.nodes.get(id);
    if (node) return node.fqn.length > 0 ? node.fqn.join('.') : node.name;
    const test = project.tests.get(id);
    if (test) return test.name;
    const source = project.sources.get(id);
    if (source) return `source:${source.sourceName}.${source.name}`;
    return id.slice(id.lastIndexOf('.') + 1);
  });
}
