import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { DbtError } from './dbt-error.js';
import { PROJECT_FILE, readProjectFile } from './native/project-file.js';
import type { DbtMacroSource, DbtMaterialization, DbtNode, DbtProject, DbtSource, DbtTest } from './dbt-project.js';

/** Manifest schema versions this loader reads: v10 (dbt 1.6), v11 (1.7), v12 (1.8 and later). */
export const SUPPORTED_MANIFEST_VERSIONS: readonly number[] = [10, 11, 12];

const SCHEMA_URL = /\/manifest\/v(\d+)(?:\.json)?$/;
/** Packages every manifest lists that are dbt itself, not packages the project installs. */
const DBT_OWN_PACKAGES = new Set(['dbt', 'dbt_postgres']);
const REGENERATE = 'regenerate it with `dbt parse` (dbt 1.6 or later) in the dbt project';

type Json = Record<string, unknown>;

/**
 * Reads dbt's `target/manifest.json` (schema v10 to v12) into a DbtProject: models, seeds and
 * snapshots (ephemeral models included), sources, and data tests. A generic test keeps
 * `test_metadata` (name, namespace-qualified when namespaced, and kwargs), its column and its
 * `attached_node`; a singular test is attached to the node it depends on when it depends on exactly
 * one, and left unattached otherwise. Each node and test keeps dbt's resolved config (schema,
 * alias, hooks, materialized...), a node its language (a Python model is kept, for the dbt CLI
 * runner). Any materialization loads (materialized_view, a custom one): only a runner that cannot
 * build it refuses, when it runs. The root project's macros (macro_sql) are kept for the native
 * runner, and the packages it installs are named. Unit tests, analyses, exposures and semantic
 * models are not read. `projectDir` defaults to the folder above the manifest's folder
 * (`<project>/target/`).
 *
 * Throws a DbtError naming the file: DBT_MANIFEST_NOT_FOUND, DBT_MANIFEST_INVALID (not JSON, not a
 * manifest, or a node missing a field), DBT_MANIFEST_UNSUPPORTED_VERSION.
 */
export function loadManifest(path: string, options: { projectDir?: string } = {}): DbtProject {
  const file = resolve(path);
  if (!existsSync(file)) {
    throw new DbtError(
      'DBT_MANIFEST_NOT_FOUND',
      `no dbt manifest at ${file}: run \`dbt parse\` in the dbt project (it writes target/manifest.json), or pass the right manifestPath`,
      { file },
    );
  }
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new DbtError('DBT_MANIFEST_INVALID', `${file} is not valid JSON (${(error as Error).message}); ${REGENERATE}`, { file }, error);
  }
  if (!isObject(raw) || !isObject(raw.metadata)) {
    throw new DbtError('DBT_MANIFEST_INVALID', `${file} is not a dbt manifest (no "metadata" object); ${REGENERATE}`, { file });
  }
  schemaVersion(raw.metadata, file);
  const reader = new ManifestReader(file);
  const nodes = new Map<string, DbtNode>();
  const tests = new Map<string, DbtTest>();
  for (const [id, value] of Object.entries(reader.object(raw, 'nodes', 'the manifest'))) {
    const node = reader.asObject(value, `nodes["${id}"]`);
    const type = node.resource_type;
    if (type === 'model' || type === 'seed' || type === 'snapshot') nodes.set(id, reader.node(id, node));
    else if (type === 'test') tests.set(id, reader.test(id, node));
  }
  const sources = new Map<string, DbtSource>();
  for (const [id, value] of Object.entries(reader.object(raw, 'sources', 'the manifest'))) {
    sources.set(id, reader.source(id, reader.asObject(value, `sources["${id}"]`)));
  }
  const projectName = typeof raw.metadata.project_name === 'string' ? raw.metadata.project_name : mostCommonPackage(nodes);
  const dir = resolve(options.projectDir ?? (basename(dirname(file)) === 'target' ? dirname(dirname(file)) : dirname(file)));
  const macros: DbtMacroSource[] = [];
  const packages = new Set<string>();
  for (const value of Object.values(reader.object(raw, 'macros', 'the manifest'))) {
    if (!isObject(value) || typeof value.package_name !== 'string') continue;
    if (value.package_name === projectName && typeof value.macro_sql === 'string') {
      macros.push(Object.freeze({ file: typeof value.original_file_path === 'string' ? value.original_file_path : 'macros', sql: value.macro_sql }));
    } else if (value.package_name !== projectName && !DBT_OWN_PACKAGES.has(value.package_name)) {
      packages.add(value.package_name);
    }
  }
  return Object.freeze({
    name: projectName,
    dir,
    nodes,
    sources,
    tests,
    vars: Object.freeze({ ...projectVars(dir) }),
    macros: Object.freeze(macros),
    packages: Object.freeze([...packages].sort()),
  });
}

/** The manifest's schema version number; throws when it is missing or outside v10..v12. */
function schemaVersion(metadata: Json, file: string): number {
  const url = metadata.dbt_schema_version;
  const match = typeof url === 'string' ? SCHEMA_URL.exec(url) : null;
  if (!match) {
    throw new DbtError(
      'DBT_MANIFEST_INVALID',
      `${file} is not a dbt manifest: metadata.dbt_schema_version is ${JSON.stringify(url)}, expected a URL like https://schemas.getdbt.com/dbt/manifest/v12.json; ${REGENERATE}`,
      { file, schemaVersion: url },
    );
  }
  const version = Number(match[1]);
  if (!SUPPORTED_MANIFEST_VERSIONS.includes(version)) {
    const dbtVersion = typeof metadata.dbt_version === 'string' ? ` (written by dbt ${metadata.dbt_version})` : '';
    const advice = version < 10 ? REGENERATE : 'this dbt is newer than Sluice knows: regenerate it with dbt 1.6 to 1.10, or update Sluice';
    throw new DbtError(
      'DBT_MANIFEST_UNSUPPORTED_VERSION',
      `${file} has manifest schema v${version}${dbtVersion}; Sluice reads v10 to v12: ${advice}`,
      { file, version, supported: SUPPORTED_MANIFEST_VERSIONS },
    );
  }
  return version;
}

