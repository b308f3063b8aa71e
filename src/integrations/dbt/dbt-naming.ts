import type { DbtNode, DbtSource, DbtTest } from './dbt-project.js';

/**
 * The default names dbtAssets() gives dbt resources in Sluice. dbt allows characters Sluice's keys,
 * groups, tags and check names do not (spaces, dots, colons); those become "_" rather than failing,
 * since the dbt name stays visible in the description and metadata.
 */

const KEY_SEGMENT_INVALID = /[^A-Za-z0-9_-]+/g;
const NAME_INVALID = /[^A-Za-z0-9_.@-]+/g;

/** A string usable as one asset-key segment or check name. */
export function keySegment(value: string): string {
  return value.replace(KEY_SEGMENT_INVALID, '_') || '_';
}

/** A string usable as a group, tag key or kind. */
export function safeName(value: string): string {
  return value.replace(NAME_INVALID, '_') || '_';
}

/** `dbt/<name>` for a model, seed or snapshot. */
export function defaultNodeKey(node: DbtNode): string {
  return `dbt/${keySegment(node.name)}`;
}

/**
 * `<source_name>/<table name>` for a dbt source (as dagster-dbt does): the source
 * `raw.entries` maps onto the asset `raw/entries` that an ingest asset materializes.
 */
export function defaultSourceKey(source: DbtSource): string {
  return `${keySegment(source.sourceName)}/${keySegment(source.name)}`;
}

/**
 * The dbt group when the node has one; else the first folder under the resource path
 * (`models/staging/stg_entries.sql` -> `staging`); else `dbt`.
 */
export function defaultGroup(node: DbtNode): string {
  if (node.group) return safeName(node.group);
  const parts = node.originalFilePath.split(/[\\/]/).filter(Boolean);
  return parts.length > 2 ? safeName(parts[1]!) : 'dbt';
}

/** dbt tags as Sluice tag keys with the value '' (`tags: ['daily']` -> `{ daily: '' }`). */
export function tagsOf(node: DbtNode): Record<string, string> {
  return Object.fromEntries(node.tags.map((tag) => [safeName(tag), '']));
}

/** The check name of a dbt test: its dbt name (dbt already makes generic test names unique). */
export function checkName(test: DbtTest): string {
  return keySegment(test.name);
}

/** What a test checks, in words, for the check's description. */
export function describeTest(test: DbtTest): string {
  if (!test.testName) return `dbt singular test ${test.originalFilePath}`;
  return test.columnName ? `dbt test ${test.testName} on column ${test.columnName}` : `dbt test ${test.testName}`;
}
