import type { DbtProject } from './dbt-project.js';

/**
 * The `--select` arguments that make dbt run exactly the given unique ids: a model, seed or snapshot
 * by its full fqn joined with dots (`proj.staging.stg_entries`, which dbt matches as an fqn prefix,
 * so two nodes of the same name in different folders or packages stay apart), a test by its name
 * (dbt gives tests project-unique names), a source as `source:<source>.<table>`. An id the project
 * does not know is passed through as its last dotted part. dbt splits a selection at whitespace
 * (`models/Data Mart/x.sql` has the fqn `proj.Data Mart.x`, which would select `proj.Data` and
 * `Mart.x`), so each whitespace character becomes dbt's one-character wildcard `?`: the part still
 * matches only its own folder (fnmatch over the rest of the fqn), and a folder that differs from it
 * only there would be the one stray match.
 */
export function dbtSelectors(project: DbtProject, uniqueIds: readonly string[]): string[] {
  return uniqueIds.map((id) => {
    const node = project.nodes.get(id);
    if (node) return node.fqn.length > 0 ? node.fqn.map(spaceless).join('.') : spaceless(node.name);
    const test = project.tests.get(id);
    if (test) return spaceless(test.name);
    const source = project.sources.get(id);
    if (source) return `source:${source.sourceName}.${source.name}`;
    return id.slice(id.lastIndexOf('.') + 1);
  });
}

/** `name` with each whitespace character as dbt's single-character wildcard. */
function spaceless(name: string): string {
  return name.replace(/\s/g, '?');
}

/**
 * How to tell dbt the selection: `--select` each node and test, or, when what is left out is the
 * smaller list, the buildable resource types less `--exclude` of what is left out. dbt matches every
 * selector against every node, so a whole 200-model project with its tests costs seconds of
 * selection by name and next to nothing by exclusion; the resource types keep out what Sluice does
 * not run (unit tests, analyses), as selecting by name does.
 */
export function selectionArgs(project: DbtProject, select: readonly string[]): string[] {
  const chosen = new Set(select);
  const buildable = [...[...project.nodes.values()].filter((n) => n.materialized !== 'ephemeral').map((n) => n.uniqueId), ...project.tests.keys()];
  const left = buildable.filter((id) => !chosen.has(id));
  const known = new Set(buildable);
  if (left.length >= select.length || select.some((id) => !known.has(id))) return ['--select', ...dbtSelectors(project, select)];
  const types = ['model', 'seed', 'snapshot', 'test'].flatMap((type) => ['--resource-type', type]);
  return left.length === 0 ? types : [...types, '--exclude', ...dbtSelectors(project, left)];
}