/**
 * dbt_project.yml's vars (a manifest does not keep them), for the native runner's `var()`: read
 * from the project folder when it has a readable dbt_project.yml, else none.
 */
function projectVars(dir: string): Readonly<Record<string, unknown>> {
  if (!existsSync(join(dir, PROJECT_FILE))) return {};
  try {
    return readProjectFile(dir).vars;
  } catch {
    return {};
  }
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function mostCommonPackage(nodes: ReadonlyMap<string, DbtNode>): string {
  const counts = new Map<string, number>();
  for (const node of nodes.values()) counts.set(node.packageName, (counts.get(node.packageName) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? '';
}

/** Field access that reports a malformed manifest by file, node and field. */
class ManifestReader {
  constructor(private readonly file: string) {}

  private invalid(where: string, what: string): never {
    throw new DbtError('DBT_MANIFEST_INVALID', `${this.file}: ${where} ${what}; ${REGENERATE}`, { file: this.file, where });
  }

  asObject(value: unknown, where: string): Json {
    return isObject(value) ? value : this.invalid(where, 'is not an object');
  }

  object(parent: Json, key: string, where: string): Json {
    const value = parent[key];
    if (value === undefined || value === null) return {};
    return isObject(value) ? value : this.invalid(`${where}: "${key}"`, 'is not an object');
  }

  string(parent: Json, key: string, where: string): string {
    const value = parent[key];
    return typeof value === 'string' ? value : this.invalid(`${where}: "${key}"`, 'is missing or not a string');
  }

  optionalString(parent: Json, key: string): string | undefined {
    const value = parent[key];
    return typeof value === 'string' && value !== '' ? value : undefined;
  }

  strings(parent: Json, key: string, where: string): string[] {
    const value = parent[key];
    if (value === undefined || value === null) return [];
    if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value as string[];
    if (typeof value === 'string') return [value];
    return this.invalid(`${where}: "${key}"`, 'is not a list of strings');
  }

  dependsOn(node: Json, where: string): string[] {
    return this.strings(this.object(node, 'depends_on', where), 'nodes', `${where}.depends_on`);
  }

  node(id: string, node: Json): DbtNode {
    const where = `node "${id}"`;
    const resourceType = node.resource_type as DbtNode['resourceType'];
    const config = this.object(node, 'config', where);
    const name = this.string(node, 'name', where);
    const materialized: DbtMaterialization =
      resourceType === 'model' ? (typeof config.materialized === 'string' ? config.materialized : 'view') : resourceType;
    return Object.freeze({
      uniqueId: id,
      resourceType,
      name,
      packageName: this.string(node, 'package_name', where),
      originalFilePath: this.string(node, 'original_file_path', where),
      fqn: Object.freeze(this.strings(node, 'fqn', where)),
      materialized,
      dependsOn: Object.freeze(this.dependsOn(node, where)),
      tags: Object.freeze(this.strings(node, 'tags', where)),
      group: this.optionalString(node, 'group') ?? this.optionalString(config, 'group'),
      description: this.optionalString(node, 'description'),
      schema: this.optionalString(node, 'schema'),
      rawCode: this.optionalString(node, 'raw_code') ?? this.optionalString(node, 'raw_sql'),
      language: node.language === 'python' ? 'python' : 'sql',
      config: Object.freeze({ ...config }),
    });
  }

  source(id: string, source: Json): DbtSource {
    const where = `source "${id}"`;
    const name = this.string(source, 'name', where);
    return Object.freeze({
      uniqueId: id,
      sourceName: this.string(source, 'source_name', where),
      name,
      schema: this.optionalString(source, 'schema'),
      identifier: this.optionalString(source, 'identifier') ?? name,
    });
  }

  test(id: string, test: Json): DbtTest {
    const where = `test "${id}"`;
    const config = this.object(test, 'config', where);
    const dependsOn = this.dependsOn(test, where);
    const metadata = test.test_metadata;
    let testName: string | undefined;
    let kwargs: Json = {};
    if (isObject(metadata)) {
      const name = this.string(metadata, 'name', `${where}.test_metadata`);
      const namespace = this.optionalString(metadata, 'namespace');
      testName = namespace ? `${namespace}.${name}` : name;
      kwargs = this.object(metadata, 'kwargs', `${where}.test_metadata`);
    }
    // attached_node is set for generic tests (dbt 1.5+); a singular test is attached only when it
    // reads exactly one node, since a check needs one asset.
    const attached = this.optionalString(test, 'attached_node') ?? (dependsOn.length === 1 ? dependsOn[0] : undefined);
    const severity = typeof config.severity === 'string' && config.severity.toLowerCase() === 'warn' ? 'WARN' : 'ERROR';
    return Object.freeze({
      uniqueId: id,
      name: this.string(test, 'name', where),
      testName,
      attachedNode: attached,
      columnName: this.optionalString(test, 'column_name'),
      kwargs: Object.freeze({ ...kwargs }),
      severity,
      dependsOn: Object.freeze(dependsOn),
      originalFilePath: this.string(test, 'original_file_path', where),
      rawCode: this.optionalString(test, 'raw_code') ?? this.optionalString(test, 'raw_sql'),
      config: Object.freeze({ ...config }),
    });
  }
}
