import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { AnyAssetDefinition } from '../../core/asset/asset-definition.js';
import { isValidAssetKey } from '../../core/asset/asset-key.js';
import { defineAsset } from '../../core/asset/define-asset.js';
import type { ResourceMap } from '../../core/asset/resource.js';
import type { RetryPolicy } from '../../core/asset/retry-policy.js';
import { defineAssetCheck, type AnyCheckDefinition } from '../../core/checks/check-definition.js';
import { defaultDbtRunner } from './default-runner.js';
import { DbtError } from './dbt-error.js';
import { checkName, defaultGroup, defaultNodeKey, defaultSourceKey, describeTest, tagsOf } from './dbt-naming.js';
import type { DbtNode, DbtProject, DbtRunner, DbtSource, DbtTest } from './dbt-project.js';
import { checkResultOf, findResult, materializeResultOf } from './dbt-result-mapping.js';
import { loadManifest } from './load-manifest.js';
import { loadDbtProjectFromFiles } from './native/load-project-files.js';
import { resolveDbtDeps } from './resolve-dbt-deps.js';

export interface DbtAssetsOptions {
  /** The folder holding dbt_project.yml (relative paths resolve against the working directory). */
  readonly projectDir: string;
  /**
   * dbt's manifest (relative to `projectDir`). Default `target/manifest.json`; when that file does
   * not exist either, the project is read from its SQL and YAML files (the native subset).
   */
  readonly manifestPath?: string;
  /** What executes the nodes. Default: the dbt CLI (`dbtCliRunner()`) when `dbt` is on PATH, else `nativeRunner()`. */
  readonly runner?: DbtRunner;
  /** The asset key of a model, seed or snapshot. Default `dbt/<name>`. */
  readonly key?: (node: DbtNode) => string;
  /**
   * The asset key a dbt source maps onto (an upstream asset defined elsewhere, e.g. by an ingest
   * asset), or null when the source is not an asset in Sluice (the dependency is dropped).
   * Default `<source_name>/<table name>`: source `raw.entries` -> `raw/entries`.
   */
  readonly sourceKey?: (source: DbtSource) => string | null;
  /** Which models, seeds and snapshots become assets. Default: all but ephemeral models. */
  readonly select?: (node: DbtNode) => boolean;
  /** The group of a node's asset. Default: its dbt group, else its first folder, else `dbt`. */
  readonly group?: (node: DbtNode) => string;
  readonly pool?: string;
  readonly retry?: RetryPolicy;
  readonly timeoutMs?: number;
}

/** What dbtAssets() returns: frozen asset and check definitions, exportable as one array. */
export type DbtDefinitions = ReadonlyArray<AnyAssetDefinition | AnyCheckDefinition>;

/**
 * Turns a dbt project into Sluice definitions: one asset per model, seed and snapshot (ephemeral
 * models are inlined by dbt, so their upstream becomes their dependents' upstream), dbt sources as
 * dependencies on upstream assets, and each data test attached to an asset as a check on it
 * (severity error -> ERROR and blocking; warn -> WARN). Every asset and check runs its own node or
 * test through the runner, with the step's signal, logger and resources.
 *
 * Reads the manifest synchronously at call time (a file read, no connection), so a module in
 * assets/ can `export const dbt = dbtAssets({ ... })`. Throws a DbtError naming the file or node
 * when the project cannot be read or two nodes would get the same key.
 */
export function dbtAssets(options: DbtAssetsOptions): DbtDefinitions {
  const projectDir = resolve(options.projectDir);
  const project = loadDbtProject(projectDir, options.manifestPath);
  const runner = options.runner ?? defaultDbtRunner();
  const select = options.select ?? (() => true);
  const selected = [...project.nodes.values()].filter((n) => n.materialized !== 'ephemeral' && select(n));

  const keyOf = keyFunction(project, options.key ?? defaultNodeKey);
  const sourceKeyOf = sourceKeyFunction(project, options.sourceKey ?? defaultSourceKey);
  const keys = new Map<string, string>();
  for (const node of selected) {
    const key = keyOf(node);
    const other = keys.get(key);
    if (other) {
      throw new DbtError(
        'DBT_DUPLICATE_KEY',
        `dbt nodes ${other} and ${node.uniqueId} both map to the asset key "${key}": pass dbtAssets({ key }) to tell them apart (e.g. include the package name)`,
        { key, nodes: [other, node.uniqueId] },
      );
    }
    keys.set(key, node.uniqueId);
  }

  const resources = runner.resources as ResourceMap;
  const assets = selected.map((node) =>
    defineAsset({
      key: keyOf(node),
      deps: resolveDbtDeps(node, project, { node: keyOf, source: sourceKeyOf }),
      group: options.group ? options.group(node) : defaultGroup(node),
      tags: tagsOf(node),
      kinds: ['dbt'],
      ...(node.description === undefined ? {} : { description: node.description }),
      resources,
      ...(options.pool === undefined ? {} : { pool: options.pool }),
      ...(options.retry === undefined ? {} : { retry: options.retry }),
      ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
      async materialize(ctx) {
        const results = await runner.run({ project, select: [node.uniqueId], log: ctx.log, signal: ctx.signal, resources: ctx.resources, run: { id: ctx.run.id } });
        return materializeResultOf(node, findResult(results, node.uniqueId, runner.kind));
      },
    }),
  );

  const selectedIds = new Set(selected.map((n) => n.uniqueId));
  const checks: AnyCheckDefinition[] = [];
  for (const test of [...project.tests.values()].sort((a, b) => a.uniqueId.localeCompare(b.uniqueId))) {
    const asset = attachedAssetKey(test, project, selectedIds, keyOf, sourceKeyOf);
    if (asset === undefined) continue;
    checks.push(
      defineAssetCheck({
        asset,
        name: checkName(test),
        severity: test.severity,
        blocking: test.severity === 'ERROR',
        description: describeTest(test),
        resources,
        async check(ctx) {
          const results = await runner.run({ project, select: [test.uniqueId], log: ctx.log, signal: ctx.signal, resources: ctx.resources, run: { id: ctx.run.id } });
          return checkResultOf(test, test.severity, findResult(results, test.uniqueId, runner.kind));
        },
      }),
    );
  }
  return Object.freeze([...assets, ...checks]);
}

/**
 * The manifest when there is one; else the project read from its SQL and YAML files (native/),
 * which throws naming the file when the folder is no dbt project.
 */
function loadDbtProject(projectDir: string, manifestPath: string | undefined): DbtProject {
  if (manifestPath !== undefined) return loadManifest(resolve(projectDir, manifestPath), { projectDir });
  const standard = join(projectDir, 'target', 'manifest.json');
  if (existsSync(standard)) return loadManifest(standard, { projectDir });
  return loadDbtProjectFromFiles(projectDir);
}

/** The asset a test checks: its attached node when that node is a selected asset or a mapped source. */
function attachedAssetKey(
  test: DbtTest,
  project: DbtProject,
  selectedIds: ReadonlySet<string>,
  keyOf: (node: DbtNode) => string,
  sourceKeyOf: (uniqueId: string) => string | null,
): string | undefined {
  const id = test.attachedNode;
  if (id === undefined) return undefined;
  const node = project.nodes.get(id);
  if (node) return selectedIds.has(id) ? keyOf(node) : undefined;
  if (project.sources.has(id)) return sourceKeyOf(id) ?? undefined;
  return undefined;
}

function keyFunction(project: DbtProject, key: (node: DbtNode) => string): (node: DbtNode) => string {
  const memo = new Map<string, string>();
  return (node) => {
    let value = memo.get(node.uniqueId);
    if (value === undefined) {
      value = key(node);
      if (typeof value !== 'string' || !isValidAssetKey(value)) {
        throw new DbtError(
          'DBT_INVALID_KEY',
          `dbtAssets({ key }) gave ${JSON.stringify(value)} for dbt ${node.resourceType} "${node.name}" (${node.uniqueId}) of project "${project.name}": an asset key is "/"-separated segments of letters, digits, "_" and "-"`,
          { node: node.uniqueId, key: value },
        );
      }
      memo.set(node.uniqueId, value);
    }
    return value;
  };
}

function sourceKeyFunction(project: DbtProject, sourceKey: (source: DbtSource) => string | null): (uniqueId: string) => string | null {
  return (uniqueId) => {
    const source = project.sources.get(uniqueId)!;
    const value = sourceKey(source);
    if (value !== null && (typeof value !== 'string' || !isValidAssetKey(value))) {
      throw new DbtError(
        'DBT_INVALID_KEY',
        `dbtAssets({ sourceKey }) gave ${JSON.stringify(value)} for dbt source "${source.sourceName}.${source.name}" (${uniqueId}): return an asset key ("raw/entries") or null for a source that is not an asset`,
        { source: uniqueId, key: value },
      );
    }
    return value;
  };
}
